package dev.bulwark.config.bind;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.config.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A config document as a tree, with the source position of every node by JSON pointer. {@code root} is null when
 * the document could not be read at all; then {@code problems} says why.
 */
public record ParsedTree(JsonNode root, SourcePositions positions, List<Problem> problems) {

    /**
     * Puts the source position on a problem: that of its node, or of the nearest ancestor that has one.
     * {@code scalarsAsLists} are pointers where a single value stood for a one-element list; a problem with
     * element 0 of such a list is reported at the value itself.
     */
    public Problem locate(Problem p, Set<String> scalarsAsLists) {
        String ptr = p.pointer();
        // A value written as a scalar where a list is expected is reported at the scalar, not at element 0.
        if (ptr.endsWith("/0") && scalarsAsLists.contains(ptr.substring(0, ptr.length() - 2))) {
            p = p.withPointer(ptr.substring(0, ptr.length() - 2));
        }
        if (p.line() != null) return p;
        int[] pos = positions.find(p.pointer());
        return pos != null ? p.at(pos[0], pos[1]) : p;
    }

    public List<Problem> locateAll(List<Problem> ps, Set<String> scalarsAsLists) {
        List<Problem> out = new ArrayList<>(ps.size());
        for (Problem p : ps) out.add(locate(p, scalarsAsLists));
        return out;
    }
}
