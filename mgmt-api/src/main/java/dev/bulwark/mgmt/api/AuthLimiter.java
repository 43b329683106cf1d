package dev.bulwark.mgmt.api;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications per client address in a sliding window: at {@code max} failures within {@code window},
 * the address gets 429 (with Retry-After) for every authenticated route until the oldest failure leaves the window,
 * so tokens cannot be guessed quickly; a request with a valid token is let in all the same ({@link AccessControl}). Thread-safe; memory is bounded by pruning addresses whose
 * failures have all expired.
 */
final class AuthLimiter {
    private static final int PRUNE_ABOVE = 10_000;

    private final int max;
    private final long windowNanos;
    private final LongSupplier nanos;
    private final Map<String, ArrayDeque<Long>> failures = new ConcurrentHashMap<>();

    AuthLimiter(int max, Duration window, LongSupplier nanos) {
        if (max < 1) throw new IllegalArgumentException("max must be at least 1");
        this.max = max;
        this.windowNanos = window.toNanos();
        this.nanos = nanos;
    }

    /** Seconds the client must wait before trying again (at least 1), or 0 when it may try now. */
    long retryAfter(String client) {
        ArrayDeque<Long> q = failures.get(client);
        if (q == null) return 0;
        synchronized (q) {
            long now = nanos.getAsLong();
            expire(q, now);
            if (q.size() < max) return 0;
            long wait = q.peekFirst() + windowNanos - now;
            return Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
        }
    }

    /** Records a failed authentication. */
    void failed(String client) {
        if (failures.size() > PRUNE_ABOVE) prune();
        ArrayDeque<Long> q = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (q) {
            long now = nanos.getAsLong();
            expire(q, now);
            q.addLast(now);
            while (q.size() > max) q.removeFirst();
        }
    }

    private void expire(ArrayDeque<Long> q, long now) {
        while (!q.isEmpty() && now - q.peekFirst() >= windowNanos) q.removeFirst();
    }

    private void prune() {
        long now = nanos.getAsLong();
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                expire(e.getValue(), now);
                return e.getValue().isEmpty();
            }
        });
    }
}
