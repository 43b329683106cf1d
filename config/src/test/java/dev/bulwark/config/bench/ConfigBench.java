package dev.bulwark.config.bench;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.types.TokenHash;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A benchmark of reading and writing a large config, run by hand (it is no test; the build never runs it):
 *
 * <pre>
 * java -cp config/target/classes:config/target/test-classes:$(deps) dev.bulwark.config.bench.ConfigBench [rounds] [only]
 * </pre>
 *
 * The config is that of the benchmark workload ({@code tests/.../bench/Workload.java}) with its defaults: 10,000
 * rules over 8 zones and a v4 set of 100,000 scattered elements, ~2.5 MB of compact JSON. Each operation is warmed up,
 * then timed {@code rounds} times in this JVM; the median and the range are printed. {@code only} (json-parse,
 * yaml-write, yaml-parse, json-write) runs just that operation, for a profiler.
 */
public final class ConfigBench {
    private ConfigBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String only = args.length > 1 ? args[1] : null;
        String json = text(10_000, 8, 100_000);
        Config config = ConfigLoader.parse(json, Format.JSON).orThrow();
        String yaml = ConfigWriter.toYaml(config);
        LoadResult fromYaml = ConfigLoader.parse(yaml, Format.YAML);
        if (!config.equals(fromYaml.config())) throw new IllegalStateException("the YAML does not read back: " + fromYaml.errors());
        System.out.printf(Locale.ROOT, "workload: %d bytes of JSON, %d bytes of canonical YAML%n", json.length(), yaml.length());
        run("json-parse", only, rounds, () -> ConfigLoader.parse(json, Format.JSON));
        run("yaml-write", only, rounds, () -> ConfigWriter.toYaml(config));
        run("yaml-parse", only, rounds, () -> ConfigLoader.parse(yaml, Format.YAML));
        run("json-write", only, rounds, () -> ConfigWriter.toJson(config));
    }

    private static Object sink;

    private static void run(String name, String only, int rounds, Supplier<?> op) {
        if (only != null && !only.equals(name)) return;
        long warmUntil = System.nanoTime() + 5_000_000_000L;
        int warm = 0;
        while (warm < 5 || (System.nanoTime() < warmUntil && warm < 40)) {
            sink = op.get();
            warm++;
        }
        int n = only != null ? rounds * 10 : rounds;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            sink = op.get();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-11s median %7.1f ms  (min %7.1f, max %7.1f, %d runs after %d warm-up)%n",
                name, ms[n / 2], ms[0], ms[n - 1], n, warm);
    }

    /** The text of {@code dev.bulwark.tests.bench.Workload#text()}: the same bytes for the same sizes. */
    static String text(int rules, int zones, int elements) {
        StringBuilder b = new StringBuilder(64 + elements * 15 + rules * 110);
        b.append("{\"version\":1,\"interfaces\":{");
        for (int z = 0; z < zones; z++) {
            if (z > 0) b.append(',');
            b.append("\"i").append(z).append("\":{\"device\":\"").append("bwv" + z).append("\"}");
        }
        b.append("},\"zones\":{");
        for (int z = 0; z < zones; z++) {
            if (z > 0) b.append(',');
            b.append("\"z").append(z).append("\":{\"interfaces\":[\"i").append(z).append("\"],\"input\":\"drop\",\"forward\":\"drop\"}");
        }
        b.append("},\"sets\":{\"blocklist\":{\"type\":\"ipv4\",\"elements\":[");
        for (int i = 0; i < elements; i++) {
            if (i > 0) b.append(',');
            b.append('"').append(element(i)).append('"');
        }
        b.append("]}},\"firewall\":{\"policies\":[{\"from\":\"z0\",\"to\":\"z1\",\"action\":\"accept\"}],\"rules\":[");
        for (int i = 0; i < rules; i++) {
            if (i > 0) b.append(',');
            int from = i % zones;
            b.append("{\"name\":\"r").append(i).append("\",\"from\":\"z").append(from).append('"');
            if (i < zones) {
                b.append(",\"to\":\"self\",\"source\":\"@blocklist\",\"action\":\"drop\"}");
                continue;
            }
            if (i % 3 == 0) b.append(",\"to\":\"self\"");
            else b.append(",\"to\":\"z").append((from + 1 + (i / zones) % (zones - 1)) % zones).append('"');
            b.append(",\"protocol\":\"").append(i % 2 == 0 ? "tcp" : "udp").append('"');
            int p = 1024 + (int) ((i * 7L) % 28000);
            if (i % 10 == 9) b.append(",\"port\":[").append(p).append(',').append(p + 1).append(']');
            else b.append(",\"port\":").append(p);
            if (i % 4 == 0) {
                int n = i % 4096;
                b.append(",\"source\":\"172.").append(16 + (n >> 8)).append('.').append(n & 255).append(".0/24\"");
            } else if (i % 4 == 1) {
                b.append(",\"source\":\"192.168.").append((i >> 8) & 255).append('.').append(1 + (i & 127)).append('"');
            }
            b.append(",\"action\":\"").append(i % 7 == 0 ? "drop" : "accept").append("\"}");
        }
        b.append("]},\"management\":{\"listen\":\"127.0.0.1:8443\",\"tokens\":[{\"name\":\"bench\",\"hash\":\"")
                .append(TokenHash.of("bench-token")).append("\",\"role\":\"admin\"}]}}\n");
        return b.toString();
    }

    private static String element(int index) {
        int slot = (int) ((index * (long) 0x9E3779B1) & ((1 << 20) - 1));
        long base = (10L << 24) | ((long) slot << 4);
        if ((index & 3) == 0) return dotted(base + 4) + "/30";
        int offset = 1 + (int) (((index * 0x2545F491L) >>> 7) % 14);
        return dotted(base + offset);
    }

    private static String dotted(long a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
