package dev.bulwark.config.bind;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the nodes of a document stood in its source (1-based line and column), kept as a tree of JSON-pointer steps
 * that mirrors the document: an object's children by key, an array's by index. The reader records a position per
 * value without spelling out its pointer (a large config has hundreds of thousands of values and only a handful of
 * problems); {@link #find} walks a problem's pointer down the tree.
 *
 * <p>It answers as a map from pointer to the first position recorded for it would: {@code find} gives the position of
 * the pointer itself, or of its nearest ancestor that has one.
 */
public final class SourcePositions {

    /** One pointer: its position once recorded, and its children. */
    static final class Step {
        private final Step parent;
        /** The escaped key of an object member, or null for an array element. */
        private final String key;
        private final int index;
        private int line;
        private int column;
        private Map<String, Step> keys;
        private Step[] items;

        private Step(Step parent, String key, int index) {
            this.parent = parent;
            this.key = key;
            this.index = index;
        }

        /** The member {@code name} (unescaped), created on first use. */
        Step key(String name) {
            String step = Pointers.escape(name);
            if (keys == null) keys = new HashMap<>();
            Step s = keys.get(step);
            if (s == null) {
                s = new Step(this, step, -1);
                keys.put(step, s);
            }
            return s;
        }

        /** The member {@code name} (unescaped) if it was created, else null. */
        Step existingKey(String name) {
            return keys == null ? null : keys.get(Pointers.escape(name));
        }

        /** Element {@code i}, created on first use. */
        Step item(int i) {
            if (items == null) items = new Step[Math.max(4, i + 1)];
            else if (i >= items.length) items = Arrays.copyOf(items, Math.max(i + 1, items.length * 2));
            Step s = items[i];
            if (s == null) {
                s = new Step(this, null, i);
                items[i] = s;
            }
            return s;
        }

        /**
         * A child under the escaped {@code step} that lookups never reach: for values that have no place in the
         * document's tree (a YAML merge key's value, a duplicate key's second value), read for their own problems.
         */
        Step detached(String step) {
            return new Step(this, step, -1);
        }

        /** Records the position unless one is already recorded: the first one counts. */
        void at(int line, int column) {
            if (this.line == 0) {
                this.line = line;
                this.column = column;
            }
        }

        boolean hasPosition() {
            return line > 0;
        }

        int line() {
            return line;
        }

        /** The JSON pointer, spelled out (for a problem). */
        String pointer() {
            if (parent == null) return "";
            StringBuilder sb = new StringBuilder();
            append(sb);
            return sb.toString();
        }

        private void append(StringBuilder sb) {
            if (parent == null) return;
            parent.append(sb);
            sb.append('/');
            if (key != null) sb.append(key);
            else sb.append(index);
        }

        /** The child for one pointer step as written in a pointer (escaped), or null. */
        private Step child(String step) {
            if (items != null) {
                int i = index(step);
                if (i >= 0 && i < items.length && items[i] != null) return items[i];
            }
            return keys == null ? null : keys.get(step);
        }

        private void collect(String pointer, Map<String, int[]> out) {
            if (line > 0) out.put(pointer, new int[]{line, column});
            if (items != null) {
                for (Step s : items) if (s != null) s.collect(pointer + "/" + s.index, out);
            }
            if (keys != null) keys.forEach((k, s) -> s.collect(pointer + "/" + k, out));
        }
    }

    private final Step root;

    SourcePositions(Step root) {
        this.root = root;
    }

    /** An empty tree to record into; its root is the document itself. */
    static Step newRoot() {
        return new Step(null, null, -1);
    }

    /** The position {@code [line, column]} of the node at {@code pointer}, or of its nearest ancestor that has one; else null. */
    public int[] find(String pointer) {
        Step s = root;
        Step found = s.hasPosition() ? s : null;
        if (pointer.startsWith("/")) {
            int from = 1;
            while (s != null) {
                int slash = pointer.indexOf('/', from);
                String step = slash < 0 ? pointer.substring(from) : pointer.substring(from, slash);
                s = s.child(step);
                if (s != null && s.hasPosition()) found = s;
                if (slash < 0) break;
                from = slash + 1;
            }
        }
        return found == null ? null : new int[]{found.line, found.column};
    }

    /** Every recorded position by pointer: for tests and debugging. */
    public Map<String, int[]> toMap() {
        Map<String, int[]> out = new LinkedHashMap<>();
        root.collect("", out);
        return out;
    }

    /** The array index a pointer step names: decimal without leading zeros, as pointers are written; else -1. */
    private static int index(String step) {
        int n = step.length();
        if (n == 0 || n > 9 || (n > 1 && step.charAt(0) == '0')) return -1;
        int v = 0;
        for (int i = 0; i < n; i++) {
            char c = step.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
