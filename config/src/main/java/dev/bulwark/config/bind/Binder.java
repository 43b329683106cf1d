package dev.bulwark.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bulwark.config.Problem;
import dev.bulwark.config.types.Names;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a document tree to the config records, collecting every problem instead of stopping at the first: unknown
 * keys (with a "did you mean"), missing required keys, wrong types, bad values — each at its JSON pointer. Where a
 * part fails, its parent is not built, but its siblings are still checked.
 */
public final class Binder {

    /** Marks a value that could not be bound; its problem is already recorded. */
    private static final Object FAILED = new Object();

    /** The constants of an enum by their config spelling, and the spellings in order: read once per enum. */
    private record EnumInfo(Map<String, Object> byName, List<String> names) {
    }

    private static final ClassValue<EnumInfo> ENUMS = new ClassValue<>() {
        @Override
        protected EnumInfo computeValue(Class<?> type) {
            Map<String, Object> byName = new HashMap<>();
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                String name = Names.enumName((Enum<?>) c);
                byName.putIfAbsent(name, c); // the first constant so spelled, as a search in order would find
                names.add(name);
            }
            return new EnumInfo(byName, List.copyOf(names));
        }
    };

    private final List<Problem> problems = new ArrayList<>();
    private final List<Pointer> scalarsAsLists = new ArrayList<>();

    /** The bound value, or null when there were problems. */
    public <T> T bind(JsonNode root, Class<T> type) {
        Object v = value(root, type, Pointer.ROOT);
        return v == FAILED ? null : type.cast(v);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Pointers where one value stood for a one-element list. */
    public Set<String> scalarsAsLists() {
        Set<String> out = new HashSet<>();
        for (Pointer p : scalarsAsLists) out.add(p.toString());
        return out;
    }

    private Object fail(Pointer pointer, String message) {
        problems.add(Problem.error(pointer.toString(), message));
        return FAILED;
    }

    private Object value(JsonNode node, Type type, Pointer pointer) {
        Class<?> raw = raw(type);
        if (List.class.equals(raw)) return list(node, elementType(type, 0), pointer);
        if (Map.class.equals(raw)) return map(node, elementType(type, 1), pointer);
        if (Scalars.isScalar(raw) && !Scalars.info(raw).shorthand()) return scalar(node, raw, pointer);
        if (raw.isRecord()) {
            if (node.isValueNode() && Scalars.isScalar(raw)) return scalar(node, raw, pointer);
            if (!node.isObject()) return fail(pointer, "expected " + expected(raw) + ", got " + describe(node));
            return record(node, raw, pointer);
        }
        if (raw.isEnum()) return enumValue(node, raw, pointer);
        if (raw == String.class) {
            if (node.isTextual()) return node.textValue();
            if (node.isNumber()) return node.asText();
            return fail(pointer, "expected a string, got " + describe(node));
        }
        if (raw == int.class || raw == Integer.class) {
            if (node.isIntegralNumber() && node.canConvertToInt()) return node.intValue();
            if (node.isIntegralNumber()) return fail(pointer, node.asText() + " is too large; at most " + Integer.MAX_VALUE);
            if (node.isTextual() && node.textValue().strip().matches("-?[0-9]{1,10}")) {
                return fail(pointer, "expected a whole number, got the string \"" + node.textValue() + "\"; write it without quotes");
            }
            return fail(pointer, "expected a whole number, got " + describe(node));
        }
        if (raw == long.class || raw == Long.class) {
            if (node.isIntegralNumber() && node.canConvertToLong()) return node.longValue();
            return fail(pointer, "expected a whole number, got " + describe(node));
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (node.isBoolean()) return node.booleanValue();
            if (node.isTextual() && Set.of("yes", "no", "on", "off", "y", "n", "true", "false").contains(node.textValue().toLowerCase(java.util.Locale.ROOT))) {
                return fail(pointer, "expected true or false, got the string \"" + node.textValue() + "\"; write true or false without quotes");
            }
            return fail(pointer, "expected true or false, got " + describe(node));
        }
        throw new IllegalStateException("no binding for " + type);
    }

    private Object scalar(JsonNode node, Class<?> raw, Pointer pointer) {
        if (!node.isValueNode() || node.isNull()) {
            return fail(pointer, "expected " + expected(raw) + ", got " + describe(node));
        }
        try {
            return Scalars.parse(raw, node.asText());
        } catch (IllegalArgumentException e) {
            return fail(pointer, e.getMessage());
        }
    }

    private Object enumValue(JsonNode node, Class<?> raw, Pointer pointer) {
        EnumInfo info = ENUMS.get(raw);
        List<String> names = info.names();
        if (!node.isTextual()) {
            return fail(pointer, "expected one of " + String.join(", ", names) + ", got " + describe(node));
        }
        String text = node.textValue();
        Object c = info.byName().get(text);
        if (c != null) return c;
        String close = Names.closest(text, names);
        return fail(pointer, "'" + text + "' is not valid here; " + (close != null ? "did you mean '" + close + "'? " : "")
                + "expected one of " + String.join(", ", names));
    }

    /** The config spellings of an enum's constants, in order. */
    public static List<String> enumNames(Class<?> raw) {
        return ENUMS.get(raw).names();
    }

    private Object list(JsonNode node, Type elementType, Pointer pointer) {
        if (node.isNull()) return List.of();
        if (!node.isArray()) {
            if (acceptsScalar(raw(elementType)) && node.isValueNode()) {
                scalarsAsLists.add(pointer);
                Object v = value(node, elementType, pointer.index(0));
                return v == FAILED ? FAILED : List.of(v);
            }
            return fail(pointer, "expected a list of " + plural(elementType) + ", got " + describe(node));
        }
        List<Object> out = new ArrayList<>(node.size());
        boolean failed = false;
        for (int i = 0; i < node.size(); i++) {
            JsonNode child = node.get(i);
            Pointer cp = pointer.index(i);
            if (child.isNull()) {
                fail(cp, "empty list entry; remove it or give a value");
                failed = true;
                continue;
            }
            Object v = value(child, elementType, cp);
            if (v == FAILED) failed = true;
            else out.add(v);
        }
        return failed ? FAILED : out;
    }

    private Object map(JsonNode node, Type valueType, Pointer pointer) {
        if (node.isNull()) return Map.of();
        if (!node.isObject()) {
            return fail(pointer, "expected an object of named entries (name: {...}), got " + describe(node));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean failed = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Pointer cp = pointer.key(e.getKey());
            if (!Names.isIdentifier(e.getKey())) {
                fail(cp, "'" + e.getKey() + "' is not a valid name: " + Names.IDENTIFIER_RULE);
                failed = true;
                continue;
            }
            JsonNode v = e.getValue();
            Object bound = v.isNull() && raw(valueType).isRecord()
                    ? value(JsonNodeFactory.instance.objectNode(), valueType, cp)
                    : value(v, valueType, cp);
            if (bound == FAILED) failed = true;
            else out.put(e.getKey(), bound);
        }
        return failed ? FAILED : out;
    }

    private Object record(JsonNode node, Class<?> type, Pointer pointer) {
        RecordInfo info = RecordInfo.of(type);
        boolean failed = false;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (info.field(key) == null) {
                fail(pointer.key(key), unknownKey(key, info));
                failed = true;
            }
        }
        Object[] args = new Object[info.fields().size()];
        for (int i = 0; i < args.length; i++) {
            RecordInfo.Field f = info.fields().get(i);
            JsonNode v = node.get(f.key());
            Object bound;
            if (v == null || v.isNull()) {
                if (f.required()) {
                    fail(v == null ? pointer : pointer.key(f.key()), "missing required key '" + f.key() + "'" + (f.doc() != null ? " (" + lowerFirst(f.doc()) + ")" : ""));
                    failed = true;
                    continue;
                }
                bound = defaultValue(info, i);
            } else {
                bound = value(v, f.type(), pointer.key(f.key()));
            }
            if (bound == FAILED) failed = true;
            else args[i] = bound;
        }
        if (failed) return FAILED;
        try {
            return info.construct(args);
        } catch (IllegalArgumentException e) {
            return fail(pointer, e.getMessage());
        }
    }

    /** The value of a key that the config leaves out: its {@link Default}, an empty collection, or null. */
    public static Object defaultValue(Class<?> owner, RecordInfo.Field f) {
        RecordInfo info = RecordInfo.of(owner);
        int i = info.fields().indexOf(f);
        return i >= 0 ? defaultValue(info, i) : bindDefault(owner, f);
    }

    /** The value of the key {@code i} of a record when the config leaves it out; a {@link Default} is bound once. */
    static Object defaultValue(RecordInfo info, int i) {
        RecordInfo.Field f = info.fields().get(i);
        if (f.defaultText() == null) return bindDefault(info.type(), f);
        Object cached = info.cachedDefault(i);
        return cached != null ? cached : info.cacheDefault(i, bindDefault(info.type(), f));
    }

    private static Object bindDefault(Class<?> owner, RecordInfo.Field f) {
        if (f.defaultText() == null) {
            if (f.raw() == List.class) return List.of();
            if (f.raw() == Map.class) return Map.of();
            return null;
        }
        // Binding a default record computes the defaults of its own keys on the way.
        Binder b = new Binder();
        Object v = b.value(defaultNode(f), f.type(), Pointer.ROOT);
        if (v == FAILED) throw new IllegalStateException("bad @Default on " + owner.getSimpleName() + "." + f.component() + ": " + b.problems);
        return v;
    }

    private static JsonNode defaultNode(RecordInfo.Field f) {
        String t = f.defaultText();
        if (t.equals("{}")) return JsonNodeFactory.instance.objectNode();
        Class<?> r = f.raw();
        if (r == int.class || r == Integer.class) return JsonNodeFactory.instance.numberNode(Integer.parseInt(t));
        if (r == long.class || r == Long.class) return JsonNodeFactory.instance.numberNode(Long.parseLong(t));
        if (r == boolean.class || r == Boolean.class) return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(t));
        return JsonNodeFactory.instance.textNode(t);
    }

    private static String unknownKey(String key, RecordInfo info) {
        String close = Names.closest(key, info.keys());
        StringBuilder sb = new StringBuilder("unknown key '").append(key).append("'");
        if (close != null) sb.append("; did you mean '").append(close).append("'?");
        else sb.append("; allowed keys here: ").append(String.join(", ", info.keys()));
        return sb.toString();
    }

    private static String lowerFirst(String s) {
        String t = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (t.isEmpty() || t.length() > 1 && Character.isUpperCase(t.charAt(1))) return t; // "VLAN id", "TCP SYN sent"
        return Character.toLowerCase(t.charAt(0)) + t.substring(1);
    }

    private static boolean acceptsScalar(Class<?> c) {
        return c == String.class || c.isEnum() || Scalars.isScalar(c);
    }

    public static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof ParameterizedType p) return (Class<?>) p.getRawType();
        throw new IllegalStateException("unsupported type " + t);
    }

    public static Type elementType(Type t, int index) {
        return ((ParameterizedType) t).getActualTypeArguments()[index];
    }

    /** What the user should write for a type, for messages. */
    public static String expected(Class<?> raw) {
        if (Scalars.isScalar(raw)) return Scalars.info(raw).expected();
        if (raw.isRecord()) {
            Doc d = raw.getAnnotation(Doc.class);
            return "an object" + (d != null ? " (" + lowerFirst(d.value()) + ")" : "");
        }
        if (raw.isEnum()) return "one of " + String.join(", ", enumNames(raw));
        if (raw == String.class) return "a string";
        if (raw == boolean.class || raw == Boolean.class) return "true or false";
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) return "a whole number";
        return raw.getSimpleName();
    }

    private static String plural(Type t) {
        Class<?> raw = raw(t);
        if (raw == String.class) return "names";
        if (raw.isRecord()) return "objects";
        return "values (each " + expected(raw) + ")";
    }

    public static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isNull()) return "nothing (null)";
        if (n.isTextual()) {
            String t = n.textValue();
            return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"";
        }
        if (n.isNumber()) return "the number " + n.asText();
        if (n.isBoolean()) return n.asText();
        if (n.isArray()) return "a list";
        if (n.isObject()) return "an object";
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
