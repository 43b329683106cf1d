package dev.bulwark.dataplane.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The undo log against fake operations: fail the Nth, check what ran and what was undone. */
class UndoLogTest {

    final List<String> ran = new ArrayList<>();

    record Fake(String command, List<String> ran, Set<String> failing) implements Operation {
        @Override
        public void apply(NetlinkSocket socket) {
            if (failing.contains(command)) throw new NetlinkException(command, 22, "refused by the fake kernel");
            ran.add(command);
        }
    }

    Operation op(String name, String... failing) {
        return new Fake(name, ran, Set.of(failing));
    }

    @Test
    void runsEveryStepInOrderAndKeepsTheUndoUntilCleared() {
        UndoLog log = new UndoLog();
        log.apply(null, List.of(new Step(op("a"), op("undo a")), new Step(op("b")), new Step(op("c"), op("undo c1"), op("undo c2"))));
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(log.pending()).extracting(Operation::command).containsExactly("undo c1", "undo c2", "undo a");
        log.clear();
        assertThat(log.isEmpty()).isTrue();
        assertThat(log.rollback()).isEmpty();
        assertThat(ran).containsExactly("a", "b", "c");
    }

    @Test
    void aFailureRollsBackEverythingNewestFirstButNotTheRefusedStep() {
        UndoLog log = new UndoLog();
        log.apply(null, List.of(new Step(op("links"), op("undo links"))));
        List<Step> second = List.of(new Step(op("a"), op("undo a")), new Step(op("b"), op("undo b1"), op("undo b2")),
                new Step(op("c", "c"), op("undo c")), new Step(op("d"), op("undo d")));
        assertThatThrownBy(() -> log.apply(null, second))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.failed().command()).isEqualTo("c");
                    assertThat(e.getCause()).hasMessage("c: Invalid argument (errno 22): refused by the fake kernel");
                    assertThat(e.undone()).extracting(Operation::command).containsExactly("undo b1", "undo b2", "undo a", "undo links");
                    assertThat(e.rolledBack()).isTrue();
                });
        assertThat(ran).containsExactly("links", "a", "b", "undo b1", "undo b2", "undo a", "undo links");
        assertThat(log.isEmpty()).isTrue();
    }

    @Test
    void aFailingUndoDoesNotStopTheOthersAndIsReported() {
        UndoLog log = new UndoLog();
        List<Step> steps = List.of(new Step(op("a"), op("undo a")), new Step(op("b"), op("undo b", "undo b")), new Step(op("c", "c")));
        assertThatThrownBy(() -> log.apply(null, steps))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.rolledBack()).isFalse();
                    assertThat(e.undoFailures()).singleElement().extracting(Throwable::getMessage).asString().startsWith("undo b:");
                    assertThat(e.getSuppressed()).hasSize(1);
                    assertThat(e.getMessage()).contains("rollback incomplete, 1 of 2 undo operations failed: undo b:");
                });
        assertThat(ran).containsExactly("a", "b", "undo a");
    }

    @Test
    void nothingToDoSendsNothing() {
        UndoLog log = new UndoLog();
        log.apply(null, List.of());
        assertThat(log.isEmpty()).isTrue();
        assertThat(ran).isEmpty();
    }
}
