package dev.bulwark.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.types.Names;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes config records back to a tree in canonical form: keys in model order, values in their canonical spelling,
 * keys whose value equals the default left out, empty collections left out. Parsing the result gives equal records.
 */
public final class TreeWriter {
    private TreeWriter() {
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    public static JsonNode write(Object value) {
        if (value == null) return F.nullNode();
        if (value instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            for (Object o : l) a.add(write(o));
            return a;
        }
        if (value instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, v) -> o.set(k.toString(), write(v)));
            return o;
        }
        Class<?> c = value.getClass();
        if (Scalars.isScalar(c) && !Scalars.info(c).shorthand()) {
            String text = value.toString();
            if (numbersAllowed(c) && !text.isEmpty() && text.length() <= 9 && Names.allAsciiDigits(text)) {
                return F.numberNode(Integer.parseInt(text));
            }
            return F.textNode(text);
        }
        if (c.isRecord()) return record(value);
        if (value instanceof Enum<?> e) return F.textNode(Names.enumName(e));
        if (value instanceof String s) return F.textNode(s);
        if (value instanceof Integer i) return F.numberNode(i);
        if (value instanceof Long l) return F.numberNode(l);
        if (value instanceof Boolean b) return F.booleanNode(b);
        throw new IllegalStateException("cannot write " + c);
    }

    private static boolean numbersAllowed(Class<?> c) {
        return Scalars.info(c).numbers();
    }

    private static ObjectNode record(Object value) {
        RecordInfo info = RecordInfo.of(value.getClass());
        ObjectNode o = F.objectNode();
        for (int i = 0; i < info.fields().size(); i++) {
            RecordInfo.Field f = info.fields().get(i);
            Object v = f.get(value);
            if (v == null) continue;
            if (v instanceof List<?> l && l.isEmpty()) continue;
            if (v instanceof Map<?, ?> m && m.isEmpty()) continue;
            if (!f.required() && Objects.equals(v, Binder.defaultValue(info, i))) continue;
            o.set(f.key(), write(v));
        }
        return o;
    }
}
