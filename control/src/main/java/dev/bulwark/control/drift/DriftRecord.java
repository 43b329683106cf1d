package dev.bulwark.control.drift;

import java.time.Instant;
import java.util.List;

/**
 * One time the kernel was found to differ from the committed config.
 *
 * @param id            increasing number of the record
 * @param detected      when the check found it
 * @param trigger       what started the check: a kernel notification, the resync timer, an operator
 * @param revision      the committed revision the kernel was compared with
 * @param notifications the kernel notifications that started it (for a notification trigger), oldest first
 * @param differences   what differed, as the repair plan's lines ({@code + route default via 203.0.113.1 (table main)})
 * @param repaired      whether the committed state was put back
 * @param error         why the repair failed, or "report only" when the engine only reports; null when repaired
 */
public record DriftRecord(long id, Instant detected, Trigger trigger, long revision, List<String> notifications,
                          List<String> differences, boolean repaired, String error) {

    /** What starts a full check of the kernel against the committed config. */
    public enum Trigger {
        /** The engine's start. */
        STARTUP,
        /** A kernel notification about something of ours (after the debounce interval). */
        NOTIFICATION,
        /** The periodic resync, the backstop for anything notifications do not show. */
        TIMER,
        /** An operator asked for it. */
        MANUAL
    }

    public DriftRecord {
        notifications = List.copyOf(notifications);
        differences = List.copyOf(differences);
    }

    @Override
    public String toString() {
        return "drift " + id + " at " + detected + " (" + trigger.name().toLowerCase(java.util.Locale.ROOT) + ", revision " + revision + "): "
                + differences.size() + " difference(s), " + (repaired ? "repaired" : "not repaired: " + error)
                + (differences.isEmpty() ? "" : "\n  " + String.join("\n  ", differences));
    }
}
