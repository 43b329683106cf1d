package dev.bulwark.dataplane.conntrack;

import dev.bulwark.dataplane.netlink.Attributes;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.netlink.MessageBuilder;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

/**
 * The ctnetlink wire encoding of {@link ConntrackEntry} (linux {@code include/uapi/linux/netfilter/nfnetlink_conntrack.h}).
 * Every message is a netlink header, a {@code struct nfgenmsg} (u8 family, u8 version, be16 res_id) and attributes.
 * Integers are in network byte order (be16/be32/be64) except CTA_PROTO_NUM, the ICMP type/code and the TCP state
 * (u8); addresses are their 4 or 16 raw bytes. Nesting of an entry:
 *
 * <pre>
 * CTA_TUPLE_ORIG / CTA_TUPLE_REPLY
 *     CTA_TUPLE_IP      { CTA_IP_V4_SRC, CTA_IP_V4_DST | CTA_IP_V6_SRC, CTA_IP_V6_DST }
 *     CTA_TUPLE_PROTO   { CTA_PROTO_NUM, CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT
 *                         | CTA_PROTO_ICMP[V6]_ID, _TYPE, _CODE }
 * CTA_STATUS be32, CTA_TIMEOUT be32, CTA_MARK be32, CTA_ID be32, CTA_ZONE be16 (non-default zones only)
 * CTA_PROTOINFO { CTA_PROTOINFO_TCP { CTA_PROTOINFO_TCP_STATE u8, ... } }
 * CTA_COUNTERS_ORIG / CTA_COUNTERS_REPLY { CTA_COUNTERS_PACKETS be64, CTA_COUNTERS_BYTES be64 }  (accounting on)
 * CTA_HELP { CTA_HELP_NAME string }
 * </pre>
 *
 * <p>A dump (IPCTNL_MSG_CT_GET with NLM_F_DUMP) answers with IPCTNL_MSG_CT_NEW messages (type 0x100, NLM_F_MULTI),
 * and sets NLM_F_DUMP_FILTERED (0x20) when the nfgenmsg named a family, which the kernel then dumps alone.
 * IPCTNL_MSG_CT_DELETE with a tuple deletes that entry (ENOENT when absent or, with CTA_ID, when the id differs);
 * without a tuple, and nfgenmsg version 0, it flushes the namespace's whole table.
 */
final class CtnlMessages {
    private CtnlMessages() {
    }

    static final int NFNL_SUBSYS_CTNETLINK = 1;
    static final int IPCTNL_MSG_CT_NEW = 0;
    static final int IPCTNL_MSG_CT_GET = 1;
    static final int IPCTNL_MSG_CT_DELETE = 2;
    static final int IPCTNL_MSG_CT_GET_STATS = 5;
    static final int NFGENMSG = 4;
    static final int NFNETLINK_V0 = 0;

    static final int CTA_TUPLE_ORIG = 1;
    static final int CTA_TUPLE_REPLY = 2;
    static final int CTA_STATUS = 3;
    static final int CTA_PROTOINFO = 4;
    static final int CTA_HELP = 5;
    static final int CTA_TIMEOUT = 7;
    static final int CTA_MARK = 8;
    static final int CTA_COUNTERS_ORIG = 9;
    static final int CTA_COUNTERS_REPLY = 10;
    static final int CTA_ID = 12;
    static final int CTA_ZONE = 18;

    static final int CTA_TUPLE_IP = 1;
    static final int CTA_TUPLE_PROTO = 2;

    static final int CTA_IP_V4_SRC = 1;
    static final int CTA_IP_V4_DST = 2;
    static final int CTA_IP_V6_SRC = 3;
    static final int CTA_IP_V6_DST = 4;

    static final int CTA_PROTO_NUM = 1;
    static final int CTA_PROTO_SRC_PORT = 2;
    static final int CTA_PROTO_DST_PORT = 3;
    static final int CTA_PROTO_ICMP_ID = 4;
    static final int CTA_PROTO_ICMP_TYPE = 5;
    static final int CTA_PROTO_ICMP_CODE = 6;
    static final int CTA_PROTO_ICMPV6_ID = 7;
    static final int CTA_PROTO_ICMPV6_TYPE = 8;
    static final int CTA_PROTO_ICMPV6_CODE = 9;

    static final int CTA_PROTOINFO_TCP = 1;
    static final int CTA_PROTOINFO_TCP_STATE = 1;

    static final int CTA_COUNTERS_PACKETS = 1;
    static final int CTA_COUNTERS_BYTES = 2;

    static final int CTA_HELP_NAME = 1;

    static final int CTA_STATS_GLOBAL_ENTRIES = 1;

    /** {@code enum tcp_conntrack}, as the kernel names the states (value 9 is SYN_SENT2, once LISTEN). */
    private static final String[] TCP_STATES = {"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
            "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2"};

    /** The netlink message type of a ctnetlink message: subsystem in the high byte. */
    static int type(int msg) {
        return (NFNL_SUBSYS_CTNETLINK << 8) | msg;
    }

    /** Writes the nfgenmsg: {@code family}, version 0, res_id 0. */
    static void nfgenmsg(MessageBuilder m, int family) {
        MemorySegment h = m.familyHeader(NFGENMSG);
        h.set(ValueLayout.JAVA_BYTE, 0, (byte) family);
        h.set(ValueLayout.JAVA_BYTE, 1, (byte) NFNETLINK_V0);
    }

    /** The entry of one dumped message (IPCTNL_MSG_CT_NEW or _GET); null for other messages and other families. */
    static ConntrackEntry parse(NetlinkMessage msg) {
        if (msg.type() != type(IPCTNL_MSG_CT_NEW) && msg.type() != type(IPCTNL_MSG_CT_GET)) return null;
        MemorySegment p = msg.payload();
        if (p.byteSize() < NFGENMSG) return null;
        int family = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, 0));
        if (family != Inet.AF_INET && family != Inet.AF_INET6) return null;
        Attributes a = Attributes.parse(p, NFGENMSG);
        Attributes origProto = a.nested(CTA_TUPLE_ORIG).nested(CTA_TUPLE_PROTO);
        int protocol = origProto.u8(CTA_PROTO_NUM, -1);
        if (protocol < 0) return null;
        ConntrackEntry.Tuple original = tuple(a.nested(CTA_TUPLE_ORIG), family);
        ConntrackEntry.Tuple reply = tuple(a.nested(CTA_TUPLE_REPLY), family);
        if (original == null || reply == null) return null;
        String tcpState = null;
        if (protocol == ConntrackEntry.TCP) {
            int st = a.nested(CTA_PROTOINFO).nested(CTA_PROTOINFO_TCP).u8(CTA_PROTOINFO_TCP_STATE, -1);
            tcpState = st < 0 ? null : st < TCP_STATES.length ? TCP_STATES[st] : "STATE_" + st;
        }
        ConntrackEntry.Counters counters = null;
        if (a.has(CTA_COUNTERS_ORIG) || a.has(CTA_COUNTERS_REPLY)) {
            Attributes co = a.nested(CTA_COUNTERS_ORIG);
            Attributes cr = a.nested(CTA_COUNTERS_REPLY);
            counters = new ConntrackEntry.Counters(co.be64(CTA_COUNTERS_PACKETS, 0), co.be64(CTA_COUNTERS_BYTES, 0),
                    cr.be64(CTA_COUNTERS_PACKETS, 0), cr.be64(CTA_COUNTERS_BYTES, 0));
        }
        String helper = a.has(CTA_HELP) ? a.nested(CTA_HELP).string(CTA_HELP_NAME) : null;
        return new ConntrackEntry(family, protocol, original, reply, tcpState,
                Integer.toUnsignedLong(a.be32(CTA_TIMEOUT, 0)), Integer.toUnsignedLong(a.be32(CTA_MARK, 0)),
                ConntrackEntry.Status.of(a.be32(CTA_STATUS, 0)), a.be16(CTA_ZONE, 0), counters, helper,
                Integer.toUnsignedLong(a.be32(CTA_ID, 0)));
    }

    private static ConntrackEntry.Tuple tuple(Attributes t, int family) {
        Attributes ip = t.nested(CTA_TUPLE_IP);
        byte[] src = ip.bytes(family == Inet.AF_INET ? CTA_IP_V4_SRC : CTA_IP_V6_SRC);
        byte[] dst = ip.bytes(family == Inet.AF_INET ? CTA_IP_V4_DST : CTA_IP_V6_DST);
        int len = family == Inet.AF_INET ? 4 : 16;
        if (src == null || dst == null || src.length != len || dst.length != len) return null;
        Attributes p = t.nested(CTA_TUPLE_PROTO);
        int sport = p.has(CTA_PROTO_SRC_PORT) ? p.be16(CTA_PROTO_SRC_PORT, 0) : -1;
        int dport = p.has(CTA_PROTO_DST_PORT) ? p.be16(CTA_PROTO_DST_PORT, 0) : -1;
        boolean v6 = p.has(CTA_PROTO_ICMPV6_TYPE);
        int type = p.u8(v6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE, -1);
        int code = p.u8(v6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE, -1);
        int id = p.has(v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID) ? p.be16(v6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID, 0) : -1;
        if (type < 0) { // ICMP keys come as a set of three
            code = -1;
            id = -1;
        } else {
            if (code < 0) code = 0;
            if (id < 0) id = 0;
        }
        if (sport < 0 || dport < 0) {
            sport = -1;
            dport = -1;
        }
        return new ConntrackEntry.Tuple(Inet.fromBytes(src), Inet.fromBytes(dst), sport, dport, type, code, id);
    }

    /**
     * The attributes that name one entry for IPCTNL_MSG_CT_DELETE: its original tuple (all keys it was dumped
     * with), its zone when not the default, and its id, so that a newer entry that reuses the tuple is left alone
     * (the kernel answers ENOENT when the id differs). The nfgenmsg carries the entry's family.
     */
    static void putIdentity(MessageBuilder m, ConntrackEntry e) {
        nfgenmsg(m, e.family());
        MemorySegment orig = m.nestStart(CTA_TUPLE_ORIG);
        putTuple(m, e.family(), e.protocol(), e.original());
        m.nestEnd(orig);
        if (e.zone() != 0) m.putBe16(CTA_ZONE, e.zone());
        m.putBe32(CTA_ID, (int) e.id());
    }

    private static void putTuple(MessageBuilder m, int family, int protocol, ConntrackEntry.Tuple t) {
        MemorySegment ip = m.nestStart(CTA_TUPLE_IP);
        boolean v4 = family == Inet.AF_INET;
        m.putBytes(v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, bytes(t.source(), v4));
        m.putBytes(v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, bytes(t.destination(), v4));
        m.nestEnd(ip);
        MemorySegment proto = m.nestStart(CTA_TUPLE_PROTO);
        m.putU8(CTA_PROTO_NUM, protocol);
        if (t.hasPorts()) {
            m.putBe16(CTA_PROTO_SRC_PORT, t.sourcePort());
            m.putBe16(CTA_PROTO_DST_PORT, t.destinationPort());
        }
        if (t.isIcmp()) {
            boolean icmp6 = protocol == ConntrackEntry.ICMPV6;
            m.putBe16(icmp6 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID, t.icmpId());
            m.putU8(icmp6 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE, t.icmpType());
            m.putU8(icmp6 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE, t.icmpCode());
        }
        m.nestEnd(proto);
    }

    private static byte[] bytes(InetAddress a, boolean v4) {
        byte[] b = a.getAddress();
        if (b.length != (v4 ? 4 : 16)) throw new IllegalArgumentException(a + " is not an " + (v4 ? "IPv4" : "IPv6") + " address");
        return b;
    }
}
