package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.testing.KernelAssume;
import dev.bulwark.dataplane.testing.KernelTest;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The full-apply benchmark, run by hand: skipped unless {@code -Dbulwark.perf=true}. A ruleset of the benchmark's
 * shape (10,000 rules each counting into a named counter, 10,000 counters, a 100,000-element scattered v4 interval
 * set; see {@link #nftText}) or the nft file given as {@code -Dbulwark.perf.nft=FILE} is loaded once with {@code nft
 * -f}, read back into the value types, and then applied with {@link RememberingApplier#applyFull} into fresh namespaces over
 * several warm runs; each run reports wall time, this thread's and the process's user and system CPU (getrusage), the
 * netlink messages and the send and receive calls. Then the read-back, and {@code nft -f} / {@code nft -j list
 * ruleset} of the same ruleset for reference. With {@code -Dbulwark.perf.monitor=true} a {@link
 * dev.bulwark.dataplane.monitor.KernelMonitor} (as the daemon runs one) listens in the namespace during the runs, and
 * with {@code -Dbulwark.perf.pause=true} as well it pauses its nftables notifications around each apply.
 *
 * <pre>mvn -o -pl dataplane test -Dtest=NftApplyPerfTest -Dbulwark.perf=true [-Dbulwark.perf.runs=7] [-Dsurefire.failIfNoSpecifiedTests=false]</pre>
 */
@KernelTest
class NftApplyPerfTest {

    @Test
    void fullApplyAndReadBack() throws Exception {
        if (!Boolean.getBoolean("bulwark.perf")) {
            System.out.println("SKIPPED nft full-apply perf benchmark: a benchmark run by hand, with -Dbulwark.perf=true");
        }
        assumeTrue(Boolean.getBoolean("bulwark.perf"), "perf benchmark: run with -Dbulwark.perf=true");
        KernelAssume.assumeKernel(NETNS, NFTABLES, NFT_CLI);
        int runs = Integer.getInteger("bulwark.perf.runs", 7);
        int warmup = Integer.getInteger("bulwark.perf.warmup", 3);
        String given = System.getProperty("bulwark.perf.nft");
        Path file = given != null ? Path.of(given) : Files.createTempFile("bulwark-perf", ".nft");
        try {
            if (given == null) {
                Files.writeString(file, nftText(Integer.getInteger("bulwark.perf.rules", 10_000), 8,
                        Integer.getInteger("bulwark.perf.elements", 100_000)));
            }
            run(file, runs, warmup);
        } finally {
            if (given == null) Files.deleteIfExists(file);
        }
    }

    private static void run(Path file, int runs, int warmup) throws Exception {
        NftRuleset ruleset;
        try (Kernel k = Kernel.create("perfsrc")) {
            k.nft("-f", file.toString());
            ruleset = k.read();
        }
        int rules = ruleset.rules().values().stream().mapToInt(List::size).sum();
        int elements = ruleset.sets().values().stream().mapToInt(s -> s.elements().size()).sum();
        System.out.printf(Locale.ROOT, "perf: %d chains, %d rules, %d sets (%d elements), %d objects%n",
                ruleset.chains().size(), rules, ruleset.sets().size(), elements, ruleset.objects().size());

        List<double[]> apply = new ArrayList<>();
        List<double[]> read = new ArrayList<>();
        boolean checked = false;
        for (int i = 0; i < warmup + runs; i++) {
            settle();
            try (Kernel k = Kernel.create("perf");
                 dev.bulwark.dataplane.monitor.KernelMonitor monitor = Boolean.getBoolean("bulwark.perf.monitor")
                         ? dev.bulwark.dataplane.monitor.KernelMonitor.open(k.ns.name()) : null) {
                System.gc();
                settle();
                long m0 = k.socket.messagesSent(), s0 = k.socket.sendCalls(), r0 = k.socket.receiveCalls();
                Usage u0 = Usage.now();
                long t0 = System.nanoTime();
                boolean pause = monitor != null && Boolean.getBoolean("bulwark.perf.pause");
                if (pause) monitor.pauseNftables();
                k.applier.applyFull(ruleset);
                if (pause) monitor.resumeNftables(1);
                long t1 = System.nanoTime();
                Usage u1 = Usage.now();
                long m1 = k.socket.messagesSent(), s1 = k.socket.sendCalls(), r1 = k.socket.receiveCalls();
                double[] a = {(t1 - t0) / 1e6, u1.threadUser - u0.threadUser, u1.threadSys - u0.threadSys,
                        u1.selfUser - u0.selfUser, u1.selfSys - u0.selfSys, m1 - m0, s1 - s0, r1 - r0};
                System.out.printf(Locale.ROOT, "perf: applyFull %s: %.1f ms; thread user %.1f sys %.1f; process user %.1f sys %.1f;"
                                + " %d messages, %d sends, %d receives%n", i < warmup ? "warm-up" : "run " + (i - warmup + 1),
                        a[0], a[1], a[2], a[3], a[4], (long) a[5], (long) a[6], (long) a[7]);
                if (i >= warmup) apply.add(a);

                System.gc();
                settle();
                Usage v0 = Usage.now();
                long t2 = System.nanoTime();
                NftState s = k.readState();
                long t3 = System.nanoTime();
                Usage v1 = Usage.now();
                double[] b = {(t3 - t2) / 1e6, v1.threadUser - v0.threadUser, v1.threadSys - v0.threadSys,
                        v1.selfUser - v0.selfUser, v1.selfSys - v0.selfSys};
                System.out.printf(Locale.ROOT, "perf: readState: %.1f ms; thread user %.1f sys %.1f; process user %.1f sys %.1f%n",
                        b[0], b[1], b[2], b[3], b[4]);
                if (i >= warmup) read.add(b);
                if (!checked) {
                    assertThat(s.ruleset()).isEqualTo(NftRuleset.canonical(ruleset));
                    assertThat(k.applier.last()).as("the applier knows what it applied").isNotNull();
                    assertThat(k.applier.last().handles()).as("rule handles").isEqualTo(s.handles());
                    checked = true;
                }
            }
        }
        List<double[]> nftF = new ArrayList<>();
        List<double[]> nftL = new ArrayList<>();
        if (!Boolean.getBoolean("bulwark.perf.skipnft")) {
            for (int i = 0; i < 1 + Math.min(runs, 5); i++) {
                settle();
                try (TestNamespace ns = TestNamespace.create("perfnft")) {
                    settle();
                    double[] t = timed(ns, "nft -f " + file);
                    settle();
                    double[] l = timed(ns, "nft -j list ruleset >/dev/null");
                    if (i > 0) {
                        nftF.add(t);
                        nftL.add(l);
                    }
                }
            }
        }
        System.out.println("perf: medians over " + runs + " runs");
        System.out.printf(Locale.ROOT, "perf:   applyFull  %s%n", medians(apply,
                "wall %.1f ms, thread user %.1f sys %.1f, process user %.1f sys %.1f, messages %.0f, sends %.0f, receives %.0f"));
        System.out.printf(Locale.ROOT, "perf:   readState  %s%n", medians(read,
                "wall %.1f ms, thread user %.1f sys %.1f, process user %.1f sys %.1f"));
        if (!nftF.isEmpty()) {
            System.out.printf(Locale.ROOT, "perf:   nft -f     %s%n", medians(nftF, "wall %.1f ms, user %.1f sys %.1f"));
            System.out.printf(Locale.ROOT, "perf:   nft -j list ruleset %s%n", medians(nftL, "wall %.1f ms, user %.1f sys %.1f"));
        }
    }

    /**
     * Waits until the machine is idle (under 10% of one CPU busy over 100 ms, from /proc/stat), at most 20 s: a
     * namespace removed with a large table is torn down by kernel workers after the removal returns, and that would
     * compete with the next run.
     */
    private static void settle() throws Exception {
        long quiet = System.nanoTime() + 180_000_000_000L;
        boolean told = false;
        while (!Boolean.getBoolean("bulwark.perf.monitor") && nftablesListeners() && System.nanoTime() < quiet) {
            if (!told) System.out.println("perf: waiting for the nftables listeners on this machine to go (they make the kernel build a notification per change)");
            told = true;
            Thread.sleep(500);
        }
        if (nftablesListeners()) System.out.println("perf: WARNING: a process listens to nftables notifications: kernel times include them");
        int cpus = Runtime.getRuntime().availableProcessors();
        long end = System.nanoTime() + 20_000_000_000L;
        long[] a = cpuTicks();
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            long[] b = cpuTicks();
            double busy = (double) (b[0] - a[0]) / Math.max(1, b[1] - a[1]) * cpus;
            a = b;
            if (busy < 0.1) return;
        }
    }

    /**
     * Whether any netlink socket on the machine, in any namespace, has joined NFNLGRP_NFTABLES (group 7): the kernel
     * checks for listeners across namespaces, so one {@code nft monitor} (or Bulwark daemon) anywhere makes every
     * nftables change build notifications, which doubles the kernel's share of a large apply.
     */
    static boolean nftablesListeners() throws IOException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
                try {
                    if (!seen.add(Files.readSymbolicLink(p.resolve("ns/net")).toString())) continue;
                    for (String line : Files.readAllLines(p.resolve("net/netlink"))) {
                        String[] f = line.trim().split("\\s+");
                        if (f.length > 3 && f[1].equals("12") && (Long.parseLong(f[3], 16) & 0x40) != 0) return true;
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        }
        // A process may hold sockets in a namespace its threads entered and left (the daemon's --netns): look inside
        // the named namespaces too.
        try (var named = Files.list(Path.of("/run/netns"))) {
            for (Path n : (Iterable<Path>) named::iterator) {
                TestNamespace.Result r = TestNamespace.runResult("ip", "netns", "exec", n.getFileName().toString(), "cat", "/proc/net/netlink");
                if (r.code() != 0) continue;
                for (String line : r.output().lines().toList()) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].equals("12") && f[3].matches("[0-9a-fA-F]+") && (Long.parseLong(f[3], 16) & 0x40) != 0) return true;
                }
            }
        } catch (IOException none) {
            // no named namespaces
        }
        return false;
    }

    /** {busy, total} ticks of all CPUs. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long total = 0, idle = 0;
        for (int i = 1; i < f.length; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) idle += v; // idle, iowait
        }
        return new long[]{total - idle, total};
    }

    private static String medians(List<double[]> rows, String format) {
        Object[] m = new Object[rows.getFirst().length];
        for (int c = 0; c < m.length; c++) {
            int col = c;
            double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
            m[c] = v[v.length / 2];
        }
        return String.format(Locale.ROOT, format, m);
    }

    /** Wall, user and system milliseconds of a shell command run in the namespace (bash's time). */
    private static double[] timed(TestNamespace ns, String command) {
        String out = ns.exec("bash", "-c", "TIMEFORMAT='%3R %3U %3S'; { time " + command + " ; } 2>&1");
        String[] f = out.strip().lines().reduce((a, b) -> b).orElseThrow().trim().split("\\s+");
        return Arrays.stream(f).mapToDouble(x -> Double.parseDouble(x) * 1000).toArray();
    }

    /** CPU milliseconds of this thread and of the process, from getrusage(2). */
    private record Usage(double threadUser, double threadSys, double selfUser, double selfSys) {
        private static final MethodHandle GETRUSAGE = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("getrusage").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

        static Usage now() {
            double[] self = get(0), thread = get(1);
            return new Usage(thread[0], thread[1], self[0], self[1]);
        }

        private static double[] get(int who) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment r = a.allocate(144, 8);
                int rc = (int) GETRUSAGE.invokeExact(who, r);
                if (rc != 0) throw new IllegalStateException("getrusage");
                return new double[]{ms(r, 0), ms(r, 16)};
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        private static double ms(MemorySegment r, long off) {
            return r.get(ValueLayout.JAVA_LONG, off) * 1000.0 + r.get(ValueLayout.JAVA_LONG, off + 8) / 1000.0;
        }
    }

    // ---- the benchmark's ruleset, as nft text -----------------------------------------------------------------------

    private static final int SLOTS = 1 << 20;
    private static final int MUL = 0x9E3779B1;

    /** The benchmark's element {@code index}: a scattered address (3 in 4) or /30 (1 in 4) in 10.0.0.0/8. */
    static String element(int index) {
        int slot = (int) ((index * (long) MUL) & (SLOTS - 1));
        long base = (10L << 24) | ((long) slot << 4);
        if ((index & 3) == 0) return dotted(base + 4) + "/30";
        int offset = 1 + (int) (((index * 0x2545F491L) >>> 7) % 14);
        return dotted(base + offset);
    }

    private static String dotted(long a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    /**
     * A ruleset of the benchmark's shape, as Bulwark's compiler lays it out: zone dispatch by verdict maps, zone and
     * zone-pair chains, the blocklist set, {@code rules} rules (tcp/udp dport, every tenth with two ports in an
     * anonymous set, a quarter with a source /24 and a quarter with a source address, each with its named counter and
     * a comment).
     */
    static String nftText(int rules, int zones, int elements) {
        StringBuilder b = new StringBuilder(elements * 16 + rules * 160);
        b.append("table inet bulwark\ndelete table inet bulwark\ntable inet bulwark {\n");
        b.append("\tset set_blocklist {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {\n");
        for (int i = 0; i < elements; i++) b.append("\t\t\t").append(element(i)).append(i + 1 < elements ? ",\n" : "\n");
        b.append("\t\t}\n\t}\n");
        for (int z = 0; z < zones; z++) b.append("\tset zone_z").append(z).append(" {\n\t\ttype ifname\n\t\telements = { \"bwv").append(z).append("\" }\n\t}\n");
        for (String hook : List.of("input", "forward", "output")) {
            b.append("\tmap ").append(hook).append("_zones {\n\t\ttype ifname : verdict\n\t\telements = {\n");
            for (int z = 0; z < zones; z++) {
                b.append("\t\t\t\"bwv").append(z).append("\" : jump ").append(hook).append("_z").append(z).append(z + 1 < zones ? ",\n" : "\n");
            }
            b.append("\t\t}\n\t}\n");
        }
        for (int i = 0; i < rules; i++) b.append("\tcounter rule_r").append(i).append(" {\n\t}\n");
        b.append("\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\tiifname \"lo\" accept\n"
                + "\t\tct state established,related accept\n\t\tct state invalid drop\n\t\tiifname vmap @input_zones\n\t}\n");
        b.append("\tchain forward {\n\t\ttype filter hook forward priority filter; policy drop;\n"
                + "\t\tct state established,related accept\n\t\tct state invalid drop\n\t\tiifname vmap @forward_zones\n\t}\n");
        b.append("\tchain output {\n\t\ttype filter hook output priority filter; policy accept;\n\t\toifname \"lo\" accept\n"
                + "\t\tct state established,related accept\n\t\tct state invalid drop\n\t\toifname vmap @output_zones\n\t}\n");
        List<List<StringBuilder>> self = new ArrayList<>();
        List<List<List<StringBuilder>>> pair = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            self.add(new ArrayList<>());
            List<List<StringBuilder>> p = new ArrayList<>();
            for (int t = 0; t < zones; t++) p.add(new ArrayList<>());
            pair.add(p);
        }
        for (int i = 0; i < rules; i++) {
            int from = i % zones;
            StringBuilder r = new StringBuilder("\t\t");
            if (i < zones) {
                self.get(from).add(r.append("ip saddr @set_blocklist counter name \"rule_r").append(i).append("\" drop comment \"r").append(i).append("\"\n"));
                continue;
            }
            if (i % 4 == 0) {
                int n = i % 4096;
                r.append("ip saddr 172.").append(16 + (n >> 8)).append('.').append(n & 255).append(".0/24 ");
            } else if (i % 4 == 1) {
                r.append("ip saddr 192.168.").append((i >> 8) & 255).append('.').append(1 + (i & 127)).append(' ');
            }
            int port = 1024 + (int) ((i * 7L) % 28000);
            r.append(i % 2 == 0 ? "tcp" : "udp").append(" dport ");
            if (i % 10 == 9) r.append("{ ").append(port).append(", ").append(port + 1).append(" }");
            else r.append(port);
            r.append(" counter name \"rule_r").append(i).append("\" ").append(i % 7 == 0 ? "drop" : "accept")
                    .append(" comment \"r").append(i).append("\"\n");
            if (i % 3 == 0) self.get(from).add(r);
            else pair.get(from).get((from + 1 + (i / zones) % (zones - 1)) % zones).add(r);
        }
        for (int z = 0; z < zones; z++) {
            b.append("\tchain input_z").append(z).append(" {\n");
            self.get(z).forEach(b::append);
            b.append("\t\tdrop comment \"zone z").append(z).append(" input policy\"\n\t}\n");
            b.append("\tchain output_z").append(z).append(" {\n\t\taccept comment \"zone z").append(z).append(" output policy\"\n\t}\n");
            b.append("\tchain forward_z").append(z).append(" {\n");
            for (int t = 0; t < zones; t++) {
                if (t != z) b.append("\t\toifname @zone_z").append(t).append(" jump forward_z").append(z).append("_to_z").append(t).append('\n');
            }
            b.append("\t\tdrop comment \"zone z").append(z).append(" forward policy\"\n\t}\n");
            for (int t = 0; t < zones; t++) {
                if (t == z) continue;
                b.append("\tchain forward_z").append(z).append("_to_z").append(t).append(" {\n");
                pair.get(z).get(t).forEach(b::append);
                if (z == 0 && t == 1) b.append("\t\taccept comment \"policy z0 to z1\"\n");
                b.append("\t}\n");
            }
        }
        b.append("}\n");
        return b.toString();
    }

    @KernelTest({NETNS, NFTABLES})
    @Test
    void theGeneratedRulesetLoads() throws IOException {
        // A small one, so that the generator is checked in the normal build too (needs root: a namespace).
        try (Kernel k = Kernel.create("perfgen")) {
            Path f = Files.createTempFile("bulwark-perf", ".nft");
            try {
                Files.writeString(f, nftText(100, 4, 200));
                k.nft("-f", f.toString());
            } finally {
                Files.deleteIfExists(f);
            }
            NftRuleset r = k.read();
            assertThat(r.objects()).hasSize(100);
            assertThat(r.rules().values().stream().mapToInt(List::size).sum()).isGreaterThan(100);
        }
    }
}
