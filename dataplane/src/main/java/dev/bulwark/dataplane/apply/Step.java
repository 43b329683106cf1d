package dev.bulwark.dataplane.apply;

import java.util.List;
import java.util.Objects;

/**
 * An operation of a plan with the operations that undo it, run in the given order (empty when nothing needs undoing,
 * e.g. a change to a link the same plan created, whose deletion undoes everything).
 */
public record Step(Operation operation, List<Operation> undo) {
    public Step {
        Objects.requireNonNull(operation, "operation");
        undo = List.copyOf(undo);
    }

    public Step(Operation operation, Operation... undo) {
        this(operation, List.of(undo));
    }

    @Override
    public String toString() {
        return operation.command() + (undo.isEmpty() ? "" : "  (undo: " + String.join("; ", undo.stream().map(Operation::command).toList()) + ")");
    }
}
