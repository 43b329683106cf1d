package dev.bulwark.mgmt.api;

import dev.bulwark.control.conntrack.ConntrackEntry;
import dev.bulwark.control.conntrack.ConntrackFilter;
import dev.bulwark.control.conntrack.ConntrackTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A FAKE conntrack table for the conntrack route tests, standing in for the ctnetlink implementation that the
 * dataplane will provide: {@code size} TCP/UDP entries generated on the fly (never held in a list), from which flushed
 * ones are left out. {@link #pauseAfter} holds a listing midway until {@link #resume}, so a test can see that the API
 * streams entries before the listing ends.
 */
final class FakeConntrackTable implements ConntrackTable {
    private final int size;
    private final ConcurrentSkipListSet<Integer> flushed = new ConcurrentSkipListSet<>();
    private volatile int pauseAfter = -1;
    private volatile CountDownLatch resume = new CountDownLatch(0);
    volatile long listings;

    FakeConntrackTable(int size) {
        this.size = size;
    }

    /** Entry i: 192.168.1.(10 + i % 200):(20000 + i) → 203.0.113.1:(443 or 53), tcp for even i, udp for odd. */
    static ConntrackEntry entry(int i) {
        try {
            InetAddress src = InetAddress.getByName("192.168.1." + (10 + i % 200));
            InetAddress dst = InetAddress.getByName("203.0.113.1");
            InetAddress wan = InetAddress.getByName("203.0.113.2");
            boolean tcp = i % 2 == 0;
            int sport = 20000 + i;
            int dport = tcp ? 443 : 53;
            return new ConntrackEntry(4, tcp ? "tcp" : "udp", new ConntrackEntry.Tuple(src, dst, sport, dport),
                    new ConntrackEntry.Tuple(dst, wan, dport, sport), tcp ? "ESTABLISHED" : null, 120L, 0, true);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    void pauseAfter(int n) {
        resume = new CountDownLatch(1);
        pauseAfter = n;
    }

    void resume() {
        pauseAfter = -1;
        resume.countDown();
    }

    @Override
    public long list(ConntrackFilter filter, Consumer<ConntrackEntry> consumer) {
        listings++;
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (i == pauseAfter) {
                try {
                    if (!resume.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the test never resumed the listing");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (flushed.contains(i)) continue;
            ConntrackEntry e = entry(i);
            if (filter.matches(e)) {
                consumer.accept(e);
                n++;
            }
        }
        return n;
    }

    @Override
    public long flush(ConntrackFilter filter) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (!flushed.contains(i) && filter.matches(entry(i))) {
                flushed.add(i);
                n++;
            }
        }
        return n;
    }
}
