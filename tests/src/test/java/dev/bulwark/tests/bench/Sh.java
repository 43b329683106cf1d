package dev.bulwark.tests.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs commands for the benchmark (the product never shells out; the benchmark runs ip, nft, wrk and the CLI). */
final class Sh {
    private Sh() {
    }

    /** What a command printed and how it ended. */
    record Out(int code, String out, String err) {
        Out orThrow(List<String> cmd) {
            if (code != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed (" + code + "): " + tail(err + out));
            return this;
        }
    }

    /**
     * A command timed by bash's {@code time} keyword: wall clock, and the user and system CPU time of the command and
     * its children (getrusage), in milliseconds.
     */
    record Timed(double realMs, double userMs, double sysMs, int code, String err) {
    }

    static Out run(Duration timeout, String... cmd) {
        return run(timeout, List.of(cmd), Map.of());
    }

    static Out must(Duration timeout, String... cmd) {
        return run(timeout, List.of(cmd), Map.of()).orThrow(List.of(cmd));
    }

    static Out run(Duration timeout, List<String> cmd, Map<String, String> env) {
        Path out = null, err = null;
        try {
            out = Files.createTempFile("bwb-out", ".txt");
            err = Files.createTempFile("bwb-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Out(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    /** Runs {@code cmd} under bash's {@code time}, its output discarded (its standard error kept for failures). */
    static Timed timed(Duration timeout, List<String> cmd) {
        List<String> full = new ArrayList<>(List.of("bash", "-c",
                "TIMEFORMAT='BWTIME %3R %3U %3S'; errf=$(mktemp); { time \"$@\" >/dev/null 2>\"$errf\"; } 2>&1; rc=$?; "
                        + "tail -c 2000 \"$errf\" >&2; rm -f \"$errf\"; exit $rc", "bash"));
        full.addAll(cmd);
        Out o = run(timeout, full, Map.of());
        for (String line : o.out().split("\n")) {
            if (line.startsWith("BWTIME ")) {
                String[] f = line.split(" ");
                return new Timed(ms(f[1]), ms(f[2]), ms(f[3]), o.code(), o.err());
            }
        }
        throw new IllegalStateException(String.join(" ", cmd) + ": no timing in " + tail(o.out() + o.err()));
    }

    static Timed timedOk(Duration timeout, List<String> cmd) {
        Timed t = timed(timeout, cmd);
        if (t.code() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed (" + t.code() + "): " + tail(t.err()));
        return t;
    }

    private static double ms(String seconds) {
        return Double.parseDouble(seconds) * 1000;
    }

    static String tail(String s) {
        s = s.strip();
        return s.length() <= 1500 ? s : "…" + s.substring(s.length() - 1500);
    }

    private static void delete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
