package dev.bulwark.dataplane.netlink;

import dev.bulwark.dataplane.ffm.LibC;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Creates and deletes named network namespaces the way {@code ip netns add/del} does, without running it: a new
 * namespace is made by {@code unshare(CLONE_NEWNET)} on a throwaway platform thread and kept alive by bind-mounting
 * that thread's namespace file onto {@code /run/netns/NAME}; deleting unmounts and removes the file (the namespace
 * goes when nothing uses it any more). Needs root.
 */
public final class NamedNamespaces {
    private NamedNamespaces() {
    }

    static final Path RUN = Path.of("/run/netns");

    public static boolean exists(String name) {
        return Files.exists(NetNamespace.path(check(name)));
    }

    /** {@code ip netns add NAME}; fails if it exists. */
    public static void create(String name) {
        Path file = NetNamespace.path(check(name));
        String op = "ip netns add " + name;
        try {
            Files.createDirectories(RUN);
            sharedMount(op);
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new NetlinkException(op + " (it exists)", 17, null);
        } catch (IOException e) {
            throw new NetlinkException(op + ": " + e.getMessage(), 5, null);
        }
        CompletableFuture<LibC.Result> made = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name("netns-create-" + name).start(() -> {
            LibC.Result r = LibC.unshare(LibC.CLONE_NEWNET);
            if (r.failed()) {
                made.complete(r);
                return;
            }
            made.complete(LibC.mount("/proc/thread-self/ns/net", file.toString(), LibC.MS_BIND));
        });
        LibC.Result r;
        try {
            r = made.get();
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(op + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (r.failed()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the failure below is what matters
            }
            throw new NetlinkException(op, r.errno(), null);
        }
    }

    /** {@code ip netns del NAME}; nothing happens if it does not exist. */
    public static void delete(String name) {
        Path file = NetNamespace.path(check(name));
        if (!Files.exists(file)) return;
        LibC.Result r = LibC.umount2(file.toString(), LibC.MNT_DETACH);
        if (r.failed() && r.errno() != 22 /* EINVAL: not mounted, e.g. left over from a crash */) {
            throw new NetlinkException("ip netns del " + name, r.errno(), null);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new NetlinkException("ip netns del " + name + ": " + e.getMessage(), 5, null);
        }
    }

    /**
     * Like ip, makes /run/netns a shared mount point (once), so that namespaces mounted here are seen by other mount
     * namespaces too.
     */
    private static void sharedMount(String op) {
        LibC.Result r = LibC.mount("none", RUN.toString(), LibC.MS_SHARED | LibC.MS_REC);
        if (r.failed() && r.errno() == 22) { // EINVAL: not a mount point yet; bind it onto itself first
            LibC.Result b = LibC.mount(RUN.toString(), RUN.toString(), LibC.MS_BIND | LibC.MS_REC);
            if (b.failed()) throw new NetlinkException(op + " (mount --bind " + RUN + ")", b.errno(), null);
            r = LibC.mount("none", RUN.toString(), LibC.MS_SHARED | LibC.MS_REC);
        }
        if (r.failed()) throw new NetlinkException(op + " (mount --make-shared " + RUN + ")", r.errno(), null);
    }

    private static String check(String name) {
        if (name == null || name.isEmpty() || name.length() > 64 || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a namespace name");
        }
        return name;
    }
}
