package dev.bulwark.control.drift;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * The drift found so far: the newest {@link #CAPACITY} records, and the drift that stands unrepaired now (report-only
 * mode, or a repair that failed), if any. Written by the engine's writer; read by any thread.
 */
public final class DriftLog {
    public static final int CAPACITY = 100;

    private final ArrayDeque<DriftRecord> records = new ArrayDeque<>();
    private long nextId = 1;
    private DriftRecord outstanding;

    /** Records a finding; returns the record. */
    public synchronized DriftRecord add(Instant when, DriftRecord.Trigger trigger, long revision, List<String> notifications,
                                        List<String> differences, boolean repaired, String error) {
        DriftRecord r = new DriftRecord(nextId++, when, trigger, revision, notifications, differences, repaired, error);
        records.addLast(r);
        while (records.size() > CAPACITY) records.removeFirst();
        outstanding = repaired ? null : r;
        return r;
    }

    /** The kernel matches the committed config again. */
    public synchronized void clearOutstanding() {
        outstanding = null;
    }

    /** The newest records, oldest first. */
    public synchronized List<DriftRecord> records() {
        return List.copyOf(records);
    }

    /** The unrepaired drift that stands now, if any. */
    public synchronized Optional<DriftRecord> outstanding() {
        return Optional.ofNullable(outstanding);
    }
}
