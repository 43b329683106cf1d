package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.SetElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Interval set elements as nft 1.0.6 hands them to the kernel. An interval {@code a-b} is the element {@code a} and the
 * element {@code b+1} flagged as interval end (none when {@code b} is the largest key); when the first interval does
 * not start at zero, nft adds a zero key flagged as end before it. Overlapping and adjacent intervals are merged first
 * (nft refuses overlapping ones; merging adjacent ones keeps every key unique so the elements read back unambiguously).
 */
public final class Intervals {
    private Intervals() {
    }

    /** An inclusive interval of big-endian keys of one length. */
    public record Interval(Bytes from, Bytes to) {
        public Interval {
            if (from.length() != to.length()) throw new IllegalArgumentException("interval ends of different lengths");
            if (from.compareTo(to) > 0) throw new IllegalArgumentException("interval ends before it starts: " + from + "-" + to);
        }

        public static Interval single(Bytes key) {
            return new Interval(key, key);
        }

        public boolean isSingle() {
            return from.equals(to);
        }

        /** The prefix length when this interval is exactly one CIDR block, else -1. */
        public int prefixLength() {
            int bits = from.length() * 8;
            for (int len = 0; len <= bits; len++) {
                if (maskedEquals(from, len, false) && to.equals(fill(from, len))) return len;
            }
            return -1;
        }
    }

    /** Sorted, with overlapping and adjacent intervals merged. */
    public static List<Interval> merge(List<Interval> in) {
        List<Interval> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparing(Interval::from));
        List<Interval> out = new ArrayList<>();
        for (Interval i : sorted) {
            if (!out.isEmpty()) {
                Interval last = out.getLast();
                Bytes next = increment(last.to());
                if (next == null || i.from().compareTo(next) <= 0) {
                    Bytes to = last.to().compareTo(i.to()) >= 0 ? last.to() : i.to();
                    out.set(out.size() - 1, new Interval(last.from(), to));
                    continue;
                }
            }
            out.add(i);
        }
        return out;
    }

    /**
     * Sorted and without duplicates; merged as by {@link #merge} when any element is wider than one key (then it is an
     * interval set), else left as single keys (a plain set, where neighbours stay separate elements).
     */
    public static List<Interval> canonical(List<Interval> in) {
        if (in.stream().anyMatch(i -> !i.isSingle())) return merge(in);
        return in.stream().map(Interval::from).distinct().sorted().map(Interval::single).toList();
    }

    /** The kernel elements of an interval set holding these (merged) intervals. */
    public static SortedSet<SetElement> elements(List<Interval> intervals) {
        List<Interval> merged = merge(intervals);
        if (merged.isEmpty()) return new TreeSet<>();
        // merged intervals neither overlap nor touch, so these come out strictly ascending: built in one pass
        List<SetElement> out = new ArrayList<>(merged.size() * 2 + 1);
        Bytes first = merged.getFirst().from();
        if (!isZero(first)) out.add(SetElement.intervalEnd(Bytes.of(new byte[first.length()])));
        for (Interval i : merged) {
            out.add(SetElement.of(i.from()));
            Bytes end = increment(i.to());
            if (end != null) out.add(SetElement.intervalEnd(end));
        }
        return dev.bulwark.dataplane.nft.NftSet.ascending(out);
    }

    /** The intervals that interval-set elements stand for (the inverse of {@link #elements}). */
    public static List<Interval> decode(SortedSet<SetElement> elements) {
        List<Interval> out = new ArrayList<>();
        Bytes start = null;
        for (SetElement e : elements) {
            boolean end = (e.flags() & Nft.SET_ELEM_INTERVAL_END) != 0;
            if (end) {
                if (start != null) {
                    out.add(new Interval(start, decrement(e.key())));
                    start = null;
                }
                // a leading zero end marks the gap before the first interval
            } else {
                if (start != null) out.add(Interval.single(start)); // malformed: start without end; keep it visible
                start = e.key();
            }
        }
        if (start != null) out.add(new Interval(start, max(start.length())));
        return out;
    }

    static boolean isZero(Bytes b) {
        for (int i = 0; i < b.length(); i++) if (b.get(i) != 0) return false;
        return true;
    }

    static Bytes max(int len) {
        byte[] a = new byte[len];
        Arrays.fill(a, (byte) 0xff);
        return Bytes.of(a);
    }

    /** b + 1, or null when b is the largest key. */
    static Bytes increment(Bytes b) {
        byte[] a = b.toArray();
        for (int i = a.length - 1; i >= 0; i--) {
            if (a[i] != (byte) 0xff) {
                a[i]++;
                return Bytes.of(a);
            }
            a[i] = 0;
        }
        return null;
    }

    static Bytes decrement(Bytes b) {
        byte[] a = b.toArray();
        for (int i = a.length - 1; i >= 0; i--) {
            if (a[i] != 0) {
                a[i]--;
                return Bytes.of(a);
            }
            a[i] = (byte) 0xff;
        }
        throw new IllegalArgumentException("no key below zero");
    }

    /** Whether the bits after the first {@code len} are all zero (or, with ones, all one). */
    private static boolean maskedEquals(Bytes b, int len, boolean ones) {
        for (int bit = len; bit < b.length() * 8; bit++) {
            boolean set = (b.get(bit / 8) & (0x80 >>> (bit % 8))) != 0;
            if (set != ones) return false;
        }
        return true;
    }

    /** b with every bit after the first {@code len} set. */
    static Bytes fill(Bytes b, int len) {
        byte[] a = b.toArray();
        for (int bit = len; bit < a.length * 8; bit++) a[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        return Bytes.of(a);
    }

    /** The mask of a prefix length over {@code bytes} bytes. */
    static Bytes mask(int len, int bytes) {
        byte[] a = new byte[bytes];
        for (int bit = 0; bit < len; bit++) a[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        return Bytes.of(a);
    }
}
