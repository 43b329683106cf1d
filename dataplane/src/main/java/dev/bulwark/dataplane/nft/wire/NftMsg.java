package dev.bulwark.dataplane.nft.wire;

/** nf_tables netlink message types and flags (linux/netfilter/nf_tables.h, nfnetlink.h, netlink.h). */
public final class NftMsg {
    private NftMsg() {
    }

    public static final int NEWTABLE = 0;
    public static final int GETTABLE = 1;
    public static final int DELTABLE = 2;
    public static final int NEWCHAIN = 3;
    public static final int GETCHAIN = 4;
    public static final int DELCHAIN = 5;
    public static final int NEWRULE = 6;
    public static final int GETRULE = 7;
    public static final int DELRULE = 8;
    public static final int NEWSET = 9;
    public static final int GETSET = 10;
    public static final int DELSET = 11;
    public static final int NEWSETELEM = 12;
    public static final int GETSETELEM = 13;
    public static final int DELSETELEM = 14;
    public static final int NEWGEN = 15;
    public static final int GETGEN = 16;
    public static final int NEWOBJ = 18;
    public static final int GETOBJ = 19;
    public static final int DELOBJ = 20;

    /** NFNL_SUBSYS_NFTABLES: the high byte of every nf_tables message type. */
    public static final int SUBSYS_NFTABLES = 10;
    /** NFNL_BATCH_GENID: the attribute of the batch BEGIN message that carries the expected generation. */
    public static final int NFNL_BATCH_GENID = 1;
    /** NLM_F_ECHO: the kernel sends the committed object back to us (how a new rule's handle is learned). */
    public static final int NLM_F_ECHO = 0x8;
    /** NFTA_RULE_HANDLE, in an echoed NEWRULE message. */
    public static final int NFTA_RULE_HANDLE = 3;
    /** NFTA_RULE_EXPRESSIONS / NFTA_LIST_ELEM / NFTA_EXPR_NAME: to find which expression the kernel refused. */
    public static final int NFTA_RULE_EXPRESSIONS = 4;
    public static final int NFTA_LIST_ELEM = 1;
    public static final int NFTA_EXPR_NAME = 1;
    /** NFTA_SET_ELEM_LIST_ELEMENTS: to find which element the kernel refused. */
    public static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    /** ERESTART: the batch's generation id is no longer current (someone else committed in between). */
    public static final int ERESTART = 85;

    /** The full nfnetlink message type of an nf_tables message. */
    public static int type(int msg) {
        return (SUBSYS_NFTABLES << 8) | msg;
    }
}
