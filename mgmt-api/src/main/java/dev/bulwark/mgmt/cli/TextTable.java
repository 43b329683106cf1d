package dev.bulwark.mgmt.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row and aligned columns (the last one is not padded). */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] right;

    TextTable(String... header) {
        rows.add(header);
        right = new boolean[header.length];
    }

    /** Right-aligns a column (numbers). */
    TextTable right(int column) {
        right[column] = true;
        return this;
    }

    TextTable row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "-" : cells[i].toString();
        rows.add(r);
        return this;
    }

    void print(PrintWriter out) {
        int cols = rows.getFirst().length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                if (i > 0) sb.append("  ");
                boolean last = i == cols - 1;
                String pad = " ".repeat(w[i] - r[i].length());
                if (right[i]) sb.append(pad).append(r[i]);
                else sb.append(r[i]).append(last ? "" : pad);
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
