package dev.bulwark.tests.bench;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway network namespace {@code bwb-PID-N} with veth pairs, made with {@code ip} and removed on
 * {@link #close()}; a shutdown hook removes whatever is left when the benchmark stops early (an exception, Ctrl-C).
 * Leftovers of an earlier benchmark process that is gone are removed by {@link #removeStale()}.
 */
final class Netns implements AutoCloseable {
    static final String PREFIX = "bwb-";
    private static final Duration IP = Duration.ofSeconds(60);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String n : List.copyOf(LIVE)) Sh.run(IP, "ip", "netns", "del", n);
        }, "bench-netns-cleanup"));
    }

    final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** A new namespace with loopback up and the devices as veth pairs (device 0 with 1, 2 with 3, ...). */
    static Netns create(List<String> devices) {
        if (devices.size() % 2 != 0) throw new IllegalArgumentException("veth devices come in pairs");
        String n = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Sh.must(IP, "ip", "netns", "add", n);
        LIVE.add(n);
        Netns ns = new Netns(n);
        try {
            StringBuilder batch = new StringBuilder("link set lo up\n");
            for (int i = 0; i < devices.size(); i += 2) {
                batch.append("link add ").append(devices.get(i)).append(" type veth peer name ").append(devices.get(i + 1)).append('\n');
            }
            java.nio.file.Path f = java.nio.file.Files.createTempFile("bwb-ip", ".batch");
            try {
                java.nio.file.Files.writeString(f, batch);
                Sh.must(IP, "ip", "-n", n, "-batch", f.toString());
            } finally {
                java.nio.file.Files.deleteIfExists(f);
            }
        } catch (java.io.IOException | RuntimeException e) {
            ns.close();
            throw new IllegalStateException("cannot set up namespace " + n + ": " + e.getMessage(), e);
        }
        return ns;
    }

    /** Runs a command in the namespace ({@code ip netns exec NAME ...}). */
    List<String> exec(String... cmd) {
        List<String> l = new java.util.ArrayList<>(List.of("ip", "netns", "exec", name));
        l.addAll(List.of(cmd));
        return l;
    }

    /** Removes namespaces {@code bwb-PID-*} whose process is gone (an earlier run killed hard). */
    static void removeStale() {
        Sh.Out o = Sh.run(IP, "ip", "netns", "list");
        for (String line : o.out().split("\n")) {
            String n = line.split(" ")[0];
            if (!n.startsWith(PREFIX)) continue;
            String[] parts = n.substring(PREFIX.length()).split("-");
            try {
                long pid = Long.parseLong(parts[0]);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
            } catch (NumberFormatException e) {
                continue;
            }
            Sh.run(IP, "ip", "netns", "del", n);
        }
    }

    @Override
    public void close() {
        if (LIVE.remove(name)) Sh.run(IP, "ip", "netns", "del", name);
    }

    @Override
    public String toString() {
        return name;
    }
}
