package dev.bulwark.tests.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bulwark daemon} as its own process, started the way the launcher starts it (the built jar, the launcher's
 * JVM flags), managing a benchmark namespace and listening on loopback. {@link #close()} stops it with SIGTERM.
 */
final class DaemonProc implements AutoCloseable {
    private final Process process;
    private final long startedNanos;
    private final String base;
    private final String token;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DaemonProc(Process process, long startedNanos, int port, String token, Path log) {
        this.process = process;
        this.startedNanos = startedNanos;
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
        this.log = log;
    }

    static DaemonProc start(Bench.Env env, Path config, Path stateDir, String netns, int port, String token, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(env.cli());
        cmd.addAll(List.of("daemon", "--state-dir", stateDir.toString(), "--netns", netns, "--listen", "127.0.0.1:" + port));
        if (config != null) cmd.addAll(List.of("--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (env.jfr()) {
            // a profile of the daemon for the scenarios that miss: written when it stops
            Path jfr = env.out().resolve("daemon-" + port + "-" + System.currentTimeMillis() + ".jfr");
            pb.environment().put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new DaemonProc(p, t0, port, token, log);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code /readyz} answers 200 (the engine is up); returns milliseconds since the process was started.
     * Fails when the daemon exits or does not get ready in time.
     */
    double awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the daemon exited (" + process.exitValue() + "): " + logTail());
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    double ms = Stats.ms(System.nanoTime() - startedNanos);
                    if (!r.body().contains("\"converged\":true") && !r.body().contains("\"converged\" : true")) {
                        throw new IllegalStateException("the daemon is up but not converged: " + r.body());
                    }
                    return ms;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(5);
        }
        throw new IllegalStateException("the daemon was not ready within " + timeout.toSeconds() + " s: " + logTail());
    }

    /** Resident set size of the daemon process ({@code VmRSS}), in MiB. */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** The daemon's heap in use and committed, from its own /metrics (Micrometer's JVM gauges). */
    String heapNote() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authorized(URI.create(base + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        double used = 0, committed = 0;
        for (String line : r.body().split("\n")) {
            if (!line.contains("area=\"heap\"")) continue;
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("jvm_memory_used_bytes")) used += v;
            else if (line.startsWith("jvm_memory_committed_bytes")) committed += v;
        }
        return String.format(java.util.Locale.ROOT, "%.0f MiB of %.0f MiB committed", used / 1048576, committed / 1048576);
    }

    /** Per commit stage (lockout, compile, apply, store): {count, seconds in all}, from the daemon's /metrics. */
    java.util.Map<String, double[]> commitStages() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authorized(URI.create(base + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        java.util.Map<String, double[]> m = new java.util.TreeMap<>();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("^bulwark_commit_stage_seconds_(count|sum)\\{.*stage=\"([a-z]+)\".*\\} (\\S+)$");
        for (String line : r.body().split("\n")) {
            java.util.regex.Matcher x = p.matcher(line);
            if (!x.find()) continue;
            double[] v = m.computeIfAbsent(x.group(2), k -> new double[2]);
            v[x.group(1).equals("count") ? 0 : 1] = Double.parseDouble(x.group(3));
        }
        return m;
    }

    /** The current revision (ETag of GET /api/v1/config). */
    long revision() throws IOException, InterruptedException {
        HttpResponse<Void> r = http.send(authorized(URI.create(base + "/api/v1/config")).GET().build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) throw new IllegalStateException("GET /api/v1/config: " + r.statusCode());
        return Long.parseLong(r.headers().firstValue("X-Bulwark-Revision").orElseThrow());
    }

    /**
     * {@code PUT /api/v1/config} with {@code If-Match}; returns the new revision. The daemon answers once the kernel
     * holds the config and the revision is on disk.
     */
    long put(byte[] body, String contentType, long ifMatch) throws IOException, InterruptedException {
        HttpRequest req = authorized(URI.create(base + "/api/v1/config")).timeout(Duration.ofMinutes(10))
                .header("Content-Type", contentType).header("If-Match", "\"" + ifMatch + "\"")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("PUT /api/v1/config: " + e.getMessage() + "; the daemon " + (process.isAlive() ? "runs" : "exited")
                    + "; its log ends: " + logTail(), e);
        }
        if (r.statusCode() != 200) throw new IllegalStateException("PUT /api/v1/config: " + r.statusCode() + " " + Sh.tail(r.body()));
        String etag = r.headers().firstValue("ETag").orElseThrow();
        return Long.parseLong(etag.replace("\"", ""));
    }

    String url(String path) {
        return base + path;
    }

    private HttpRequest.Builder authorized(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
    }

    String logTail() {
        try {
            return Sh.tail(Files.readString(log));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then SIGKILL after a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
