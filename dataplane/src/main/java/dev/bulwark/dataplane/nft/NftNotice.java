package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.netlink.Attributes;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.wire.NftMsg;
import java.lang.foreign.ValueLayout;

/**
 * One nf_tables notification, as {@code nft monitor} shows it (the kernel sends them to the NFNLGRP_NFTABLES group
 * of a NETLINK_NETFILTER socket): an object of a table added or deleted, or, at the end of every committed
 * transaction, NFT_MSG_NEWGEN with the new ruleset generation and the process that committed it.
 *
 * @param kind        what changed
 * @param removed     whether it was deleted (NFT_MSG_DEL*) rather than added or replaced (NFT_MSG_NEW*)
 * @param family      the table's family (NFPROTO_*), 0 for a generation
 * @param table       the table's name, null for a generation
 * @param generation  the generation a commit ended with ({@link Kind#GENERATION} only, else 0)
 * @param processId   the committing process ({@link Kind#GENERATION} only, else 0)
 * @param processName its name, e.g. {@code nft} ({@link Kind#GENERATION} only, else null)
 */
public record NftNotice(Kind kind, boolean removed, int family, String table, int generation, int processId, String processName) {

    /** The object kinds of nf_tables messages. */
    public enum Kind { TABLE, CHAIN, RULE, SET, ELEMENT, OBJECT, FLOWTABLE, GENERATION }

    private static final int NFGENMSG = 4;
    private static final int ATTR_TABLE = 1; // NFTA_{TABLE_NAME,CHAIN_TABLE,RULE_TABLE,SET_TABLE,SET_ELEM_LIST_TABLE,OBJ_TABLE,FLOWTABLE_TABLE}
    private static final int NFTA_GEN_ID = 1;
    private static final int NFTA_GEN_PROC_PID = 2;
    private static final int NFTA_GEN_PROC_NAME = 3;
    private static final int NEWFLOWTABLE = 22;
    private static final int DELFLOWTABLE = 24;
    private static final int DESTROYTABLE = 26;
    private static final int DESTROYFLOWTABLE = 32;

    /** The notification in an nf_tables message; null for any other message (or a kind Bulwark does not name). */
    public static NftNotice parse(NetlinkMessage m) {
        if ((m.type() >> 8) != NftMsg.SUBSYS_NFTABLES || m.payload().byteSize() < NFGENMSG) return null;
        int msg = m.type() & 0xFF;
        int family = Byte.toUnsignedInt(m.payload().get(ValueLayout.JAVA_BYTE, 0));
        Attributes a = Attributes.parse(m.payload(), NFGENMSG);
        if (msg == NftMsg.NEWGEN) {
            return new NftNotice(Kind.GENERATION, false, 0, null, a.be32(NFTA_GEN_ID, 0), a.be32(NFTA_GEN_PROC_PID, 0), a.string(NFTA_GEN_PROC_NAME));
        }
        if (msg >= DESTROYTABLE && msg <= DESTROYFLOWTABLE) {
            // NFT_MSG_DESTROY*: a delete that tolerates absence; the kernel notifies it like a delete
            msg = msg == DESTROYFLOWTABLE ? DELFLOWTABLE : new int[] {NftMsg.DELTABLE, NftMsg.DELCHAIN, NftMsg.DELRULE, NftMsg.DELSET,
                    NftMsg.DELSETELEM, NftMsg.DELOBJ}[msg - DESTROYTABLE];
        }
        Kind kind;
        boolean removed;
        switch (msg) {
            case NftMsg.NEWTABLE, NftMsg.DELTABLE -> kind = Kind.TABLE;
            case NftMsg.NEWCHAIN, NftMsg.DELCHAIN -> kind = Kind.CHAIN;
            case NftMsg.NEWRULE, NftMsg.DELRULE -> kind = Kind.RULE;
            case NftMsg.NEWSET, NftMsg.DELSET -> kind = Kind.SET;
            case NftMsg.NEWSETELEM, NftMsg.DELSETELEM -> kind = Kind.ELEMENT;
            case NftMsg.NEWOBJ, NftMsg.DELOBJ -> kind = Kind.OBJECT;
            case NEWFLOWTABLE, DELFLOWTABLE -> kind = Kind.FLOWTABLE;
            default -> {
                return null;
            }
        }
        removed = msg == NftMsg.DELTABLE || msg == NftMsg.DELCHAIN || msg == NftMsg.DELRULE || msg == NftMsg.DELSET
                || msg == NftMsg.DELSETELEM || msg == NftMsg.DELOBJ || msg == DELFLOWTABLE;
        return new NftNotice(kind, removed, family, a.string(ATTR_TABLE), 0, 0, null);
    }

    /** Whether this is about an object of {@code t} (a generation is about no table). */
    public boolean concerns(Table t) {
        return kind != Kind.GENERATION && family == t.family() && t.name().equals(table);
    }

    /** {@code delete rule (table inet bulwark)}, {@code new generation 42 by nft (pid 1234)}. */
    @Override
    public String toString() {
        if (kind == Kind.GENERATION) {
            return "new generation " + Integer.toUnsignedString(generation) + " by " + (processName == null ? "?" : processName)
                    + " (pid " + processId + ")";
        }
        String f = switch (family) {
            case Nft.NFPROTO_INET -> "inet";
            case Nft.NFPROTO_IPV4 -> "ip";
            case Nft.NFPROTO_IPV6 -> "ip6";
            case 0 -> "unspec";
            case 3 -> "arp";
            case 5 -> "netdev";
            case 7 -> "bridge";
            default -> "family " + family;
        };
        String what = kind == Kind.ELEMENT ? "set element(s)" : kind.name().toLowerCase(java.util.Locale.ROOT);
        return (removed ? "delete " : "add ") + what + " (table " + f + " " + table + ")";
    }
}
