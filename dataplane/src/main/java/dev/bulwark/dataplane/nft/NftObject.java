package dev.bulwark.dataplane.nft;

import java.util.Map;
import java.util.TreeMap;

/**
 * A named stateful object of a table: a counter ({@code nft add counter inet bulwark NAME}), a conntrack helper
 * ({@code nft add ct helper inet bulwark NAME '{ type "ftp" protocol tcp; l3proto inet; }'}) or a conntrack timeout
 * policy. Counter values are state, not identity: they are read separately and never compared.
 */
public sealed interface NftObject {

    String name();

    /** NFT_OBJECT_* type. */
    int type();

    record CounterObject(String name) implements NftObject {
        @Override
        public int type() {
            return Nft.OBJECT_COUNTER;
        }
    }

    /** @param helper kernel helper name ("ftp"), l3proto NFPROTO_*, l4proto IPPROTO_* */
    record CtHelper(String name, String helper, int l3proto, int l4proto) implements NftObject {
        @Override
        public int type() {
            return Nft.OBJECT_CT_HELPER;
        }
    }

    /** @param timeouts conntrack state index (per l4proto, as the kernel numbers them) to seconds */
    record CtTimeout(String name, int l3proto, int l4proto, Map<Integer, Integer> timeouts) implements NftObject {
        public CtTimeout {
            timeouts = java.util.Collections.unmodifiableMap(new TreeMap<>(timeouts));
        }

        @Override
        public int type() {
            return Nft.OBJECT_CT_TIMEOUT;
        }
    }
}
