package dev.bulwark.control.revision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a child JVM that commits revisions and acknowledges them on stdout, kills it with SIGKILL at random moments,
 * and after every kill calls a check on the restarted state, until enough commits were acknowledged.
 *
 * <p>The revision test's check opens the store and verifies every acknowledged revision. <b>Hook for the reconciler's
 * half of the crash test</b> ("the kernel converges to the latest one"): run a child that commits and then
 * applies each revision to a network namespace, and pass an {@link AfterRestart} that opens the store, reconciles the
 * namespace to {@code store.latest()} as the daemon does at start, and compares the kernel's state with the compiled
 * latest revision.
 */
public final class CrashHarness {

    /** What to verify after each kill; {@code acked} maps every revision id acknowledged so far to its content hash. */
    @FunctionalInterface
    public interface AfterRestart {
        void check(NavigableMap<Long, String> acked, int run) throws Exception;
    }

    public record Result(int runs, int killedBeforeReady, NavigableMap<Long, String> acked, long seed) {
    }

    private final Class<?> child;
    private final List<String> childArgs;
    private final Path log;

    public CrashHarness(Class<?> child, List<String> childArgs, Path log) {
        this.child = child;
        this.childArgs = childArgs;
        this.log = log;
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /**
     * Kills children until {@code targetAcks} commits are acknowledged (or {@code maxRuns} is reached). A quarter of
     * the runs is killed at a random moment up to {@code maxEarlyMillis} after the start (the child may die while
     * starting, opening the store or cleaning up after the previous kill). The others get 0 to 2 bursts of
     * 1..{@code maxBurst} commits that complete, then one more burst, and the kill a random 0..{@code
     * maxKillDelayMicros} µs after asking for it: at a random point of the commit path (or just after it).
     */
    public Result run(int targetAcks, int maxRuns, int maxEarlyMillis, int maxBurst, int maxKillDelayMicros, long seed,
               AfterRestart check) throws Exception {
        Random rnd = new Random(seed);
        NavigableMap<Long, String> acked = new TreeMap<>();
        int runs = 0, early = 0;
        while (acked.size() < targetAcks && runs < maxRuns) {
            runs++;
            List<String> cmd = new ArrayList<>(List.of(java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", classpath(), child.getName()));
            cmd.addAll(childArgs);
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Object progress = new Object();
            int[] seen = {-1}; // -1: not ready; then the number of acks of this run
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                        synchronized (progress) {
                            if (l.startsWith("ready ")) seen[0] = 0;
                            else if (l.startsWith("ack ")) seen[0]++;
                            progress.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    lines.add("read failed: " + e);
                }
            });
            Writer stdin = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
            boolean killEarly = rnd.nextInt(4) == 0;
            if (killEarly) {
                early++;
                Thread.sleep(rnd.nextInt(maxEarlyMillis + 1));
            } else {
                synchronized (progress) {
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (seen[0] < 0 && p.isAlive() && System.nanoTime() < until) progress.wait(50);
                }
                assertThat(p.isAlive()).as("child run %d did not get ready (see %s)", runs, log).isTrue();
                // whole bursts first, then one more burst that the kill cuts at a random point
                int wanted = 0;
                for (int b = rnd.nextInt(3); b >= 0; b--) {
                    int n = 1 + rnd.nextInt(maxBurst);
                    wanted += n;
                    stdin.write("go " + n + "\n");
                    stdin.flush();
                    if (b == 0) break;
                    synchronized (progress) {
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                        while (seen[0] < wanted && p.isAlive() && System.nanoTime() < until) progress.wait(50);
                    }
                }
                LockSupport.parkNanos(rnd.nextLong(maxKillDelayMicros * 1000L + 1));
            }
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(20));
            synchronized (lines) {
                for (String l : lines) {
                    if (!l.startsWith("ack ")) continue;
                    String[] f = l.split(" ");
                    long id = Long.parseLong(f[1]);
                    String before = acked.put(id, f[2]);
                    assertThat(before).as("revision id %d acknowledged twice (run %d, seed %d)", id, runs, seed).isNull();
                }
            }
            check.check(Collections.unmodifiableNavigableMap(acked), runs);
        }
        return new Result(runs, early, acked, seed);
    }
}
