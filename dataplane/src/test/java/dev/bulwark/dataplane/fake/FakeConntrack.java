package dev.bulwark.dataplane.fake;

import dev.bulwark.dataplane.conntrack.ConntrackEntry;
import dev.bulwark.dataplane.conntrack.ConntrackFilter;
import dev.bulwark.dataplane.port.ConntrackPort;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** An in-memory conntrack table behind the {@link ConntrackPort}: entries a test puts in, listed and flushed by filter. */
public final class FakeConntrack implements ConntrackPort {

    private final List<ConntrackEntry> entries = new ArrayList<>();

    /** Adds an entry, as traffic would. */
    public synchronized void add(ConntrackEntry e) {
        entries.add(e);
    }

    @Override
    public void list(ConntrackFilter filter, Consumer<ConntrackEntry> each) {
        List<ConntrackEntry> now;
        synchronized (this) {
            now = List.copyOf(entries);
        }
        for (ConntrackEntry e : now) if (filter.test(e)) each.accept(e);
    }

    @Override
    public synchronized long flush(ConntrackFilter filter) {
        int before = entries.size();
        entries.removeIf(filter::test);
        return before - entries.size();
    }
}
