package dev.bulwark.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bulwark.config.bind.Pointers;
import dev.bulwark.config.model.Config;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic difference of two configs, section by section: what was added, removed and changed. It compares the
 * canonical forms, so spelling, key order and defaults written out or left out make no difference. Named entries
 * (interfaces, zones, sets, and list entries with a {@code name} such as rules) are matched by name, so inserting a
 * rule shows as one addition, not as every later rule changed; a change of rule order is reported as such.
 */
public final class ConfigDiff {

    public enum Kind { ADDED, REMOVED, CHANGED, MOVED }

    /**
     * One difference.
     *
     * @param section top-level section (interfaces, firewall, ...)
     * @param pointer JSON pointer in the new config (in the old one for removals)
     * @param label   human name of what changed, e.g. {@code rule 'ssh-admins'}
     */
    public record Change(Kind kind, String section, String pointer, String label, JsonNode before, JsonNode after) {

        @Override
        public String toString() {
            return switch (kind) {
                case ADDED -> "+ " + label + ": " + inline(after);
                case REMOVED -> "- " + label;
                case CHANGED -> "~ " + label + ": " + inline(before) + " → " + inline(after);
                case MOVED -> "↕ " + label + ": position " + before.asText() + " → " + after.asText();
            };
        }
    }

    private final List<Change> changes = new ArrayList<>();

    private ConfigDiff() {
    }

    public static List<Change> between(Config before, Config after) {
        ConfigDiff d = new ConfigDiff();
        d.object("", "", ConfigWriter.toTree(before), ConfigWriter.toTree(after), "", true);
        return List.copyOf(d.changes);
    }

    /** The changes as text, grouped under their section; "no changes" when there are none. */
    public static String render(List<Change> changes) {
        if (changes.isEmpty()) return "no changes\n";
        Map<String, List<Change>> bySection = new LinkedHashMap<>();
        for (Change c : changes) bySection.computeIfAbsent(c.section(), k -> new ArrayList<>()).add(c);
        StringBuilder sb = new StringBuilder();
        bySection.forEach((section, cs) -> {
            sb.append(section).append(":\n");
            for (Change c : cs) sb.append("  ").append(c).append('\n');
        });
        return sb.toString();
    }

    private void object(String section, String pointer, JsonNode a, JsonNode b, String label, boolean top) {
        Set<String> keys = new LinkedHashSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            String sec = top ? k : section;
            String p = Pointers.child(pointer, k);
            String l = top ? k : label.isEmpty() ? k : label + " " + k;
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            if (x == null) {
                if (top && y.isContainerNode()) entries(sec, p, emptyLike(y), y, y.isArray() ? sec : "");
                else changes.add(new Change(Kind.ADDED, sec, p, l, null, y));
            } else if (y == null) {
                if (top && x.isContainerNode()) entries(sec, p, x, emptyLike(x), x.isArray() ? sec : "");
                else changes.add(new Change(Kind.REMOVED, sec, p, l, x, null));
            } else if (!x.equals(y)) {
                value(sec, p, x, y, l, top);
            }
        }
    }

    private static JsonNode emptyLike(JsonNode n) {
        return n.isArray() ? JsonNodeFactory.instance.arrayNode() : JsonNodeFactory.instance.objectNode();
    }

    /** A section or a list/map inside an entry: compare entry by entry. */
    private void entries(String section, String pointer, JsonNode a, JsonNode b, String label) {
        if (a.isObject() && b.isObject()) {
            object(section, pointer, a, b, label, false);
        } else if (a.isArray() && b.isArray()) {
            array(section, pointer, a, b, label);
        } else {
            changes.add(new Change(Kind.CHANGED, section, pointer, label, a, b));
        }
    }

    private void value(String section, String pointer, JsonNode x, JsonNode y, String label, boolean top) {
        if (x.isObject() && y.isObject()) {
            object(section, pointer, x, y, top ? "" : label, false);
        } else if (x.isArray() && y.isArray() && (named(x) || named(y) || objects(x) || objects(y))) {
            array(section, pointer, x, y, label);
        } else {
            changes.add(new Change(Kind.CHANGED, section, pointer, label, x, y));
        }
    }

    private void array(String section, String pointer, JsonNode a, JsonNode b, String label) {
        String item = singular(label);
        if (named(a) && named(b)) {
            Map<String, Integer> ia = index(a);
            Map<String, Integer> ib = index(b);
            for (Map.Entry<String, Integer> e : ia.entrySet()) {
                if (!ib.containsKey(e.getKey())) {
                    changes.add(new Change(Kind.REMOVED, section, Pointers.child(pointer, e.getValue()), item + " '" + e.getKey() + "'", a.get(e.getValue()), null));
                }
            }
            List<String> commonA = new ArrayList<>();
            for (String n : ia.keySet()) if (ib.containsKey(n)) commonA.add(n);
            List<String> commonB = new ArrayList<>();
            for (String n : ib.keySet()) if (ia.containsKey(n)) commonB.add(n);
            Set<String> moved = moved(commonA, commonB);
            for (Map.Entry<String, Integer> e : ib.entrySet()) {
                String n = e.getKey();
                String p = Pointers.child(pointer, e.getValue());
                JsonNode y = b.get(e.getValue());
                if (!ia.containsKey(n)) {
                    changes.add(new Change(Kind.ADDED, section, p, item + " '" + n + "'", null, y));
                    continue;
                }
                JsonNode x = a.get(ia.get(n));
                if (!x.equals(y)) object(section, p, x, y, item + " '" + n + "'", false);
                if (moved.contains(n)) {
                    changes.add(new Change(Kind.MOVED, section, p, item + " '" + n + "'",
                            JsonNodeFactory.instance.numberNode(commonA.indexOf(n)), JsonNodeFactory.instance.numberNode(commonB.indexOf(n))));
                    // (only for the few moved entries: indexOf stays off the path of every entry)
                }
            }
            return;
        }
        // Unnamed entries: what is in one list and not the other.
        List<JsonNode> la = list(a);
        List<JsonNode> lb = list(b);
        for (int i = 0; i < la.size(); i++) {
            if (!lb.contains(la.get(i))) changes.add(new Change(Kind.REMOVED, section, Pointers.child(pointer, i), item, la.get(i), null));
        }
        for (int i = 0; i < lb.size(); i++) {
            if (!la.contains(lb.get(i))) changes.add(new Change(Kind.ADDED, section, Pointers.child(pointer, i), item, null, lb.get(i)));
        }
    }

    /**
     * The fewest entries whose move explains the new order: everything outside a longest run of entries that kept
     * their relative order (longest increasing subsequence of old positions, in new order).
     */
    static Set<String> moved(List<String> before, List<String> after) {
        int n = after.size();
        Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < before.size(); i++) at.put(before.get(i), i);
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) pos[i] = at.get(after.get(i));
        // Patience sorting, n log n: the length of the longest run ending at each entry. Of equally long runs the one
        // kept is the one a plain quadratic search finds first: it ends earliest, and each step back takes the first
        // entry that can precede (entries with the same length have falling old positions, so a binary search finds it).
        int[] tails = new int[n];
        int[] length = new int[n];
        int runs = 0;
        for (int i = 0; i < n; i++) {
            int lo = 0, hi = runs;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (pos[tails[mid]] < pos[i]) lo = mid + 1;
                else hi = mid;
            }
            tails[lo] = i;
            length[i] = lo + 1;
            if (lo == runs) runs++;
        }
        List<List<Integer>> byLength = new ArrayList<>();
        for (int k = 0; k < runs; k++) byLength.add(new ArrayList<>());
        for (int i = 0; i < n; i++) byLength.get(length[i] - 1).add(i);
        Set<String> keep = new java.util.HashSet<>();
        int i = runs == 0 ? -1 : byLength.get(runs - 1).get(0);
        while (i >= 0) {
            keep.add(after.get(i));
            if (length[i] == 1) break;
            List<Integer> c = byLength.get(length[i] - 2);
            int lo = 0, hi = c.size();
            while (lo < hi) { // the first with an old position below pos[i]
                int mid = (lo + hi) >>> 1;
                if (pos[c.get(mid)] < pos[i]) hi = mid;
                else lo = mid + 1;
            }
            i = c.get(lo);
        }
        Set<String> out = new LinkedHashSet<>(after);
        out.removeAll(keep);
        return out;
    }

    private static List<JsonNode> list(JsonNode a) {
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return out;
    }

    private static boolean named(JsonNode arr) {
        if (arr.isEmpty()) return true;
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode n : arr) {
            if (!n.isObject() || !n.path("name").isTextual() || !names.add(n.get("name").textValue())) return false;
        }
        return true;
    }

    private static boolean objects(JsonNode arr) {
        for (JsonNode n : arr) if (!n.isObject()) return false;
        return true;
    }

    private static Map<String, Integer> index(JsonNode arr) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < arr.size(); i++) m.put(arr.get(i).get("name").textValue(), i);
        return m;
    }

    private static String singular(String label) {
        String last = label.contains(" ") ? label.substring(label.lastIndexOf(' ') + 1) : label;
        return switch (last) {
            case "rules" -> "rule";
            case "policies" -> "policy";
            case "routes" -> "route";
            case "masquerade" -> "masquerade";
            case "snat" -> "snat";
            case "port-forwards" -> "port-forward";
            case "one-to-one" -> "1:1 NAT";
            case "helpers" -> "helper";
            case "notrack" -> "no-track rule";
            case "tokens" -> "token";
            default -> label;
        };
    }

    static String inline(JsonNode n) {
        if (n == null) return "(none)";
        if (n.isTextual()) return n.textValue();
        if (n.isValueNode()) return n.asText();
        StringBuilder sb = new StringBuilder();
        inline(n, sb);
        String s = sb.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static void inline(JsonNode n, StringBuilder sb) {
        if (n.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append(": ");
                inline(e.getValue(), sb);
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) sb.append(", ");
                inline(n.get(i), sb);
            }
            sb.append(']');
        } else {
            sb.append(n.isTextual() ? n.textValue() : n.asText());
        }
    }
}
