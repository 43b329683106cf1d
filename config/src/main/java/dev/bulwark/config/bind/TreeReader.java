package dev.bulwark.config.bind;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.bulwark.config.Format;
import dev.bulwark.config.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Reads a YAML or JSON document into a tree, remembering where each node stood, in bounded time and memory.
 * Hostile documents are refused with a clear problem: too large, nested too deeply, too many values (a YAML alias
 * bomb expands past the node budget long before it fills memory), duplicate keys, several YAML documents.
 * YAML anchors and aliases work within that budget, as does the {@code <<} merge key.
 */
public final class TreeReader {

    /** Largest config accepted, in bytes: a router config is a few hundred KiB, a blocklist of a million addresses ~17 MB. */
    public static final int MAX_BYTES = 32 * 1024 * 1024;
    /** Deepest nesting accepted; the config model itself is less than 10 deep. */
    public static final int MAX_DEPTH = 64;
    /** Most values a document may have. */
    public static final int MAX_NODES = 2_000_000;
    /** Most values that YAML aliases may add by expansion: a billion-laughs document hits this at once. */
    public static final int MAX_ALIAS_NODES = 100_000;
    /** Longest single string. */
    public static final int MAX_STRING = 64 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(constraints())
            .build();
    // The builder starts with no parser features set, so the default "key:" = null has to be asked for again;
    // without it an empty value reads as "" and "missing required key" or a default never applies.
    private static final YAMLFactory YAML = new Yaml(YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(constraints())
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL));

    /**
     * Jackson's YAML parser, which asks SnakeYAML's resolver what each plain scalar is, by regex; a scalar that
     * {@link PlainScalars#readsAsString} knows to be a string (names, addresses, prefixes: most of a large config) is
     * taken for one as the parser would, without asking.
     */
    private static final class Yaml extends YAMLFactory {
        Yaml(YAMLFactoryBuilder b) {
            super(b);
        }

        @Override
        protected YAMLParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
            return new YAMLParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
                    _createReader(data, offset, len, null, ctxt)) {
                @Override
                protected JsonToken _decodeScalar(ScalarEvent scalar) throws IOException {
                    String tag = scalar.getTag();
                    if ((tag == null || tag.equals("!")) && scalar.getImplicit().canOmitTagInPlainScalar()
                            && PlainScalars.readsAsString(scalar.getValue())) {
                        // What super._decodeScalar does when the resolver says Tag.STR.
                        _textValue = scalar.getValue();
                        _cleanedTextValue = null;
                        return JsonToken.VALUE_STRING;
                    }
                    return super._decodeScalar(scalar);
                }
            };
        }
    }

    private static StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + 8)
                .maxStringLength(MAX_STRING)
                .maxNumberLength(100)
                .maxNameLength(MAX_STRING)
                .maxDocumentLength(MAX_BYTES)
                .build();
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_BYTES);
        o.setNestingDepthLimit(MAX_DEPTH + 8);
        o.setMaxAliasesForCollections(1000);
        o.setAllowRecursiveKeys(false);
        return o;
    }

    private static final class Limit extends RuntimeException {
        final Problem problem;

        Limit(Problem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }
    }

    private final boolean yaml;
    private final SourcePositions.Step positions = SourcePositions.newRoot();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private final Map<String, Integer> anchorSizes = new HashMap<>();
    private long nodes;
    private long aliasNodes;

    private TreeReader(boolean yaml) {
        this.yaml = yaml;
    }

    public static ParsedTree read(byte[] content, Format format) {
        TreeReader r = new TreeReader(format == Format.YAML);
        if (content.length > MAX_BYTES) {
            r.problems.add(Problem.error("", "the config is " + content.length + " bytes; at most " + MAX_BYTES
                    + " bytes are accepted (move large address lists into fewer, wider prefixes)"));
            return r.result(null);
        }
        return r.parse(content);
    }

    private ParsedTree result(JsonNode root) {
        return new ParsedTree(root, new SourcePositions(positions), List.copyOf(problems));
    }

    private ParsedTree parse(byte[] content) {
        try (JsonParser p = (yaml ? YAML : JSON).createParser(content)) {
            JsonToken first = p.nextToken();
            // A YAML file with only "---" and comments is one empty (null) document: empty too.
            if (first == null || (yaml && first == JsonToken.VALUE_NULL && p.nextToken() == null)) {
                problems.add(Problem.error("", "the config is empty; it must be an object such as 'interfaces: {...}'"));
                return result(null);
            }
            if (first != JsonToken.START_OBJECT) {
                problems.add(located(p, Problem.error("", "the config must be an object (key: value pairs), not " + describe(first))));
                return result(null);
            }
            JsonNode root = value(p, positions, 1);
            JsonToken after = p.nextToken();
            if (after != null) {
                problems.add(located(p, Problem.error("", yaml
                        ? "only one YAML document is allowed; remove the second '---' and what follows"
                        : "unexpected content after the end of the JSON object")));
                return result(null);
            }
            if (!problems.isEmpty()) return result(null);
            return result(root);
        } catch (Limit l) {
            problems.add(l.problem);
            return result(null);
        } catch (JsonProcessingException e) {
            problems.add(syntax(e));
            return result(null);
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some limits (code points, nesting) as runtime exceptions.
            problems.add(Problem.error("", (yaml ? "YAML" : "JSON") + " could not be read: " + firstLine(e.getMessage())));
            return result(null);
        }
    }

    private Problem syntax(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        int line = loc != null ? loc.getLineNr() : 0;
        int column = loc != null ? loc.getColumnNr() : 0;
        String msg = firstLine(e.getOriginalMessage());
        if (msg.contains("Document nesting depth") || msg.contains("Nesting Depth")) {
            msg = "the document is nested more than " + MAX_DEPTH + " levels deep";
        } else if (msg.contains("String value length") || msg.contains("exceeds the maximum")) {
            msg = "a value is too long: " + msg;
        } else if (e.getCause() instanceof MarkedYAMLException m && m.getProblem() != null && m.getProblemMark() != null) {
            // SnakeYAML's first line is only the context ("while parsing a flow sequence"); say what is wrong, and where.
            msg = firstLine(m.getProblem());
            Mark c = m.getContextMark();
            if (m.getContext() != null && c != null) {
                msg += " (" + m.getContext() + " that starts on line " + (c.getLine() + 1) + ", column " + (c.getColumn() + 1) + ")";
            }
            line = m.getProblemMark().getLine() + 1;
            column = m.getProblemMark().getColumn() + 1;
        }
        Problem p = Problem.error("", (yaml ? "YAML" : "JSON") + " syntax error: " + msg);
        if (line > 0) p = p.at(line, Math.max(1, column));
        return p;
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private Problem located(JsonParser p, Problem problem) {
        JsonLocation loc = p.currentTokenLocation();
        return loc != null && loc.getLineNr() > 0 ? problem.at(loc.getLineNr(), Math.max(1, loc.getColumnNr())) : problem;
    }

    private static void remember(JsonParser p, SourcePositions.Step at) {
        JsonLocation loc = p.currentTokenLocation();
        if (loc != null && loc.getLineNr() > 0) at.at(loc.getLineNr(), Math.max(1, loc.getColumnNr()));
    }

    private void count(JsonParser p, long n) {
        nodes += n;
        if (nodes > MAX_NODES) {
            throw new Limit(located(p, Problem.error("", "the document has more than " + MAX_NODES
                    + " values" + (yaml && !anchors.isEmpty() ? " once its YAML aliases are expanded (an alias bomb?)" : ""))));
        }
    }

    /**
     * Reads the value at the current token into the tree, and the positions of its children into {@code at}; the
     * parser is left on its last token. Pointers are spelled out only for problems.
     */
    private JsonNode value(JsonParser p, SourcePositions.Step at, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new Limit(located(p, Problem.error(at.pointer(), "the document is nested more than " + MAX_DEPTH + " levels deep")));
        }
        count(p, 1);
        String anchor = yaml ? ((YAMLParser) p).getObjectId() instanceof String s ? s : null : null;
        JsonToken t = p.currentToken();
        JsonNode node;
        switch (t) {
            case START_OBJECT -> node = object(p, at, depth);
            case START_ARRAY -> {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    SourcePositions.Step child = at.item(i++);
                    remember(p, child);
                    a.add(value(p, child, depth + 1));
                }
                node = a;
            }
            case VALUE_STRING -> {
                if (yaml && ((YAMLParser) p).isCurrentAlias()) {
                    node = alias(p, at, p.getText());
                } else {
                    node = JsonNodeFactory.instance.textNode(p.getText());
                }
            }
            case VALUE_NUMBER_INT -> node = switch (p.getNumberType()) {
                case INT -> JsonNodeFactory.instance.numberNode(p.getIntValue());
                case LONG -> JsonNodeFactory.instance.numberNode(p.getLongValue());
                default -> JsonNodeFactory.instance.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> node = JsonNodeFactory.instance.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> node = JsonNodeFactory.instance.booleanNode(true);
            case VALUE_FALSE -> node = JsonNodeFactory.instance.booleanNode(false);
            case VALUE_NULL -> node = JsonNodeFactory.instance.nullNode();
            default -> throw new Limit(located(p, Problem.error(at.pointer(), "unexpected " + describe(t))));
        }
        if (anchor != null) {
            anchors.put(anchor, node);
            anchorSizes.put(anchor, size(node));
        }
        return node;
    }

    /**
     * Reads an object; each key's position is that of its member. A merge key's value and a duplicate key's second
     * value are read (for their own problems) into positions of their own that no pointer of the tree reaches.
     */
    private ObjectNode object(JsonParser p, SourcePositions.Step at, int depth) throws IOException {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        List<JsonNode> merges = null;
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String name = p.currentName();
            JsonLocation keyLoc = p.currentTokenLocation();
            int[] pos = keyLoc != null && keyLoc.getLineNr() > 0 ? new int[]{keyLoc.getLineNr(), Math.max(1, keyLoc.getColumnNr())} : null;
            p.nextToken();
            if (yaml && name.equals("<<")) {
                JsonNode m = value(p, at.detached(name), depth + 1);
                if (merges == null) merges = new ArrayList<>();
                if (m.isObject()) merges.add(m);
                else if (m.isArray()) m.forEach(merges::add);
                else problems.add(atPos(Problem.error(Pointers.child(at.pointer(), name), "a '<<' merge key needs a mapping or a list of mappings"), pos));
                continue;
            }
            if (o.has(name)) {
                SourcePositions.Step first = at.existingKey(name);
                problems.add(atPos(Problem.error(Pointers.child(at.pointer(), name), "duplicate key '" + name + "'"
                        + (first != null && first.hasPosition() ? " (first given on line " + first.line() + ")" : "")
                        + "; each key may appear once"), pos));
                value(p, at.detached(Pointers.escape(name) + "#dup"), depth + 1);
                continue;
            }
            SourcePositions.Step child = at.key(name);
            if (pos != null) child.at(pos[0], pos[1]);
            o.set(name, value(p, child, depth + 1));
        }
        for (JsonNode m : merges == null ? List.<JsonNode>of() : merges) {
            if (!m.isObject()) continue;
            m.fields().forEachRemaining(e -> {
                if (!o.has(e.getKey())) o.set(e.getKey(), e.getValue());
            });
        }
        return o;
    }

    private static Problem atPos(Problem p, int[] pos) {
        return pos == null ? p : p.at(pos[0], pos[1]);
    }

    private JsonNode alias(JsonParser p, SourcePositions.Step at, String name) {
        JsonNode target = anchors.get(name);
        if (target == null) {
            throw new Limit(located(p, Problem.error(at.pointer(), "unknown YAML alias '*" + name + "'; define '&" + name + "' before using it")));
        }
        int n = anchorSizes.get(name);
        aliasNodes += n;
        if (aliasNodes > MAX_ALIAS_NODES) {
            throw new Limit(located(p, Problem.error(at.pointer(), "YAML aliases expand to more than " + MAX_ALIAS_NODES
                    + " values (an alias bomb?); write the values out or use fewer aliases")));
        }
        count(p, n);
        return target.deepCopy();
    }

    private static int size(JsonNode n) {
        if (!n.isContainerNode()) return 1;
        long s = 1;
        for (JsonNode c : n) {
            s += size(c);
            if (s > MAX_NODES) return MAX_NODES + 1;
        }
        return (int) s;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
