package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.SetElement;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The anonymous set a match such as {@code tcp dport { 25, 465, 587 }} creates: constant, bound to its rule, named by
 * the kernel ({@code __set%d} in the request, {@code __set0}, {@code __set1}, ... in a dump, numbered in the order the
 * sets are created in a table).
 */
public record AnonSet(int keyType, int keyLen, boolean interval, SortedSet<SetElement> elements) {

    /** The name nft sends; the kernel replaces {@code %d} with the lowest free number. */
    public static final String TEMPLATE = NftSet.ANONYMOUS_TEMPLATE;

    public AnonSet {
        elements = Collections.unmodifiableSortedSet(new TreeSet<>(elements));
    }

    public int flags() {
        return Nft.SET_ANONYMOUS | Nft.SET_CONSTANT | (interval ? Nft.SET_INTERVAL : 0);
    }

    /** This set as a set of the table under the given name. */
    public NftSet toNftSet(String name) {
        return new NftSet(name, keyType, keyLen, flags(), null, 0, elements);
    }
}
