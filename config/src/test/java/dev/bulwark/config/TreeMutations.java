package dev.bulwark.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Damage to a config document: random edits of its tree, and text soups of YAML/JSON fragments. The edits are data
 * (kind and indices), applied to whatever tree they are given, so that jqwik can shrink them.
 */
final class TreeMutations {
    private TreeMutations() {
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    enum Kind { DELETE, REPLACE, RENAME, DUPLICATE, INSERT_UNKNOWN, SWAP }

    /** One edit: {@code target} and {@code other} pick nodes (modulo their count), {@code variant} a near-miss spelling. */
    record Mutation(Kind kind, int target, int other, int variant, JsonNode value) {

        void apply(ObjectNode root) {
            List<Slot> slots = slots(root);
            switch (kind) {
                case DELETE -> {
                    if (!slots.isEmpty()) pick(slots, target).remove();
                }
                case REPLACE -> {
                    if (!slots.isEmpty()) pick(slots, target).set(value.deepCopy());
                }
                case RENAME -> {
                    List<Slot> keyed = slots.stream().filter(s -> s.key != null).toList();
                    if (!keyed.isEmpty()) pick(keyed, target).rename(nearMiss(pick(keyed, target).key, variant));
                }
                case DUPLICATE -> {
                    List<Slot> elements = slots.stream().filter(s -> s.key == null).toList();
                    if (!elements.isEmpty()) {
                        Slot s = pick(elements, target);
                        ((ArrayNode) s.parent).insert(s.index, s.get().deepCopy());
                    }
                }
                case INSERT_UNKNOWN -> {
                    List<ObjectNode> objects = new ArrayList<>();
                    objects.add(root);
                    for (Slot s : slots) if (s.get() instanceof ObjectNode o) objects.add(o);
                    pick(objects, target).set("x-unknown-" + Math.floorMod(variant, 10), value.deepCopy());
                }
                case SWAP -> {
                    if (slots.size() >= 2) {
                        Slot a = pick(slots, target);
                        Slot b = pick(slots, other);
                        JsonNode va = a.get().deepCopy();
                        JsonNode vb = b.get().deepCopy();
                        a.set(vb);
                        b.set(va); // no effect when b was inside a: its old parent is detached by now
                    }
                }
            }
        }

        @Override
        public String toString() {
            return kind + "(" + target + ", " + other + ", " + variant + ", " + value + ")";
        }
    }

    private static <T> T pick(List<T> l, int i) {
        return l.get(Math.floorMod(i, l.size()));
    }

    /** A place in the tree: a key of an object or an index of a list. */
    private static final class Slot {
        final JsonNode parent;
        final String key;
        final int index;

        Slot(JsonNode parent, String key, int index) {
            this.parent = parent;
            this.key = key;
            this.index = index;
        }

        JsonNode get() {
            return key != null ? parent.get(key) : parent.get(index);
        }

        void set(JsonNode v) {
            if (key != null) ((ObjectNode) parent).set(key, v);
            else ((ArrayNode) parent).set(index, v);
        }

        void remove() {
            if (key != null) ((ObjectNode) parent).remove(key);
            else ((ArrayNode) parent).remove(index);
        }

        /** Renames the key in place, keeping the order of the object's keys. */
        void rename(String to) {
            ObjectNode o = (ObjectNode) parent;
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : o.properties()) fields.put(e.getKey().equals(key) ? to : e.getKey(), e.getValue());
            o.removeAll();
            o.setAll(fields);
        }
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(JsonNode n, List<Slot> out) {
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                out.add(new Slot(n, k, -1));
                collect(n.get(k), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(new Slot(n, null, i));
                collect(n.get(i), out);
            }
        }
    }

    /** A plausible typo of a key. */
    static String nearMiss(String key, int variant) {
        int v = Math.floorMod(variant, 6);
        int at = key.isEmpty() ? 0 : Math.floorMod(variant / 6, key.length());
        return switch (v) {
            case 0 -> key.length() > 1 ? key.substring(0, at) + key.substring(at + 1) : key + "x";
            case 1 -> key.length() > 1 && at + 1 < key.length()
                    ? key.substring(0, at) + key.charAt(at + 1) + key.charAt(at) + key.substring(at + 2) : "_" + key;
            case 2 -> key.toUpperCase(Locale.ROOT);
            case 3 -> key + "s";
            case 4 -> key.contains("-") ? key.replace('-', '_') : key + "-" + key;
            default -> key.isEmpty() ? "x" : key.substring(0, at + 1) + key.charAt(at) + key.substring(at + 1);
        };
    }

    static final List<String> TRICKY_VALUES = List.of("@nosuch", "999.1.1.1/99", "", " ", "self", "any", "default", "tcp",
            "icmp", "icmpv6", "ipv4", "ipv6", "port", "accept", "drop", "read-only", "admin", "sha256:abc",
            "sha256:" + "g".repeat(64), "sha256:" + "A".repeat(64), "10.0.0.1", "10.0.0.0/8", "10.0.0.1/24", "10.0.0.9-10.0.0.1",
            "fd00::1", "fd00::/64", "fd00::1/64", "[fd00::1]:99999", "[fd00::1]", "[fd00::1", "1.2.3.4:0", "1.2.3.4:", "0",
            "65536", "1-0", "80-70", "1-65535", "-", "10/second", "0/second", "5/fortnight", "99999999999/day", "ftp", "h323",
            "eth0", "lan", "wan", "x".repeat(40), "true", "yes", "null", "~", "-1", "1e9", "@", "@@x", "@self", "@1",
            "01.2.3.4", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", "١.١.١.١", "1.2.3.4/33", "::/129",
            "0.0.0.0/0", "::", "a\u0000b", "a\"b", "😀");

    static Arbitrary<JsonNode> jsonValues() {
        Arbitrary<JsonNode> strings = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(TRICKY_VALUES)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(10))).map(F::textNode);
        Arbitrary<JsonNode> numbers = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().map(i -> (JsonNode) F.numberNode(i))),
                Tuple.of(1, Arbitraries.of(-1L, 0L, 1L, 1023L, 1024L, 4094L, 4095L, 65535L, 65536L, 2147483647L, 2147483648L,
                        4294967295L, 4294967296L, Long.MAX_VALUE, Long.MIN_VALUE).map(l -> (JsonNode) F.numberNode(l))),
                Tuple.of(1, Arbitraries.of(new BigInteger("123456789012345678901234567890"), BigInteger.TWO.pow(64).negate())
                        .map(b -> (JsonNode) F.numberNode(b))),
                Tuple.of(1, Arbitraries.of(new BigDecimal("1.5"), new BigDecimal("-0.0"), new BigDecimal("1e400"), new BigDecimal("22.0"))
                        .map(d -> (JsonNode) F.numberNode(d))),
                Tuple.of(1, Arbitraries.doubles().map(d -> (JsonNode) F.numberNode(d))));
        Arbitrary<JsonNode> containers = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(F.objectNode())),
                Tuple.of(2, Arbitraries.just(F.arrayNode())),
                Tuple.of(2, Arbitraries.of(TRICKY_VALUES).list().ofMinSize(1).ofMaxSize(3).map(l -> {
                    ArrayNode a = F.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                })),
                Tuple.of(1, Combinators.combine(Arbitraries.of("name", "type", "from", "x", "rate", "parent"), Arbitraries.of(TRICKY_VALUES))
                        .as((k, v) -> {
                            ObjectNode o = F.objectNode();
                            o.put(k, v);
                            return (JsonNode) o;
                        })),
                Tuple.of(1, Arbitraries.just(F.arrayNode().add(F.nullNode()))));
        return Arbitraries.frequencyOf(
                Tuple.of(4, strings),
                Tuple.of(3, numbers),
                Tuple.of(1, Arbitraries.of(true, false).map(b -> (JsonNode) F.booleanNode(b))),
                Tuple.of(1, Arbitraries.just(F.nullNode())),
                Tuple.of(2, containers));
    }

    static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 1000), jsonValues()).as(Mutation::new);
    }

    static Arbitrary<List<Mutation>> mutations() {
        return mutation().list().ofMinSize(1).ofMaxSize(5);
    }

    // ---------------------------------------------------------------- text

    static final List<String> FRAGMENTS = List.of(":", ": ", "- ", "-", "{", "}", "[", "]", ",", "&a ", "*a", "<<: ", "<<: *a\n",
            "!!", "!!binary aGk=", "!!int ", "!!int x", "!!float ", "!!float .x", "!!str ", "!!map ", "!!set ", "!!omap ", "!!null ",
            "!!timestamp 2001-12-14 ", "!foo ", "? ", "? [a]\n: b\n", "|", "|-\n  x\n", ">", "#", "# comment\n", "---\n", "...\n",
            "%YAML 1.2\n", "%TAG ! tag:x,2000:\n", "\t", "\n", "\r\n", "  ", "    ", "\"", "'", "\\", "\\u0000", "null", "~",
            "true", "1e999", "-0", "0x1F", ".nan", "99999999999999999999999", "1.5", "interfaces", "zones", "firewall", "rules",
            "sets", "nat", "routes", "conntrack", "management", "version", "version: 2\n", "1", "lan", "eth0", "10.0.0.1/24",
            "@set", "é", "😀", "\u0000", "\ufeff", "\u0085", "\u2028", "a: &a {b: [1, 2]}\n", "c: *a\n", "d: *nosuch\n",
            "a: &a [x, y]\nb: &b [*a, *a]\nc: &c [*b, *b]\n", "interfaces:\n  lan:\n    device: eth0\n",
            "zones: {lan: {interfaces: [lan]}}\n", "firewall: {rules: [{name: r, from: lan, to: self, action: accept}]}\n",
            "{\"interfaces\": {\"lan\": {\"device\": \"eth0\"}}}", "{\"a\": 1, \"a\": 2}", "a: 1\na: 2\n", "key: value\n",
            "- a\n- b\n", "\"\\ud800\"", "'unterminated", "\"unterminated", "[1, 2", "{a: 1");

    static Arbitrary<String> yamlishText() {
        Arbitrary<String> nesting = Combinators.combine(Arbitraries.of("[", "{a: ", "- ", "a:\n  ", "{\"a\": ", "[{"),
                Arbitraries.integers().between(1, 120)).as((s, n) -> s.repeat(n));
        Arbitrary<String> fragment = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.of(FRAGMENTS)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(6)),
                Tuple.of(2, Arbitraries.strings().withChars("{}[]:,-&*!|>'\"#%@`? \t\n").ofMaxLength(8)),
                Tuple.of(1, nesting));
        Arbitrary<String> soup = fragment.list().ofMaxSize(25).map(l -> String.join("", l));
        Arbitrary<String> damaged = Combinators.combine(ConfigArbitraries.configs(), Arbitraries.of(Format.class),
                Arbitraries.integers().between(0, 100_000), fragment, Arbitraries.of(true, false)
        ).as((c, f, at, frag, cut) -> {
            String t = ConfigWriter.write(c, f);
            int p = Math.floorMod(at, t.length() + 1);
            return cut ? t.substring(0, p) + frag : t.substring(0, p) + frag + t.substring(p);
        });
        return Arbitraries.frequencyOf(Tuple.of(3, soup), Tuple.of(1, damaged), Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
    }
}
