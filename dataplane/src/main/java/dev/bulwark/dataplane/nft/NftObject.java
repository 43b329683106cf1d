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
        /**
         * A policy is complete in the kernel: it reports every state of the protocol. States not given here take the
         * kernel's built-in default (the values nft also fills in), so that the value read back is equal to the one
         * written and the policy does not depend on the namespace's conntrack sysctls.
         */
        public CtTimeout {
            TreeMap<Integer, Integer> all = new TreeMap<>();
            int[] defaults = l4proto == 6 ? TCP_DEFAULTS : l4proto == 17 ? UDP_DEFAULTS : new int[0];
            for (int i = 0; i < defaults.length; i++) all.put(i, defaults[i]);
            all.putAll(timeouts);
            timeouts = java.util.Collections.unmodifiableMap(all);
        }

        /** Kernel defaults in seconds by NFTNL_CTTIMEOUT_TCP_* state: syn_sent, syn_recv, established, fin_wait,
         *  close_wait, last_ack, time_wait, close, syn_sent2, retrans, unacknowledged. */
        static final int[] TCP_DEFAULTS = {120, 60, 432000, 120, 60, 30, 120, 10, 120, 300, 300};
        /** Kernel defaults in seconds by NFTNL_CTTIMEOUT_UDP_* state: unreplied, replied. */
        static final int[] UDP_DEFAULTS = {30, 120};

        /** TCP state indexes (NFTNL_CTTIMEOUT_TCP_*), as nft names them in a policy. */
        public static final int TCP_SYN_SENT = 0, TCP_SYN_RECV = 1, TCP_ESTABLISHED = 2, TCP_FIN_WAIT = 3,
                TCP_CLOSE_WAIT = 4, TCP_LAST_ACK = 5, TCP_TIME_WAIT = 6, TCP_CLOSE = 7, TCP_SYN_SENT2 = 8,
                TCP_RETRANS = 9, TCP_UNACK = 10;
        /** UDP state indexes (NFTNL_CTTIMEOUT_UDP_*). */
        public static final int UDP_UNREPLIED = 0, UDP_REPLIED = 1;

        @Override
        public int type() {
            return Nft.OBJECT_CT_TIMEOUT;
        }
    }
}
