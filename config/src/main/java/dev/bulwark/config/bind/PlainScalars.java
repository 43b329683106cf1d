package dev.bulwark.config.bind;

import java.util.Set;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * What a plain (unquoted) YAML scalar is read as: SnakeYAML's resolver, which both the reader and the writer's quoting
 * follow, matches it against a regex per implicit type. {@link #readsAsString} answers for the shapes most values of a
 * config have (names, addresses, prefixes) without those regexes.
 */
public final class PlainScalars {
    private PlainScalars() {
    }

    private static final Resolver RESOLVER = new Resolver();

    /** The plain scalars that the resolver reads as a boolean or null and that start with a letter. */
    private static final Set<String> RESOLVER_WORDS = Set.of("yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
            "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL");

    /** Whether the resolver takes the plain scalar for a string, not a number, boolean, null, timestamp... */
    public static boolean resolvedAsString(String value) {
        return RESOLVER.resolve(NodeId.scalar, value, true) == Tag.STR;
    }

    /**
     * True when the resolver certainly reads {@code value} as a string ({@link #resolvedAsString} would say so), decided
     * without its regexes; false when unsure. The resolver's patterns each start with their own characters: booleans
     * with one of {@code yYnNtTfFoO}, null with {@code ~nN} or is {@code ""} or one space, ints with {@code -+} or a
     * digit, floats with those or {@code .}, timestamps with a digit, and {@code <<}, {@code !&*}. A digit may start an
     * int, a float or a timestamp, but none of these has a {@code /} or more than one {@code .}.
     */
    public static boolean readsAsString(String value) {
        if (value.isEmpty()) return false;
        char c = value.charAt(0);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return !RESOLVER_WORDS.contains(value);
        if (c >= '0' && c <= '9') return value.indexOf('/') >= 0 || value.indexOf('.') != value.lastIndexOf('.');
        return "-+.<~!&* ".indexOf(c) < 0;
    }
}
