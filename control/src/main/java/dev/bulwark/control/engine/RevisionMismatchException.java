package dev.bulwark.control.engine;

/**
 * A conditional change (HTTP {@code If-Match}) expected a newest revision that is no longer the newest: another
 * change came first. Nothing was written and nothing was sent to the kernel. The writer compares, so of concurrent
 * changes that expect the same revision exactly one goes through.
 */
public final class RevisionMismatchException extends RuntimeException {
    private final long expected;
    private final Long actual;

    public RevisionMismatchException(long expected, Long actual) {
        super("the change was made against revision " + expected + ", but the newest revision is "
                + (actual == null ? "none (nothing is committed)" : actual) + "; nothing was changed: fetch the config again and retry");
        this.expected = expected;
        this.actual = actual;
    }

    public long expected() {
        return expected;
    }

    /** The newest revision now, or null when nothing is committed. */
    public Long actual() {
        return actual;
    }
}
