package dev.bulwark.dataplane.nft;

/** Kernel constants of nf_tables (include/uapi/linux/netfilter/nf_tables.h), by their kernel names. */
public final class Nft {
    private Nft() {
    }

    // Address families (NFPROTO_*).
    public static final int NFPROTO_INET = 1;
    public static final int NFPROTO_IPV4 = 2;
    public static final int NFPROTO_IPV6 = 10;

    // Registers.
    public static final int REG_VERDICT = 0;
    public static final int REG_1 = 1;
    public static final int REG_2 = 2;
    public static final int REG_3 = 3;
    public static final int REG_4 = 4;
    public static final int REG32_00 = 8;

    // Verdicts (NF_* and NFT_*).
    public static final int NF_DROP = 0;
    public static final int NF_ACCEPT = 1;
    public static final int NFT_CONTINUE = -1;
    public static final int NFT_BREAK = -2;
    public static final int NFT_JUMP = -3;
    public static final int NFT_GOTO = -4;
    public static final int NFT_RETURN = -5;

    // Hooks (NF_INET_*).
    public static final int HOOK_PREROUTING = 0;
    public static final int HOOK_INPUT = 1;
    public static final int HOOK_FORWARD = 2;
    public static final int HOOK_OUTPUT = 3;
    public static final int HOOK_POSTROUTING = 4;

    // Comparison operators.
    public static final int CMP_EQ = 0;
    public static final int CMP_NEQ = 1;
    public static final int CMP_LT = 2;
    public static final int CMP_LTE = 3;
    public static final int CMP_GT = 4;
    public static final int CMP_GTE = 5;
    public static final int RANGE_EQ = 0;
    public static final int RANGE_NEQ = 1;

    // Payload bases.
    public static final int PAYLOAD_LL_HEADER = 0;
    public static final int PAYLOAD_NETWORK_HEADER = 1;
    public static final int PAYLOAD_TRANSPORT_HEADER = 2;

    // Meta keys.
    public static final int META_LEN = 0;
    public static final int META_PROTOCOL = 1;
    public static final int META_MARK = 3;
    public static final int META_IIF = 4;
    public static final int META_OIF = 5;
    public static final int META_IIFNAME = 6;
    public static final int META_OIFNAME = 7;
    public static final int META_NFPROTO = 15;
    public static final int META_L4PROTO = 16;

    // Conntrack keys.
    public static final int CT_STATE = 0;
    public static final int CT_DIRECTION = 1;
    public static final int CT_STATUS = 2;
    public static final int CT_HELPER = 6;

    // Conntrack state bits (NF_CT_STATE_* as nft matches them).
    public static final int CT_STATE_INVALID = 1;
    public static final int CT_STATE_ESTABLISHED = 2;
    public static final int CT_STATE_RELATED = 4;
    public static final int CT_STATE_NEW = 8;
    public static final int CT_STATE_UNTRACKED = 64;

    // Set flags.
    public static final int SET_ANONYMOUS = 0x1;
    public static final int SET_CONSTANT = 0x2;
    public static final int SET_INTERVAL = 0x4;
    public static final int SET_MAP = 0x8;
    public static final int SET_TIMEOUT = 0x10;
    public static final int SET_EVAL = 0x20;
    public static final int SET_OBJECT = 0x40;
    public static final int SET_CONCAT = 0x80;
    public static final int SET_ELEM_INTERVAL_END = 0x1;
    public static final int DATA_VERDICT = 0xffffff00;

    // Lookup, limit.
    public static final int LOOKUP_F_INV = 1;
    public static final int LIMIT_PKTS = 0;
    public static final int LIMIT_PKT_BYTES = 1;
    public static final int LIMIT_F_INV = 1;

    // Reject.
    public static final int REJECT_ICMP_UNREACH = 0;
    public static final int REJECT_TCP_RST = 1;
    public static final int REJECT_ICMPX_UNREACH = 2;
    public static final int REJECT_ICMPX_NO_ROUTE = 0;
    public static final int REJECT_ICMPX_PORT_UNREACH = 1;
    public static final int REJECT_ICMPX_HOST_UNREACH = 2;
    public static final int REJECT_ICMPX_ADMIN_PROHIBITED = 3;

    // NAT.
    public static final int NAT_SNAT = 0;
    public static final int NAT_DNAT = 1;

    // Stateful object types.
    public static final int OBJECT_COUNTER = 1;
    public static final int OBJECT_QUOTA = 2;
    public static final int OBJECT_CT_HELPER = 3;
    public static final int OBJECT_LIMIT = 4;
    public static final int OBJECT_CT_TIMEOUT = 7;

    // nft's set key data types (TYPE_* of nftables' datatype.h), stored in the set's key type.
    public static final int TYPE_VERDICT = 1;
    public static final int TYPE_IPADDR = 7;
    public static final int TYPE_IP6ADDR = 8;
    public static final int TYPE_INET_PROTOCOL = 12;
    public static final int TYPE_INET_SERVICE = 13;
    public static final int TYPE_IFNAME = 41;

    // Chain priorities nft names.
    public static final int PRIORITY_RAW = -300;
    public static final int PRIORITY_MANGLE = -150;
    public static final int PRIORITY_DSTNAT = -100;
    public static final int PRIORITY_FILTER = 0;
    public static final int PRIORITY_SRCNAT = 100;
}
