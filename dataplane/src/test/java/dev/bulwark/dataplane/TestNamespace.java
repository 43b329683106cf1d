package dev.bulwark.dataplane;

import dev.bulwark.dataplane.testing.KernelAssume;
import dev.bulwark.dataplane.testing.KernelFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway network namespace for kernel tests, made with {@code ip netns add} and removed on close (tests use
 * try-with-resources, so it goes also on failure). Without root (or without {@code ip}) {@link #create} skips the
 * calling test with the reason printed ({@link KernelAssume}). Only tests shell out to ip/nft; the product never does.
 */
public final class TestNamespace implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final String name;

    private TestNamespace(String name) {
        this.name = name;
    }

    public static TestNamespace create(String prefix) {
        KernelAssume.assumeKernel(KernelFeature.NETNS);
        String n = "bwt-" + prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        if (n.length() > 40) n = n.substring(0, 40);
        run("ip", "netns", "add", n);
        TestNamespace ns = new TestNamespace(n);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs a command inside the namespace; returns its output; fails the test on a non-zero exit. */
    public String exec(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return run(full.toArray(String[]::new));
    }

    /** Like {@link #exec} but returns the exit code and output without failing. */
    public Result tryExec(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return runResult(full.toArray(String[]::new));
    }

    public record Result(int code, String output) {
    }

    public static String run(String... cmd) {
        Result r = runResult(cmd);
        if (r.code() != 0) throw new AssertionError(String.join(" ", cmd) + " failed (" + r.code() + "): " + r.output());
        return r.output();
    }

    public static Result runResult(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        runResult("ip", "netns", "del", name);
    }
}
