package dev.bulwark.tests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's results: one row per figure, printed as a table and written as JSON. */
final class Report {

    /** How a row is judged. */
    enum Kind {
        /** Bulwark / reference, at most the limit. */
        RATIO_AT_MOST,
        /** Bulwark's figure at most the limit. */
        AT_MOST,
        /** Bulwark's figure at least the limit. */
        AT_LEAST,
        /** No target: shown for context. */
        INFO
    }

    /**
     * One figure. {@code bulwark} and {@code reference} are medians (null when there is none); {@code samples} the
     * measured runs, warm-up excluded.
     */
    record Row(String scenario, String name, String unit, Double bulwark, Double reference, Kind kind, double limit,
               String note, double[] bulwarkSamples, double[] referenceSamples) {

        Double ratio() {
            return bulwark == null || reference == null || reference == 0 ? null : bulwark / reference;
        }

        /** PASS, MISS, or "info" / "n/a" (no figure). */
        String status() {
            if (kind == Kind.INFO) return "info";
            if (bulwark == null) return "MISS";
            return switch (kind) {
                case RATIO_AT_MOST -> ratio() == null ? "n/a" : ratio() <= limit ? "PASS" : "MISS";
                case AT_MOST -> bulwark <= limit ? "PASS" : "MISS";
                case AT_LEAST -> bulwark >= limit ? "PASS" : "MISS";
                case INFO -> "info";
            };
        }

        String target() {
            return switch (kind) {
                case RATIO_AT_MOST -> "ratio <= " + num(limit);
                case AT_MOST -> "<= " + num(limit) + " " + unit;
                case AT_LEAST -> ">= " + num(limit) + " " + unit;
                case INFO -> "-";
            };
        }
    }

    final Map<String, Object> machine = new LinkedHashMap<>();
    final Map<String, Object> parameters = new LinkedHashMap<>();
    final List<Row> rows = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    void add(String scenario, String name, String unit, double[] bulwark, double[] reference, Kind kind, double limit, String note) {
        rows.add(new Row(scenario, name, unit, bulwark == null ? null : Stats.median(bulwark),
                reference == null ? null : Stats.median(reference), kind, limit, note, bulwark, reference));
        System.err.println("bench: " + line(rows.getLast()));
    }

    /** A row for a figure that could not be measured (the reason in the note): a MISS unless it is info. */
    void failed(String scenario, String name, String unit, Kind kind, double limit, String why) {
        rows.add(new Row(scenario, name, unit, null, null, kind, limit, why, null, null));
        System.err.println("bench: " + line(rows.getLast()));
    }

    private static String line(Row r) {
        return r.scenario() + " " + r.name() + ": " + fmt(r.bulwark()) + " / " + fmt(r.reference()) + " " + r.unit() + " "
                + r.status() + (r.note() == null ? "" : " (" + r.note() + ")");
    }

    String table() {
        String[] head = {"#", "scenario", "Bulwark", "reference", "ratio", "target", "result"};
        List<String[]> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(new String[]{r.scenario(), r.name(), withUnit(r.bulwark(), r.unit()), withUnit(r.reference(), r.unit()),
                    r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.ratio()), r.target(), r.status()});
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) w[i] = head[i].length();
        for (String[] c : cells) for (int i = 0; i < c.length; i++) w[i] = Math.max(w[i], c[i].length());
        StringBuilder b = new StringBuilder();
        row(b, head, w);
        String[] sep = new String[head.length];
        for (int i = 0; i < head.length; i++) sep[i] = "-".repeat(w[i]);
        row(b, sep, w);
        for (String[] c : cells) row(b, c, w);
        List<String> noted = new ArrayList<>();
        for (Row r : rows) if (r.note() != null && !r.note().isEmpty()) noted.add(r.scenario() + " " + r.name() + ": " + r.note());
        if (!noted.isEmpty()) {
            b.append("\nnotes:\n");
            for (String n : noted) b.append("  ").append(n).append('\n');
        }
        for (String n : notes) b.append("  ").append(n).append('\n');
        return b.toString();
    }

    /** The table as Markdown, for BENCHMARKS.md. */
    String markdown() {
        StringBuilder b = new StringBuilder("| # | scenario | Bulwark | reference | ratio | target | result |\n|---|---|---:|---:|---:|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(String.join(" | ", r.scenario(), r.name(), withUnit(r.bulwark(), r.unit()), withUnit(r.reference(), r.unit()),
                    r.ratio() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.ratio()), r.target().replace("<=", "≤").replace(">=", "≥"),
                    r.status())).append(" |\n");
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String[] c, int[] w) {
        for (int i = 0; i < c.length; i++) {
            if (i > 0) b.append("  ");
            boolean right = i >= 2 && i <= 4;
            String pad = " ".repeat(w[i] - c[i].length());
            b.append(right ? pad + c[i] : i == c.length - 1 ? c[i] : c[i] + pad);
        }
        b.append('\n');
    }

    private static String withUnit(Double v, String unit) {
        return v == null ? "-" : fmt(v) + " " + unit;
    }

    static String fmt(Double v) {
        if (v == null) return "-";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.valueOf(v);
    }

    void writeJson(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.set("machine", m.valueToTree(machine));
        root.set("parameters", m.valueToTree(parameters));
        ArrayNode a = root.putArray("results");
        for (Row r : rows) {
            ObjectNode o = a.addObject();
            o.put("scenario", r.scenario());
            o.put("name", r.name());
            o.put("unit", r.unit());
            o.putPOJO("bulwark", r.bulwark());
            o.putPOJO("reference", r.reference());
            o.putPOJO("ratio", r.ratio());
            o.put("target", r.target());
            o.put("result", r.status());
            if (r.note() != null) o.put("note", r.note());
            if (r.bulwarkSamples() != null) o.putPOJO("bulwarkSamples", Arrays.stream(r.bulwarkSamples()).boxed().toList());
            if (r.referenceSamples() != null) o.putPOJO("referenceSamples", Arrays.stream(r.referenceSamples()).boxed().toList());
        }
        root.putPOJO("notes", notes);
        Files.createDirectories(file.toAbsolutePath().getParent());
        m.writeValue(file.toFile(), root);
    }
}
