package dev.bulwark.mgmt.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, line by line: {@code # HELP name text},
 * {@code # TYPE name counter|gauge|histogram|summary|untyped} (at most once per family, before its samples), and
 * samples {@code name{label="value",...} value [timestamp]} with valid names, escaped label values and a float value.
 * Throws on the first line that breaks the format.
 */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Set<String> SUFFIXES = Set.of("_total", "_count", "_sum", "_bucket", "_max", "_created");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            try {
                p.line(line);
            } catch (IllegalArgumentException e) {
                throw new AssertionError("line " + n + " is not Prometheus text: " + e.getMessage() + "\n  " + line);
            }
        }
        if (!text.endsWith("\n")) throw new AssertionError("the exposition must end with a line feed");
        return p;
    }

    private void line(String line) {
        if (line.startsWith("#")) {
            Matcher h = HELP.matcher(line);
            if (h.matches()) return;
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                if (types.put(t.group(1), t.group(2)) != null) throw new IllegalArgumentException("second TYPE for " + t.group(1));
                return;
            }
            if (line.startsWith("# HELP") || line.startsWith("# TYPE")) throw new IllegalArgumentException("malformed HELP/TYPE");
            return; // a comment
        }
        Matcher m = SAMPLE.matcher(line);
        if (!m.matches()) throw new IllegalArgumentException("not a sample");
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(3) != null && !m.group(3).isEmpty()) {
            String rest = m.group(3);
            Matcher l = LABEL.matcher(rest);
            int at = 0;
            while (at < rest.length()) {
                if (!l.find(at) || l.start() != at) throw new IllegalArgumentException("bad label syntax at '" + rest.substring(at) + "'");
                if (labels.put(l.group(1), l.group(2)) != null) throw new IllegalArgumentException("duplicate label " + l.group(1));
                at = l.end();
            }
        }
        double v = switch (m.group(4)) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(m.group(4)); // NumberFormatException is an IllegalArgumentException
        };
        String name = m.group(1);
        if (!types.containsKey(name) && !types.containsKey(family(name))) {
            throw new IllegalArgumentException("sample " + name + " has no TYPE line before it");
        }
        samples.add(new Sample(name, labels, v));
    }

    private String family(String name) {
        for (String s : SUFFIXES) if (name.endsWith(s)) return name.substring(0, name.length() - s.length());
        return name;
    }

    /** The value of the one sample with this name and these labels (others may be present); NaN when none. */
    double value(String name, Map<String, String> labels) {
        for (Sample s : samples) if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) return s.value();
        return Double.NaN;
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }
}
