package dev.bulwark.dataplane.fake;

import dev.bulwark.dataplane.netlink.NetlinkException;
import java.util.HashSet;
import java.util.Set;

/**
 * What the fake ports of one {@link FakeDataplane} share: the count of kernel operations (for fault injection: the
 * k-th operation from now fails) and of reads and changes.
 */
public final class FakeKernel {

    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENETUNREACH = 101;
    public static final int ESRCH = 3;
    public static final int ENOENT = 2;
    public static final int EADDRNOTAVAIL = 99;
    public static final int EIO = 5;

    private final Set<Integer> failAt = new HashSet<>();
    private int operations;
    private long changes;
    private long reads;

    /** The k-th (1-based) kernel operation from now fails; more calls add more failures. */
    public void failOperation(int k) {
        failAt.add(operations + k);
    }

    public void clearFailures() {
        failAt.clear();
    }

    /** Kernel operations run so far (including refused ones). */
    public int operations() {
        return operations;
    }

    public long changes() {
        return changes;
    }

    public long reads() {
        return reads;
    }

    /** Counts one read. */
    void read() {
        reads++;
    }

    /** Counts one operation; throws the injected failure when it is one. */
    void operation(String what) {
        if (next()) throw new NetlinkException(what, EIO, "injected failure of operation " + operations);
    }

    /** Counts one operation; whether it is one that must fail. */
    boolean next() {
        changes++;
        operations++;
        return failAt.remove(operations);
    }

    static NetlinkException refuse(String what, int errno, String message) {
        return new NetlinkException(what, errno, message);
    }
}
