package dev.bulwark.control.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * What a reconcile changes, in the order it changes it, grouped by subsystem: a change review. {@link #text()} is
 * one line per change ({@code + route default via 203.0.113.1 (table main)}), or {@code no changes};
 * {@link #json()} is the same as JSON. Warnings are things the config asks for that this kernel or namespace will
 * not do (they do not stop an apply).
 *
 * <p>{@link #operations()} counts the kernel operations: the nft section is one atomic batch of that many
 * operations (its lines describe what differs, even when the batch replaces the table whole); every other line is
 * one operation that is undone if a later one fails.
 */
public record Plan(List<Section> sections, List<String> warnings) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The changes of one subsystem.
     *
     * @param subsystem  its name: {@code nft}, {@code network}, {@code sysctl}
     * @param summary    how it is applied, e.g. "table inet bulwark, one atomic batch of 7 operations"
     * @param operations kernel operations it sends
     * @param changes    its lines, in order
     */
    public record Section(String subsystem, String summary, int operations, List<Change> changes) {
        public Section {
            Objects.requireNonNull(subsystem, "subsystem");
            changes = List.copyOf(changes);
        }
    }

    public Plan {
        sections = sections.stream().filter(s -> !s.changes().isEmpty()).toList();
        warnings = List.copyOf(warnings);
    }

    public static Plan empty(List<String> warnings) {
        return new Plan(List.of(), warnings);
    }

    /** Whether nothing changes (warnings may still be there). */
    public boolean isEmpty() {
        return sections.isEmpty();
    }

    /** The number of lines. */
    public int size() {
        return sections.stream().mapToInt(s -> s.changes().size()).sum();
    }

    /** The number of kernel operations an apply sends (before any rollback). */
    public int operations() {
        return sections.stream().mapToInt(Section::operations).sum();
    }

    /** The section of a subsystem, or null when it has no changes. */
    public Section section(String subsystem) {
        return sections.stream().filter(s -> s.subsystem().equals(subsystem)).findFirst().orElse(null);
    }

    /** Every line, in order, without the section headers. */
    public List<Change> changes() {
        return sections.stream().flatMap(s -> s.changes().stream()).toList();
    }

    /** One line per change under a header per subsystem; "no changes" when empty; then the warnings. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (isEmpty()) sb.append("no changes\n");
        for (Section s : sections) {
            sb.append(s.subsystem());
            if (s.summary() != null && !s.summary().isEmpty()) sb.append(": ").append(s.summary());
            sb.append('\n');
            for (Change c : s.changes()) sb.append("  ").append(c).append('\n');
        }
        for (String w : warnings) sb.append("warning: ").append(w).append('\n');
        return sb.toString();
    }

    public ObjectNode json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("changes", size());
        o.put("operations", operations());
        ArrayNode subs = o.putArray("subsystems");
        for (Section s : sections) {
            ObjectNode n = subs.addObject();
            n.put("name", s.subsystem());
            n.put("summary", s.summary());
            n.put("operations", s.operations());
            ArrayNode cs = n.putArray("changes");
            for (Change c : s.changes()) {
                ObjectNode cn = cs.addObject();
                cn.put("op", c.sign());
                cn.put("text", c.text());
                if (c.command() != null) cn.put("command", c.command());
            }
        }
        ArrayNode w = o.putArray("warnings");
        warnings.forEach(w::add);
        return o;
    }

    /** {@link #json()} as indented text. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(json());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return text();
    }
}
