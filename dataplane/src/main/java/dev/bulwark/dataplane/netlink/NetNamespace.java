package dev.bulwark.dataplane.netlink;

import dev.bulwark.dataplane.ffm.LibC;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A network namespace to work in: the current one, or a named one ({@code /run/netns/NAME}, as made by
 * {@code ip netns add NAME}). Netlink sockets belong to the namespace they were opened in, so they are opened on this
 * handle's own platform thread, which has entered the namespace with {@code setns(2)} once (setns acts on one OS
 * thread: never on a virtual thread, never on a shared pool). Sockets may then be used from any thread.
 */
public final class NetNamespace implements AutoCloseable {

    private final String name;
    private final ExecutorService thread;

    private NetNamespace(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = Thread.ofPlatform().daemon().name("netns-" + (name == null ? "current" : name)).unstarted(r);
            return t;
        });
        if (name != null) enter();
    }

    /** The namespace this process runs in. */
    public static NetNamespace current() {
        return new NetNamespace(null);
    }

    /** The namespace {@code /run/netns/NAME}; fails with a clear message when it does not exist. */
    public static NetNamespace named(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a namespace name");
        }
        if (!Files.exists(path(name))) {
            throw new NetlinkException("open network namespace " + name + " (" + path(name) + "; create it with: ip netns add " + name + ")",
                    2, null);
        }
        return new NetNamespace(name);
    }

    /** The file that names a namespace: {@code /run/netns/NAME}. */
    public static Path path(String name) {
        return Path.of("/run/netns", name);
    }

    private void enter() {
        call(() -> {
            LibC.Result fd = LibC.open(path(name).toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
            if (fd.failed()) throw new NetlinkException("open " + path(name), fd.errno(), null);
            try {
                LibC.Result r = LibC.setns(fd.value(), LibC.CLONE_NEWNET);
                if (r.failed()) throw new NetlinkException("enter network namespace " + name + " (setns)", r.errno(), null);
            } finally {
                LibC.close(fd.value());
            }
            return null;
        });
    }

    /** The namespace's name, or null for the current namespace. */
    public String name() {
        return name;
    }

    /** Runs {@code task} on this namespace's thread and returns its result; its exceptions pass through unwrapped. */
    public <T> T call(Callable<T> task) {
        Future<T> f = thread.submit(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in namespace " + this, e);
        }
    }

    /** Opens a netlink socket of {@code bus} ({@link NetlinkSocket#NETLINK_ROUTE}, ...) inside this namespace. */
    public NetlinkSocket open(int bus) {
        return call(() -> NetlinkSocket.open(bus));
    }

    /**
     * Opens a netlink socket of {@code bus} inside this namespace joined to the multicast {@code groups}
     * (e.g. RTNLGRP_LINK), to read the kernel's notifications with {@link NetlinkSocket#drain()}.
     */
    public NetlinkSocket subscribe(int bus, int... groups) {
        int[] g = groups.clone();
        return call(() -> NetlinkSocket.open(bus, g));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    @Override
    public String toString() {
        return name == null ? "current namespace" : "namespace " + name;
    }
}
