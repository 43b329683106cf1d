package dev.bulwark.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Load from {@code wrk} (Debian's): throughput and latency percentiles of one route. */
final class Wrk {
    private Wrk() {
    }

    record Result(double requestsPerSecond, double p50Ms, double p99Ms, long requests, long errors, String raw) {
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern SOCKET = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");

    /**
     * Runs wrk with {@code connections} connections over {@code threads} threads for {@code seconds}; a POST when
     * {@code postBody} is given (JSON).
     */
    static Result run(String url, String token, int threads, int connections, int seconds, Path postBody, Path work) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
                "--timeout", "10s", "-H", "Authorization: Bearer " + token));
        if (postBody != null) {
            Path script = work.resolve("post.lua");
            Files.writeString(script, "wrk.method = \"POST\"\n"
                    + "local f = io.open(\"" + postBody + "\", \"rb\")\nwrk.body = f:read(\"*a\")\nf:close()\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
            cmd.addAll(List.of("-s", script.toString()));
        }
        cmd.add(url);
        Sh.Out o = Sh.run(Duration.ofSeconds(seconds + 60), cmd, java.util.Map.of()).orThrow(cmd);
        String out = o.out();
        double rps = Double.parseDouble(find(RPS, out));
        long total = Long.parseLong(find(TOTAL, out));
        long errors = 0;
        Matcher m = NON2XX.matcher(out);
        if (m.find()) errors += Long.parseLong(m.group(1));
        m = SOCKET.matcher(out);
        if (m.find()) for (int i = 1; i <= 4; i++) errors += Long.parseLong(m.group(i));
        return new Result(rps, percentile(out, "50%"), percentile(out, "99%"), total, errors, out);
    }

    private static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        if (!m.find()) throw new IllegalStateException("wrk output without " + p + ":\n" + s);
        return m.group(1);
    }

    /** A line of wrk's latency distribution, "99%   12.34ms", in milliseconds. */
    private static double percentile(String out, String which) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE).matcher(out);
        if (!m.find()) throw new IllegalStateException("wrk output without the " + which + " latency:\n" + out);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }
}
