package dev.bulwark.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.types.Names;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Derives the JSON Schema (draft 2020-12) of the config from the model records, with the same keys, defaults and
 * docs the binder uses, so editors can offer completion and checking. The shipped schema file is this output; a
 * test keeps the two equal.
 */
public final class SchemaGenerator {

    public static final String ID = "urn:bulwark:config:1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Map<String, JsonNode> defs = new TreeMap<>();

    private SchemaGenerator() {
    }

    public static ObjectNode generate(Class<?> root, String title) {
        SchemaGenerator g = new SchemaGenerator();
        ObjectNode ref = g.schema(root);
        ObjectNode s = F.objectNode();
        s.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        s.put("$id", ID);
        s.put("title", title);
        s.setAll(ref);
        ObjectNode d = s.putObject("$defs");
        g.defs.forEach(d::set);
        return s;
    }

    private ObjectNode ref(Class<?> c) {
        return F.objectNode().put("$ref", "#/$defs/" + c.getSimpleName());
    }

    private ObjectNode schema(Type type) {
        Class<?> raw = Binder.raw(type);
        if (raw == List.class) {
            Type el = Binder.elementType(type, 0);
            ObjectNode arr = F.objectNode().put("type", "array");
            arr.set("items", schema(el));
            Class<?> er = Binder.raw(el);
            if (er == String.class || er.isEnum() || Scalars.isScalar(er)) {
                ObjectNode any = F.objectNode();
                any.putArray("anyOf").add(schema(el)).add(arr);
                return any;
            }
            return arr;
        }
        if (raw == Map.class) {
            ObjectNode m = F.objectNode().put("type", "object");
            m.putObject("propertyNames").put("pattern", "^" + Names.IDENTIFIER.pattern() + "$");
            m.set("additionalProperties", schema(Binder.elementType(type, 1)));
            return m;
        }
        if (Scalars.isScalar(raw)) {
            define(raw);
            return ref(raw);
        }
        if (raw.isRecord()) {
            define(raw);
            return ref(raw);
        }
        if (raw.isEnum()) {
            ObjectNode e = F.objectNode();
            ArrayNode values = e.putArray("enum");
            Binder.enumNames(raw).forEach(values::add);
            return e;
        }
        if (raw == String.class) return F.objectNode().put("type", "string");
        if (raw == boolean.class || raw == Boolean.class) return F.objectNode().put("type", "boolean");
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return F.objectNode().put("type", "integer");
        }
        throw new IllegalStateException("no schema for " + type);
    }

    private void define(Class<?> c) {
        String name = c.getSimpleName();
        if (defs.containsKey(name)) return;
        defs.put(name, F.nullNode()); // reserve: records may refer to themselves
        Scalar sc = Scalars.info(c);
        if (sc != null && !sc.shorthand()) {
            defs.put(name, scalar(sc));
            return;
        }
        ObjectNode obj = record(c);
        if (sc != null) {
            ObjectNode any = F.objectNode();
            if (obj.has("description")) any.set("description", obj.remove("description"));
            any.putArray("anyOf").add(scalar(sc)).add(obj);
            defs.put(name, any);
        } else {
            defs.put(name, obj);
        }
    }

    private static ObjectNode scalar(Scalar sc) {
        ObjectNode s = F.objectNode();
        ArrayNode types = s.putArray("type").add("string");
        if (sc.numbers()) types.add("integer");
        if (sc.booleans()) types.add("boolean");
        s.put("description", sc.expected());
        if (sc.examples().length > 0) {
            ArrayNode ex = s.putArray("examples");
            for (String e : sc.examples()) ex.add(e);
        }
        return s;
    }

    private ObjectNode record(Class<?> c) {
        RecordInfo info = RecordInfo.of(c);
        ObjectNode o = F.objectNode().put("type", "object");
        Doc doc = c.getAnnotation(Doc.class);
        if (doc != null) o.put("description", doc.value());
        o.put("additionalProperties", false);
        ObjectNode props = o.putObject("properties");
        ArrayNode required = F.arrayNode();
        for (RecordInfo.Field f : info.fields()) {
            ObjectNode fs = schema(f.type());
            if (f.doc() != null) fs.put("description", f.doc());
            if (f.defaultText() != null) fs.set("default", TreeWriter.write(Binder.defaultValue(c, f)));
            props.set(f.key(), fs);
            if (f.required()) required.add(f.key());
        }
        if (!required.isEmpty()) o.set("required", required);
        return o;
    }
}
