package dev.bulwark.dataplane.nft;

/**
 * One element of a set or map as the kernel stores it: a key, for interval sets an optional end-of-interval flag
 * (an interval a-b is the element a and the element b+1 flagged as end), and for verdict maps the verdict.
 *
 * @param flags        NFT_SET_ELEM_INTERVAL_END or 0
 * @param verdict      verdict code for verdict maps (NFT_JUMP, NF_ACCEPT, ...), else null
 * @param verdictChain the chain of a jump/goto verdict, else null
 */
public record SetElement(Bytes key, int flags, Integer verdict, String verdictChain) implements Comparable<SetElement> {

    public static SetElement of(Bytes key) {
        return new SetElement(key, 0, null, null);
    }

    public static SetElement intervalEnd(Bytes key) {
        return new SetElement(key, Nft.SET_ELEM_INTERVAL_END, null, null);
    }

    public static SetElement jump(Bytes key, String chain) {
        return new SetElement(key, 0, Nft.NFT_JUMP, chain);
    }

    /**
     * Key, then flags, then verdict and chain: consistent with {@code equals}, so that a sorted set of elements (and
     * {@link NftSet#equals}) tells a map element whose verdict changed from the old one.
     */
    @Override
    public int compareTo(SetElement o) {
        int c = key.compareTo(o.key);
        if (c != 0) return c;
        c = Integer.compare(flags, o.flags);
        if (c != 0) return c;
        c = VERDICTS.compare(verdict, o.verdict);
        if (c != 0) return c;
        return CHAINS.compare(verdictChain, o.verdictChain);
    }

    // made once: a comparison allocates nothing (sets of 100k elements are sorted and compared often)
    private static final java.util.Comparator<Integer> VERDICTS = java.util.Comparator.nullsFirst(Integer::compare);
    private static final java.util.Comparator<String> CHAINS = java.util.Comparator.nullsFirst(String::compareTo);
}
