package dev.bulwark.tests.bench;

import dev.bulwark.dataplane.port.NftPort;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.control.reconcile.Reconciler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The performance benchmark of issue 6: Bulwark against the reference tools ({@code nft -f}, {@code nft -j list
 * ruleset}) on the same kernel in the same run, as ratios. Run it with {@code scripts/bench} (root; it builds and
 * installs what it needs). Every scenario runs in throwaway namespaces {@code bwb-PID-N}, removed also on failure.
 *
 * <p>Figures are medians of {@code --runs} measured runs after {@code --warmup} runs that are not counted. The
 * reference always loads the very ruleset Bulwark built: Bulwark applies the workload once, {@code nft list table}
 * lists it back, and that text is what {@code nft -f} loads into a fresh namespace.
 *
 * <pre>
 * Bench [--rules N] [--zones M] [--elements K] [--scale K1,K2,...] [--runs R] [--warmup W]
 *       [--wrk-seconds S] [--out DIR] [--jfr] [--only 1,2,...]
 * </pre>
 */
public final class Bench {

    /** Where things are: the checkout (its launcher and jar) and the benchmark's scratch directory. */
    record Env(Path root, Path work, Path out, boolean jfr) {
        Path launcher() {
            return root.resolve("bulwark");
        }

        /** The command that runs the CLI, exactly as a user runs it. */
        List<String> cli() {
            return List.of(launcher().toString());
        }
    }

    record Options(int rules, int zones, int elements, List<Integer> scale, int runs, int warmup, int wrkSeconds,
                   int wrkConnections, Path out, boolean jfr, List<Integer> only) {
        static Options parse(String[] args) {
            int rules = 10_000, zones = 8, elements = 100_000, runs = 7, warmup = 2, wrk = 20, conns = 64;
            List<Integer> scale = List.of(10_000, 100_000, 1_000_000);
            List<Integer> only = List.of();
            Path out = Path.of("bench-results");
            boolean jfr = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--rules" -> rules = Integer.parseInt(args[++i]);
                    case "--zones" -> zones = Integer.parseInt(args[++i]);
                    case "--elements" -> elements = Integer.parseInt(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--wrk-seconds" -> wrk = Integer.parseInt(args[++i]);
                    case "--wrk-connections" -> conns = Integer.parseInt(args[++i]);
                    case "--scale" -> scale = ints(args[++i]);
                    case "--only" -> only = ints(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--jfr" -> jfr = true;
                    case "-h", "--help" -> {
                        System.out.println("usage: bench [--rules N] [--zones M] [--elements K] [--scale K1,K2,..] [--runs R] [--warmup W]"
                                + " [--wrk-seconds S] [--wrk-connections C] [--out DIR] [--jfr] [--only 1,2,..]");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (--help lists them)");
                }
            }
            if (runs < 1 || warmup < 0) throw new IllegalArgumentException("--runs must be at least 1 and --warmup at least 0");
            return new Options(rules, zones, elements, scale, runs, warmup, wrk, conns, out, jfr, only);
        }

        private static List<Integer> ints(String s) {
            List<Integer> l = new ArrayList<>();
            for (String p : s.split(",")) l.add(Integer.parseInt(p.strip().replace("_", "")));
            return l;
        }

        boolean wants(int scenario) {
            return only.isEmpty() || only.contains(scenario);
        }
    }

    private static final Duration NFT = Duration.ofMinutes(10);
    private static final String TOKEN = "bench-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

    private final Options o;
    private final Env env;
    private final Report report = new Report();
    private int nextPort = 18_400 + (int) (ProcessHandle.current().pid() % 500);

    private Bench(Options o, Env env) {
        this.o = o;
        this.env = env;
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (RuntimeException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!"0".equals(Sh.run(Duration.ofSeconds(5), "id", "-u").out().strip())) {
            System.err.println("bench: must run as root (it creates network namespaces and loads nftables rulesets)");
            System.exit(2);
        }
        for (String tool : List.of("nft", "ip", "nsenter", "wrk")) {
            if (Sh.run(Duration.ofSeconds(5), "sh", "-c", "command -v " + tool).code() != 0) {
                System.err.println("bench: " + tool + " is not installed (scripts/bench installs it: apt-get install nftables iproute2 util-linux wrk)");
                System.exit(2);
            }
        }
        Path root = Path.of(System.getProperty("bulwark.root", ".")).toAbsolutePath().normalize();
        if (!Files.isExecutable(root.resolve("bulwark"))) {
            System.err.println("bench: no launcher at " + root.resolve("bulwark") + " (set -Dbulwark.root to the checkout)");
            System.exit(2);
        }
        Files.createDirectories(o.out());
        Path work = Files.createTempDirectory("bulwark-bench");
        Netns.removeStale();
        Bench b = new Bench(o, new Env(root, work, o.out().toAbsolutePath(), o.jfr()));
        try {
            b.run();
        } finally {
            deleteTree(work);
        }
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        describeMachine();
        report.parameters.put("rules", o.rules());
        report.parameters.put("zones", o.zones());
        report.parameters.put("elements", o.elements());
        report.parameters.put("scale", o.scale());
        report.parameters.put("runs", o.runs());
        report.parameters.put("warmup", o.warmup());
        report.parameters.put("wrkSeconds", o.wrkSeconds());
        report.parameters.put("wrkConnections", o.wrkConnections());
        System.err.println("bench: " + report.machine);
        System.err.println("bench: " + report.parameters);

        Workload w = workload(o.elements());
        Path[] ref = new Path[1];
        if (o.wants(1) || o.wants(3) || o.wants(4) || o.wants(2) || o.wants(7)) {
            guarded("1", () -> ref[0] = fullApply("1", w, o.runs(), true));
        }
        if (o.wants(2) || o.wants(6)) guarded("2/6", () -> daemonScenarios(w, ref[0], ""));
        if (o.wants(5)) guarded("5", this::api);
        if (o.wants(7)) {
            for (int k : o.scale()) {
                if (k == o.elements()) {
                    report.notes.add("7 at K=" + k + ": the figures of scenarios 1 and 2 (the default size)");
                    continue;
                }
                Workload wk = workload(k);
                int runs = k >= 1_000_000 ? Math.max(1, Math.min(o.runs(), 3)) : o.runs();
                Path[] refK = new Path[1];
                guarded("7 K=" + kLabel(k), () -> refK[0] = fullApply("7", wk, runs, false));
                if (refK[0] != null) guarded("7 K=" + kLabel(k), () -> changeScenario("7", wk, refK[0], " K=" + kLabel(k), runs));
            }
        }
        String table = report.table();
        System.out.println();
        System.out.println("Bulwark benchmark — " + report.machine.get("cpu") + ", " + report.machine.get("cores") + " cores, "
                + report.machine.get("memory") + ", kernel " + report.machine.get("kernel") + ", " + report.machine.get("nft"));
        System.out.println("N=" + o.rules() + " rules over M=" + o.zones() + " zones, K=" + o.elements()
                + " set elements; medians of " + o.runs() + " runs after " + o.warmup() + " warm-up runs");
        System.out.println();
        System.out.print(table);
        report.parameters.put("seconds", Duration.between(started, Instant.now()).toSeconds());
        report.writeJson(o.out().resolve("results.json"));
        Files.writeString(o.out().resolve("table.md"), report.markdown());
        Files.writeString(o.out().resolve("table.txt"), table);
        System.out.println();
        System.out.println("results: " + o.out().resolve("results.json").toAbsolutePath() + " (and table.md, table.txt); "
                + Duration.between(started, Instant.now()).toSeconds() + " s");
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs a scenario; a failure is reported (a MISS row with the reason) and the benchmark goes on. */
    private void guarded(String scenario, Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
            System.err.println("bench: scenario " + scenario + " failed: " + why);
            e.printStackTrace();
            report.failed(scenario, "scenario failed", "-", Report.Kind.AT_MOST, 0, Sh.tail(why));
        }
    }

    private Workload workload(int elements) {
        return new Workload(o.rules(), o.zones(), elements, 8443, TOKEN);
    }

    private static String kLabel(int k) {
        return k >= 1_000_000 && k % 1_000_000 == 0 ? k / 1_000_000 + "M" : k >= 1000 && k % 1000 == 0 ? k / 1000 + "k" : Integer.toString(k);
    }

    // ------------------------------------------------------------------ scenario 1 (and 3, 4): full apply

    /**
     * Full apply of {@code w} into empty namespaces: Bulwark in this warm JVM (config text → kernel: parse, validate,
     * compile, apply) against {@code nft -f} of the listed-back ruleset; the kernel floor ({@code nft -f}'s system
     * time); with {@code all} also the cold CLI, the no-op reconcile and the read-back. Returns the reference file.
     */
    private Path fullApply(String scenario, Workload w, int runs, boolean all) throws Exception {
        String label = scenario.equals("1") ? "" : " K=" + kLabel(w.elements());
        System.err.println("bench: generating the workload, K=" + w.elements());
        String text = w.text();
        Path file = env.work().resolve("config-" + w.elements() + ".json");
        Files.writeString(file, text);
        Path ref = env.work().resolve("reference-" + w.elements() + ".nft");

        List<Double> total = new ArrayList<>(), applyOnly = new ArrayList<>(), compileOnly = new ArrayList<>();
        Netns last = null;
        KernelDataplane lastDp = null;
        Reconciler lastRec = null;
        long messages = 0;
        try {
            for (int i = 0; i < o.warmup() + runs; i++) {
                if (lastDp != null) {
                    lastDp.close();
                    last.close();
                }
                last = Netns.create(w.devices());
                lastDp = KernelDataplane.open(last.name);
                lastRec = new Reconciler(lastDp);
                System.gc();
                long before = lastDp.messagesSent();
                long t0 = System.nanoTime();
                Config c = Workload.parse(text);
                DesiredState d = Compiler.compile(c);
                long t1 = System.nanoTime();
                lastRec.apply(d);
                long t2 = System.nanoTime();
                messages = lastDp.messagesSent() - before;
                if (i == 0) {
                    Files.writeString(ref, Sh.must(NFT, "nsenter", "--net=/run/netns/" + last.name, "nft", "list", "table", "inet", "bulwark").out());
                }
                if (i >= o.warmup()) {
                    total.add(Stats.ms(t2 - t0));
                    applyOnly.add(Stats.ms(t2 - t1));
                    compileOnly.add(Stats.ms(t1 - t0));
                }
                System.err.printf(Locale.ROOT, "bench: %s full apply %s: %.1f ms (parse+compile %.1f, apply %.1f)%n", label,
                        i < o.warmup() ? "warm-up" : "run " + (i - o.warmup() + 1), Stats.ms(t2 - t0), Stats.ms(t1 - t0), Stats.ms(t2 - t1));
            }

            // the reference: nft -f of the same ruleset into fresh namespaces
            List<Double> nftReal = new ArrayList<>(), nftSys = new ArrayList<>();
            String equalCheck = null;
            for (int i = 0; i < o.warmup() + runs; i++) {
                try (Netns ns = Netns.create(w.devices())) {
                    Sh.Timed t = Sh.timedOk(NFT, nsenter(ns, "nft", "-f", ref.toString()));
                    if (i >= o.warmup()) {
                        nftReal.add(t.realMs());
                        nftSys.add(t.sysMs());
                    }
                    if (i == 0) equalCheck = sameRuleset(last, ns);
                    System.err.printf(Locale.ROOT, "bench: %s nft -f: %.1f ms (sys %.1f)%n", label, t.realMs(), t.sysMs());
                }
            }
            if (equalCheck != null) report.notes.add(scenario + label + ": " + equalCheck);
            double[] ref1 = Stats.of(nftReal);
            double floor = Stats.median(Stats.of(nftSys)) / Stats.median(ref1);
            report.add(scenario, "full apply, warm (text → kernel)" + label, "ms", Stats.of(total), ref1, Report.Kind.RATIO_AT_MOST, 0.7,
                    String.format(Locale.ROOT, "kernel floor (nft -f system time / wall) %.2f; %d netlink messages", floor, messages));
            report.add(scenario, "  of which apply (compiled → kernel)" + label, "ms", Stats.of(applyOnly), ref1, Report.Kind.INFO, 0, null);
            report.add(scenario, "  of which parse+validate+compile" + label, "ms", Stats.of(compileOnly), null, Report.Kind.INFO, 0, null);
            report.add(scenario, "  kernel floor: nft -f system time" + label, "ms", Stats.of(nftSys), ref1, Report.Kind.INFO, 0, null);

            if (all) {
                if (o.wants(1)) coldCli(scenario, w, file, ref1);
                if (o.wants(3)) noop(w, text, lastRec, lastDp);
                if (o.wants(4)) readBack(lastDp, last);
            }
        } finally {
            if (lastDp != null) lastDp.close();
            if (last != null) last.close();
        }
        return ref;
    }

    /** The cold CLI: {@code bulwark apply --netns NS FILE} as a new process (JVM start included) per run. */
    private void coldCli(String scenario, Workload w, Path file, double[] reference) {
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < o.warmup() + o.runs(); i++) {
            Path state = null;
            try (Netns ns = Netns.create(w.devices())) {
                // a fresh state directory per run: apply commits a revision there, as the daemon would
                state = Files.createTempDirectory("bwb-state");
                List<String> cmd = new ArrayList<>(env.cli());
                cmd.addAll(List.of("apply", "--state-dir", state.toString(), "--netns", ns.name, file.toString()));
                Sh.Timed t = Sh.timedOk(NFT, cmd);
                if (i >= o.warmup()) cold.add(t.realMs());
                System.err.printf(Locale.ROOT, "bench: cold CLI apply: %.1f ms%n", t.realMs());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                if (state != null) deleteTree(state);
            }
        }
        report.add(scenario, "full apply, cold CLI (bulwark apply)", "ms", Stats.of(cold), reference, Report.Kind.RATIO_AT_MOST, 1.5, null);
    }

    /** Scenario 3: the reconcile of an unchanged config (compiled again: equal, not the same objects). */
    private void noop(Workload w, String text, Reconciler rec, KernelDataplane dp) {
        Config c = Workload.parse(text);
        List<Double> withCompile = new ArrayList<>(), reconcileOnly = new ArrayList<>();
        long messages = 0, changes = 0;
        for (int i = 0; i < o.warmup() + Math.max(o.runs(), 11); i++) {
            long m0 = dp.messagesSent(), c0 = dp.changesSent();
            long t0 = System.nanoTime();
            DesiredState d = Compiler.compile(c);
            long t1 = System.nanoTime();
            Reconciler.Applied a = rec.apply(d);
            long t2 = System.nanoTime();
            if (a.changed()) throw new IllegalStateException("the no-op reconcile planned changes: " + a.plan());
            if (i >= o.warmup()) {
                withCompile.add(Stats.ms(t2 - t0));
                reconcileOnly.add(Stats.ms(t2 - t1));
                messages += dp.messagesSent() - m0;
                changes += dp.changesSent() - c0;
            }
        }
        report.add("3", "no-op reconcile (diff + plan against memory)", "ms", Stats.of(reconcileOnly), null, Report.Kind.AT_MOST, 20,
                "the desired state compiled anew each run (equal, not the same objects), so the diff compares everything");
        report.add("3", "  with a compile of the config first", "ms", Stats.of(withCompile), null, Report.Kind.INFO, 0,
                "the engine compiles once per revision and keeps it, so its periodic reconcile does not pay this");
        report.add("3", "no-op netlink messages sent (all runs)", "msgs", Stats.one(messages), null, Report.Kind.AT_MOST, 0,
                changes + " of them change requests");
    }

    /** Scenario 4: reading back our whole live table (netlink dump into value types) against nft -j list ruleset. */
    private void readBack(KernelDataplane dp, Netns ns) {
        List<Double> ours = new ArrayList<>(), theirs = new ArrayList<>();
        for (int i = 0; i < o.warmup() + o.runs(); i++) {
            long t0 = System.nanoTime();
            var state = dp.port(NftPort.KIND).read();
            long t1 = System.nanoTime();
            if (state.ruleset() == null) throw new IllegalStateException("read back nothing");
            Sh.Timed t = Sh.timedOk(NFT, nsenter(ns, "nft", "-j", "list", "ruleset"));
            if (i >= o.warmup()) {
                ours.add(Stats.ms(t1 - t0));
                theirs.add(t.realMs());
            }
        }
        report.add("4", "read-back of the live ruleset", "ms", Stats.of(ours), Stats.of(theirs), Report.Kind.RATIO_AT_MOST, 0.5,
                "Bulwark: netlink dump into value types, in the warm JVM; reference: nft -j list ruleset");
    }

    /** Whether the table Bulwark built and the one nft -f loaded list the same. */
    private static String sameRuleset(Netns a, Netns b) {
        String x = Sh.must(NFT, "nsenter", "--net=/run/netns/" + a.name, "nft", "list", "table", "inet", "bulwark").out();
        String y = Sh.must(NFT, "nsenter", "--net=/run/netns/" + b.name, "nft", "list", "table", "inet", "bulwark").out();
        if (!x.equals(y)) throw new IllegalStateException("the reference loaded a different ruleset than Bulwark built");
        return "the reference's table lists identically to Bulwark's (" + x.lines().count() + " lines)";
    }

    private static List<String> nsenter(Netns ns, String... cmd) {
        List<String> l = new ArrayList<>(List.of("nsenter", "--net=/run/netns/" + ns.name));
        l.addAll(List.of(cmd));
        return l;
    }

    // ------------------------------------------------------------------ scenarios 2 and 6: the daemon

    /**
     * The daemon on the default workload: first start (a full apply at start), idle RSS, the one-change commit
     * latency against nft -f of the change, then a restart over the converged kernel.
     */
    private void daemonScenarios(Workload w, Path ref, String label) throws Exception {
        Path file = env.work().resolve("daemon-" + w.elements() + ".json");
        Files.writeString(file, w.text());
        Path state = Files.createTempDirectory(env.work(), "state");
        Path log = env.work().resolve("daemon.log");
        int port = nextPort++;
        try (Netns ns = Netns.create(w.devices())) {
            double firstReady;
            try (DaemonProc d = DaemonProc.start(env, file, state, ns.name, port, TOKEN, log)) {
                firstReady = d.awaitReady(Duration.ofMinutes(5));
                System.err.printf(Locale.ROOT, "bench: daemon ready after %.0f ms (first start, full apply)%n", firstReady);
                if (o.wants(6)) {
                    sleep(15_000); // idle: the daemon's periodic collection (every 10 s of quiet) gives memory back
                    report.add("6", "daemon RSS idle after the full apply", "MiB", Stats.one(d.rssMiB()), null, Report.Kind.AT_MOST, 250,
                            String.format(Locale.ROOT, "heap used %s", d.heapNote()));
                }
                if (o.wants(2) && ref != null) change("2", w, ref, d, ns, o.runs(), label);
            }
            if (o.wants(6)) {
                List<Double> ready = new ArrayList<>();
                for (int i = 0; i < 1 + o.runs(); i++) {
                    try (DaemonProc d = DaemonProc.start(env, null, state, ns.name, port, TOKEN, log)) {
                        double ms = d.awaitReady(Duration.ofMinutes(5));
                        if (i >= 1) ready.add(ms);
                        System.err.printf(Locale.ROOT, "bench: daemon restart ready after %.0f ms%n", ms);
                    }
                }
                report.add("6", "daemon start-to-ready (restart, kernel converged)", "ms", Stats.of(ready), null, Report.Kind.AT_MOST, 2000,
                        "process start until /readyz says converged: JVM, revision store, read-back of the live state, API listening");
                report.add("6", "daemon start-to-ready (first start, full apply)", "ms", Stats.one(firstReady), null, Report.Kind.INFO, 0, null);
            }
        }
    }

    /** Scenario 7's change: its own daemon per size. */
    private void changeScenario(String scenario, Workload w, Path ref, String label, int runs) throws Exception {
        Path file = env.work().resolve("daemon-" + w.elements() + ".json");
        Files.writeString(file, w.text());
        Path state = Files.createTempDirectory(env.work(), "state");
        Path log = env.work().resolve("daemon-" + w.elements() + ".log");
        try (Netns ns = Netns.create(w.devices());
             DaemonProc d = DaemonProc.start(env, file, state, ns.name, nextPort++, TOKEN, log)) {
            d.awaitReady(Duration.ofMinutes(10));
            change(scenario, w, ref, d, ns, runs, label);
        }
    }

    /**
     * One change on top of the applied workload (one element added, one rule's port changed): the daemon's commit
     * latency (PUT until the answer; the daemon answers once the kernel holds the change and the revision is on disk)
     * against {@code nft -f} of the two-line change on the reference ruleset.
     */
    private void change(String scenario, Workload w, Path ref, DaemonProc d, Netns ns, int runs, String label) throws Exception {
        List<Double> ours = new ArrayList<>();
        long rev = d.revision();
        Map<String, double[]> stagesBefore = null;
        int v = 0;
        // A daemon compiles its hot code (C2) over its first few commits of a large config: at least 6 warm-up
        // commits, so the figure is the warm daemon's.
        int warm = Math.max(o.warmup(), 6);
        for (int i = 0; i < warm + runs; i++) {
            v++;
            byte[] body = w.text(v, v).getBytes(StandardCharsets.UTF_8);
            if (i == warm) stagesBefore = d.commitStages();
            long t0 = System.nanoTime();
            rev = d.put(body, "application/json", rev);
            long t1 = System.nanoTime();
            if (i >= warm) ours.add(Stats.ms(t1 - t0));
            System.err.printf(Locale.ROOT, "bench: %s daemon change %d: %.1f ms%n", label, v, Stats.ms(t1 - t0));
        }
        verifyChange(ns, w, v);
        Map<String, double[]> stagesAfter = d.commitStages();

        // the reference: the same two changes as an nft script on the reference ruleset
        List<Double> theirs = new ArrayList<>();
        try (Netns rns = Netns.create(w.devices())) {
            Sh.timedOk(NFT, nsenter(rns, "nft", "-f", ref.toString()));
            for (int i = 1; i <= o.warmup() + runs; i++) {
                Path script = env.work().resolve("change.nft");
                Files.writeString(script, nftChange(rns, w, i));
                Sh.Timed t = Sh.timedOk(NFT, nsenter(rns, "nft", "-f", script.toString()));
                if (i > o.warmup()) theirs.add(t.realMs());
                System.err.printf(Locale.ROOT, "bench: %s nft -f change %d: %.1f ms%n", label, i, t.realMs());
            }
            verifyChange(rns, w, o.warmup() + runs);
        }
        report.add(scenario, "one change, daemon commit" + label, "ms", Stats.of(ours), Stats.of(theirs), Report.Kind.RATIO_AT_MOST, 0.05,
                "PUT /api/v1/config (whole config, " + (w.text().length() / 1024) + " KiB) until the answer; reference: nft -f of the two-line change");
        report.add(scenario, "one change, daemon commit, absolute" + label, "ms", Stats.of(ours), null, Report.Kind.AT_MOST, 10, null);
        // where the daemon spent the time: its own per-stage timers (means over the measured commits)
        double staged = 0;
        for (String stage : List.of("lockout", "compile", "apply", "store")) {
            double[] a = stagesAfter.get(stage), b = stagesBefore == null ? null : stagesBefore.get(stage);
            if (a == null || b == null || a[0] - b[0] <= 0) continue;
            double mean = (a[1] - b[1]) / (a[0] - b[0]) * 1000;
            staged += mean;
            report.add(scenario, "  of which " + stage + " (mean)" + label, "ms", Stats.one(mean), null, Report.Kind.INFO, 0, null);
        }
        if (staged > 0) {
            double mean = ours.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            report.add(scenario, "  of which HTTP, parse, validate (mean)" + label, "ms", Stats.one(mean - staged), null, Report.Kind.INFO, 0,
                    "the rest of the request: body read, JSON parse, binding and validation, the answer");
        }
    }

    private static final Pattern HANDLE = Pattern.compile("^(\\s*)(.*) # handle (\\d+)$");
    private static final Pattern CHAIN = Pattern.compile("^\\s*chain (\\S+) \\{");

    /**
     * The nft script of change {@code v}: add the element of variant v and replace the changed rule (found by its
     * counter, with its current handle) with the port of variant v.
     */
    private static String nftChange(Netns ns, Workload w, int v) {
        String listing = Sh.must(NFT, "nsenter", "--net=/run/netns/" + ns.name, "nft", "-a", "list", "table", "inet", "bulwark").out();
        String counter = "counter name \"rule_" + Workload.ruleName(w.changedRule()) + "\"";
        String chain = null;
        for (String line : listing.split("\n")) {
            Matcher c = CHAIN.matcher(line);
            if (c.find()) chain = c.group(1);
            if (!line.contains(counter)) continue;
            Matcher m = HANDLE.matcher(line);
            if (!m.find()) throw new IllegalStateException("no handle on " + line);
            String rule = m.group(2).replace("dport " + w.changedPort(v - 1) + " ", "dport " + w.changedPort(v) + " ");
            if (rule.equals(m.group(2))) throw new IllegalStateException("port " + w.changedPort(v - 1) + " not in " + line);
            return "add element inet bulwark set_blocklist { " + w.addedElement(v) + " }\n"
                    + "replace rule inet bulwark " + chain + " handle " + m.group(3) + " " + rule + "\n";
        }
        throw new IllegalStateException("rule " + counter + " not found in the reference ruleset");
    }

    /** The kernel holds change {@code v}: the element added last and the changed rule's new port. */
    private static void verifyChange(Netns ns, Workload w, int v) {
        String listing = Sh.must(NFT, "nsenter", "--net=/run/netns/" + ns.name, "nft", "list", "table", "inet", "bulwark").out();
        String element = w.addedElement(v);
        if (!Pattern.compile("[ {]" + Pattern.quote(element) + "[,\\s}]").matcher(listing).find()) {
            throw new IllegalStateException("the kernel in " + ns + " lacks the added element " + element);
        }
        String counter = "counter name \"rule_" + Workload.ruleName(w.changedRule()) + "\"";
        boolean port = listing.lines().anyMatch(l -> l.contains(counter) && l.contains("dport " + w.changedPort(v) + " "));
        if (!port) throw new IllegalStateException("the kernel in " + ns + " lacks the changed port " + w.changedPort(v));
    }

    // ------------------------------------------------------------------ scenario 5: the API under load

    /** wrk against GET /api/v1/config and POST /api/v1/config/validate of a small router's config. */
    private void api() throws Exception {
        Workload small = new Workload(40, 4, 200, 8443, TOKEN);
        Path file = env.work().resolve("daemon-small.json");
        Files.writeString(file, small.text());
        Path state = Files.createTempDirectory(env.work(), "state");
        Path log = env.work().resolve("daemon-api.log");
        try (Netns ns = Netns.create(small.devices());
             DaemonProc d = DaemonProc.start(env, file, state, ns.name, nextPort++, TOKEN, log)) {
            d.awaitReady(Duration.ofMinutes(2));
            int seconds = o.wrkSeconds();
            // warm-up: a short run of each, not counted
            Wrk.run(d.url("/api/v1/config"), TOKEN, 2, o.wrkConnections(), Math.min(5, seconds), null, env.work());
            Wrk.run(d.url("/api/v1/config/validate"), TOKEN, 2, o.wrkConnections(), Math.min(5, seconds), file, env.work());
            Wrk.Result get = Wrk.run(d.url("/api/v1/config"), TOKEN, 2, o.wrkConnections(), seconds, null, env.work());
            Wrk.Result val = Wrk.run(d.url("/api/v1/config/validate"), TOKEN, 2, o.wrkConnections(), seconds, file, env.work());
            String size = "config of " + small.rules() + " rules, " + small.elements() + " elements (" + Files.size(file) / 1024 + " KiB as JSON)";
            report.add("5", "GET /api/v1/config throughput", "req/s", Stats.one(get.requestsPerSecond()), null, Report.Kind.AT_LEAST, 10_000,
                    size + "; wrk -t2 -c" + o.wrkConnections() + " -d" + seconds + "s; " + get.errors() + " errors of " + get.requests());
            report.add("5", "GET /api/v1/config p99 latency", "ms", Stats.one(get.p99Ms()), null, Report.Kind.AT_MOST, 10,
                    "p50 " + Report.fmt(get.p50Ms()) + " ms");
            report.add("5", "POST /api/v1/config/validate throughput", "req/s", Stats.one(val.requestsPerSecond()), null, Report.Kind.INFO, 0,
                    val.errors() + " errors of " + val.requests() + "; p50 " + Report.fmt(val.p50Ms()) + " ms");
            report.add("5", "POST /api/v1/config/validate p99 latency", "ms", Stats.one(val.p99Ms()), null, Report.Kind.INFO, 0, null);
            if (get.errors() > 0 || val.errors() > 0) {
                report.notes.add("5: wrk saw errors; the daemon log: " + d.logTail());
            }
        }
    }

    // ------------------------------------------------------------------ the machine

    private void describeMachine() throws IOException {
        Map<String, Object> m = report.machine;
        String cpu = "unknown";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).strip();
                break;
            }
        }
        m.put("cpu", cpu);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        long memKb = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        m.put("memory", String.format(Locale.ROOT, "%.1f GiB", memKb / 1024.0 / 1024.0));
        m.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        m.put("os", osName());
        m.put("nft", Sh.run(Duration.ofSeconds(5), "nft", "--version").out().strip());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("date", Instant.now().toString());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("loadavg", Files.readString(Path.of("/proc/loadavg")).strip());
        m.put("atStart", extra);
    }

    private static String osName() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) return line.substring(12).replace("\"", "");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // scratch
                }
            });
        } catch (IOException ignored) {
            // scratch
        }
    }
}
