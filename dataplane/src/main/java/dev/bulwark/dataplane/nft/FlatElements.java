package dev.bulwark.dataplane.nft;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The elements of a set whose elements all have keys of one length and no verdicts (every plain and interval set),
 * held flat: the keys one after another in one byte array, the flags in an int array, in ascending order. A set of
 * 100,000 addresses is then two arrays instead of 100,000 tree nodes with an element, a key and a byte array each:
 * comparing two such sets is a comparison of arrays, and a diff walks memory in order. Read-only; iterating makes
 * the {@link SetElement} values on the fly.
 */
final class FlatElements extends AbstractSet<SetElement> implements SortedSet<SetElement> {
    private final int keyLen;
    private final byte[] keys;
    private final int[] flags;

    private FlatElements(int keyLen, byte[] keys, int[] flags) {
        this.keyLen = keyLen;
        this.keys = keys;
        this.flags = flags;
    }

    /**
     * The elements flat, or null when they cannot be: keys of different lengths, verdicts, none at all, or not in
     * strictly ascending natural order (a sorted set always is; a list may not be).
     */
    static FlatElements of(java.util.Collection<SetElement> sorted) {
        if (sorted instanceof FlatElements f) return f;
        if (sorted.isEmpty()) return null;
        int len = sorted.iterator().next().key().length();
        int n = sorted.size();
        byte[] keys = new byte[n * len];
        int[] flags = new int[n];
        int i = 0;
        SetElement prev = null;
        for (SetElement e : sorted) {
            if (e.verdict() != null || e.verdictChain() != null || e.key().length() != len) return null;
            if (prev != null && prev.compareTo(e) >= 0) return null; // not in natural order: leave it to a TreeSet
            e.key().copyTo(keys, i * len);
            flags[i++] = e.flags();
            prev = e;
        }
        return new FlatElements(len, keys, flags);
    }

    /** Equal elements, compared as arrays. */
    boolean sameAs(FlatElements o) {
        return keyLen == o.keyLen && Arrays.equals(flags, o.flags) && Arrays.equals(keys, o.keys);
    }

    /** Element {@code i} against element {@code j} of {@code o}: key, then flags (as {@link SetElement#compareTo}). */
    private int compare(int i, FlatElements o, int j) {
        int c = Arrays.compareUnsigned(keys, i * keyLen, (i + 1) * keyLen, o.keys, j * o.keyLen, (j + 1) * o.keyLen);
        return c != 0 ? c : Integer.compare(flags[i], o.flags[j]);
    }

    /** One pass over both: what only this set has, what only {@code o} has (no element made for the ones in both). */
    void diff(FlatElements o, List<SetElement> onlyThis, List<SetElement> onlyOther) {
        int i = 0, j = 0, n = flags.length, m = o.flags.length;
        while (i < n || j < m) {
            int c = i == n ? 1 : j == m ? -1 : compare(i, o, j);
            if (c == 0) {
                i++;
                j++;
            } else if (c < 0) {
                onlyThis.add(get(i++));
            } else {
                onlyOther.add(o.get(j++));
            }
        }
    }

    SetElement get(int i) {
        return new SetElement(Bytes.copyOf(keys, i * keyLen, keyLen), flags[i], null, null);
    }

    @Override
    public int size() {
        return flags.length;
    }

    @Override
    public Iterator<SetElement> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < flags.length;
            }

            @Override
            public SetElement next() {
                if (i >= flags.length) throw new NoSuchElementException();
                return get(i++);
            }
        };
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof SetElement e) || e.verdict() != null || e.verdictChain() != null || e.key().length() != keyLen) return false;
        int lo = 0, hi = flags.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = get(mid).compareTo(e);
            if (c == 0) return true;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof FlatElements f) return sameAs(f);
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode(); // the sum of the elements' hash codes, as every Set
    }

    @Override
    public Comparator<? super SetElement> comparator() {
        return null;
    }

    @Override
    public SetElement first() {
        if (flags.length == 0) throw new NoSuchElementException();
        return get(0);
    }

    @Override
    public SetElement last() {
        if (flags.length == 0) throw new NoSuchElementException();
        return get(flags.length - 1);
    }

    // Ranges are rare (tests, diagnostics): a copy as a tree, read-only.
    @Override
    public SortedSet<SetElement> subSet(SetElement from, SetElement to) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(this).subSet(from, to));
    }

    @Override
    public SortedSet<SetElement> headSet(SetElement to) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(this).headSet(to));
    }

    @Override
    public SortedSet<SetElement> tailSet(SetElement from) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(this).tailSet(from));
    }

    @Override
    public boolean add(SetElement e) {
        throw new UnsupportedOperationException("the elements of a set are read-only");
    }

    @Override
    public boolean remove(Object o) {
        throw new UnsupportedOperationException("the elements of a set are read-only");
    }
}
