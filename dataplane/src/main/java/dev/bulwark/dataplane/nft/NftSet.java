package dev.bulwark.dataplane.nft;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A named set or map: {@code nft add set inet bulwark admins '{ type ipv4_addr; flags interval; }'}.
 * Elements are kept sorted, so the order the kernel dumps them in does not matter to {@code equals}.
 *
 * @param keyType  nft's datatype id of the key (Nft.TYPE_IPADDR, ...); concatenations combine ids as nft does
 * @param keyLen   key length in bytes
 * @param flags    NFT_SET_* flags (interval, map, constant ...)
 * @param dataType for maps: Nft.DATA_VERDICT or a datatype id; else null
 * @param dataLen  for maps: data length in bytes; else 0
 */
public record NftSet(String name, int keyType, int keyLen, int flags, Integer dataType, int dataLen,
                     SortedSet<SetElement> elements) {

    /**
     * The name nft sends for an anonymous set it creates: the kernel replaces {@code %d} with the lowest number no
     * other set of the table (as the batch leaves it so far) has, so the names depend on the table's history.
     */
    public static final String ANONYMOUS_TEMPLATE = "__set%d";

    /**
     * A verdict map's data length is the kernel's own business (it reports sizeof(struct nft_verdict) whatever was
     * sent, and nft sends 0), so it is kept as 0 here to compare equal across a round trip.
     */
    public NftSet {
        // flat arrays for plain and interval sets (most sets, and the large ones); a read-only tree for maps
        FlatElements flat = FlatElements.of(elements);
        elements = flat != null ? flat : Collections.unmodifiableSortedSet(new TreeSet<>(elements));
        if (dataType != null && dataType == Nft.DATA_VERDICT) dataLen = 0;
    }

    public boolean isInterval() {
        return (flags & Nft.SET_INTERVAL) != 0;
    }

    public boolean isMap() {
        return (flags & Nft.SET_MAP) != 0;
    }

    /**
     * An anonymous set: the inline set of one rule ({@code tcp dport { 25, 587 }}), bound to that rule. The kernel
     * creates it only in the batch that adds the rule and deletes it with the rule; it is never changed by name.
     */
    public boolean isAnonymous() {
        return (flags & Nft.SET_ANONYMOUS) != 0;
    }

    /** The same set under another name. */
    public NftSet withName(String n) {
        return new NftSet(n, keyType, keyLen, flags, dataType, dataLen, elements);
    }

    /**
     * Equal definitions and equal elements. The elements are compared in one pass over both sorted sets: the
     * record's default would ask the other set for each element (n log n), and a no-op reconcile compares sets of
     * 100,000 elements.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof NftSet s)) return false;
        return keyType == s.keyType && keyLen == s.keyLen && flags == s.flags && dataLen == s.dataLen
                && name.equals(s.name) && java.util.Objects.equals(dataType, s.dataType) && sameElements(elements, s.elements);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, keyType, keyLen, flags, dataType, dataLen, elements);
    }

    /**
     * A read-only sorted set of elements given in strictly ascending order, built in linear time: flat arrays (see
     * {@link FlatElements}) for plain and interval elements, else a tree. Throws when the list is not strictly
     * ascending.
     */
    public static SortedSet<SetElement> ascending(java.util.List<SetElement> sorted) {
        FlatElements flat = FlatElements.of(sorted);
        if (flat != null) return flat;
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).compareTo(sorted.get(i)) >= 0) {
                throw new IllegalArgumentException("elements not strictly ascending at " + i + ": " + sorted.get(i - 1) + ", " + sorted.get(i));
            }
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(sorted));
    }

    /** Whether two sets hold equal elements, in one pass (both are sorted the same way, consistently with equals). */
    public static boolean sameElements(SortedSet<SetElement> a, SortedSet<SetElement> b) {
        if (a == b) return true;
        if (a.size() != b.size()) return false;
        if (a instanceof FlatElements x && b instanceof FlatElements y) return x.sameAs(y);
        java.util.Iterator<SetElement> i = a.iterator(), j = b.iterator();
        while (i.hasNext()) {
            if (!i.next().equals(j.next())) return false;
        }
        return true;
    }

    /** The same set with other elements (element deltas are computed between two of these). */
    public NftSet withElements(SortedSet<SetElement> e) {
        return new NftSet(name, keyType, keyLen, flags, dataType, dataLen, e);
    }
}
