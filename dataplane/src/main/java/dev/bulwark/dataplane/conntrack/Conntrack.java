package dev.bulwark.dataplane.conntrack;

import static dev.bulwark.dataplane.conntrack.CtnlMessages.CTA_STATS_GLOBAL_ENTRIES;
import static dev.bulwark.dataplane.conntrack.CtnlMessages.IPCTNL_MSG_CT_DELETE;
import static dev.bulwark.dataplane.conntrack.CtnlMessages.IPCTNL_MSG_CT_GET;
import static dev.bulwark.dataplane.conntrack.CtnlMessages.IPCTNL_MSG_CT_GET_STATS;
import static dev.bulwark.dataplane.conntrack.CtnlMessages.NFGENMSG;
import static dev.bulwark.dataplane.conntrack.CtnlMessages.type;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_ACK;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_DUMP;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_REQUEST;

import dev.bulwark.dataplane.netlink.Attributes;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.netlink.MessageBuilder;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import java.util.function.Consumer;

/**
 * The connection tracking table of a namespace over ctnetlink (NETLINK_NETFILTER, subsystem NFNL_SUBSYS_CTNETLINK):
 * list, count and delete entries. Every call takes a {@link NetlinkSocket} opened on
 * {@link NetlinkSocket#NETLINK_NETFILTER} in the namespace whose table it reads; each namespace has its own entries.
 *
 * <p>Reads stream: entries are parsed and handed on while the dump is read, one datagram at a time, so a table of a
 * million entries never sits in memory. Errors are {@link NetlinkException}s naming the equivalent {@code conntrack}
 * command. Entries exist only once conntrack is active in the namespace (a ruleset with a {@code ct} expression or
 * NAT); before that the table is empty.
 */
public final class Conntrack {
    private Conntrack() {
    }

    static final int ENOENT = 2;

    /**
     * Receive buffer for a filtered flush. Deletes go out while the dump is read, and each answer (an ACK) takes
     * about 1 KiB of socket memory until it is read. The kernel adds a dump datagram (up to 32 KiB, some hundred
     * entries) whenever the queue is under half the buffer, so the queue can hold half a buffer of dump plus one
     * datagram's worth of answers; past the buffer the kernel drops answers (ENOBUFS). The default 208 KiB is too
     * small for that (measured: 5,000 UDP entries fail); 4 MiB leaves a wide margin. Forcing the size needs
     * CAP_NET_ADMIN, which deleting conntrack entries needs anyway.
     */
    static final int FLUSH_RECEIVE_BUFFER = 4 << 20;

    /**
     * Streams the entries that match {@code filter} to {@code each}, both families, in the kernel's (hash) order, as
     * they are read; nothing is collected. Only the filter's address family narrows the dump in the kernel; the
     * other criteria are applied here (see {@link ConntrackFilter}). Entries that change while the dump runs may be
     * seen in either state, and an entry may be missed or seen twice when the table changes under the dump (as with
     * {@code conntrack -L}). {@code conntrack -L [-f ipv4|ipv6] -o extended,id}
     */
    public static void list(NetlinkSocket socket, ConntrackFilter filter, Consumer<ConntrackEntry> each) {
        try (MessageBuilder m = new MessageBuilder(64, type(IPCTNL_MSG_CT_GET), NLM_F_REQUEST | NLM_F_DUMP, socket.nextSeq())) {
            CtnlMessages.nfgenmsg(m, filter.family());
            m.stream(socket, command("conntrack -L", filter), msg -> {
                ConntrackEntry e = CtnlMessages.parse(msg);
                if (e != null && filter.test(e)) each.accept(e);
            });
        }
    }

    /**
     * The number of entries in the namespace's table, from the kernel's own counter (no dump; it may include an entry
     * or two not yet confirmed, which a dump would not show). {@code conntrack -C}
     */
    public static long count(NetlinkSocket socket) {
        try (MessageBuilder m = new MessageBuilder(64, type(IPCTNL_MSG_CT_GET_STATS), NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq())) {
            CtnlMessages.nfgenmsg(m, Inet.AF_UNSPEC);
            for (NetlinkMessage msg : m.query(socket, "conntrack -C")) {
                if (msg.type() != type(IPCTNL_MSG_CT_GET_STATS)) continue;
                Attributes a = Attributes.parse(msg.payload(), NFGENMSG);
                if (a.has(CTA_STATS_GLOBAL_ENTRIES)) return Integer.toUnsignedLong(a.be32(CTA_STATS_GLOBAL_ENTRIES, 0));
            }
        }
        throw new NetlinkException("conntrack -C (the kernel's answer has no entry count)", 71, null);
    }

    /** The number of entries that match {@code filter}, counted while streaming the dump. {@code conntrack -L ... | wc -l} */
    public static long count(NetlinkSocket socket, ConntrackFilter filter) {
        long[] n = {0};
        list(socket, filter, e -> n[0]++);
        return n[0];
    }

    /**
     * Deletes the entries that match {@code filter} and returns how many went.
     *
     * <p>{@link ConntrackFilter#ALL}: one IPCTNL_MSG_CT_DELETE without a tuple, which the kernel takes as "flush the
     * table" (both families). The kernel does not say how many it removed; the count returned is the drop of its entry
     * counter across the flush, which connections opened meanwhile can make smaller. {@code conntrack -F}
     *
     * <p>Any other filter: the dump is streamed and each matching entry deleted by its original tuple, zone and id
     * while the dump is read (same socket, answers interleaved, see {@link NetlinkSocket#sendDuringStream}). An
     * entry that is gone by the time its delete arrives (expired, or closed; ENOENT) is not counted and not an error;
     * so is one whose tuple was meanwhile reused by a newer entry (its id differs). Any other refusal fails the call
     * after the dump, naming the entry. {@code conntrack -D [-p P] [-s A | -d A] [--sport N | --dport N]} for each
     * side, as the CLI's options match one tuple field at a time.
     */
    public static long flush(NetlinkSocket socket, ConntrackFilter filter) {
        if (filter.isAll()) {
            long before = count(socket);
            try (MessageBuilder m = new MessageBuilder(64, type(IPCTNL_MSG_CT_DELETE), NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq())) {
                // Version 0 with no tuple: the kernel flushes every family, whatever nfgen_family says.
                CtnlMessages.nfgenmsg(m, Inet.AF_UNSPEC);
                m.send(socket, "conntrack -F");
            }
            return Math.max(0, before - count(socket));
        }
        socket.ensureBuffers(0, FLUSH_RECEIVE_BUFFER);
        long[] deleted = {0};
        NetlinkException[] refused = {null};
        try (MessageBuilder m = new MessageBuilder(64, type(IPCTNL_MSG_CT_GET), NLM_F_REQUEST | NLM_F_DUMP, socket.nextSeq())) {
            CtnlMessages.nfgenmsg(m, filter.family());
            m.stream(socket, command("conntrack -D", filter), msg -> {
                ConntrackEntry e = CtnlMessages.parse(msg);
                if (e == null || !filter.test(e)) return;
                try (MessageBuilder d = deleteMessage(socket, e)) {
                    d.sendDuringStream(socket, "conntrack -D", errno -> {
                        if (errno == 0) deleted[0]++;
                        else if (errno != ENOENT && refused[0] == null) refused[0] = new NetlinkException(deleteCommand(e), errno, null);
                    });
                }
            });
        }
        if (refused[0] != null) {
            throw new NetlinkException(refused[0].operation() + " (flush " + filter + ": " + deleted[0] + " deleted before)",
                    refused[0].errno(), null);
        }
        return deleted[0];
    }

    /**
     * Deletes one entry by its original tuple, zone and id; false when it no longer exists (or its tuple now belongs
     * to a newer entry). {@code conntrack -D -f F -p P -s A -d B --sport N --dport M [-w ZONE]}
     */
    public static boolean delete(NetlinkSocket socket, ConntrackEntry entry) {
        try (MessageBuilder d = deleteMessage(socket, entry)) {
            d.send(socket, deleteCommand(entry));
            return true;
        } catch (NetlinkException ex) {
            if (ex.errno() == ENOENT) return false;
            throw ex;
        }
    }

    private static MessageBuilder deleteMessage(NetlinkSocket socket, ConntrackEntry e) {
        MessageBuilder d = new MessageBuilder(256, type(IPCTNL_MSG_CT_DELETE), NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq());
        try {
            CtnlMessages.putIdentity(d, e);
        } catch (RuntimeException ex) {
            d.close();
            throw ex;
        }
        return d;
    }

    /** The {@code conntrack -D} command that deletes the entry (its original tuple). */
    static String deleteCommand(ConntrackEntry e) {
        ConntrackEntry.Tuple t = e.original();
        StringBuilder sb = new StringBuilder("conntrack -D -f ").append(e.familyName()).append(" -p ")
                .append(e.protocolName().equals("unknown") ? Integer.toString(e.protocol()) : e.protocolName())
                .append(" -s ").append(Inet.text(t.source())).append(" -d ").append(Inet.text(t.destination()));
        if (t.hasPorts()) sb.append(" --sport ").append(t.sourcePort()).append(" --dport ").append(t.destinationPort());
        if (t.isIcmp()) {
            String o = e.protocol() == ConntrackEntry.ICMPV6 ? " --icmpv6" : " --icmp";
            sb.append(o).append("-type ").append(t.icmpType()).append(o).append("-code ").append(t.icmpCode())
                    .append(o).append("-id ").append(t.icmpId());
        }
        if (e.zone() != 0) sb.append(" -w ").append(e.zone());
        return sb.toString();
    }

    private static String command(String cmd, ConntrackFilter filter) {
        if (filter.isAll()) return cmd;
        String family = filter.family() == Inet.AF_INET ? " -f ipv4" : filter.family() == Inet.AF_INET6 ? " -f ipv6" : "";
        return cmd + family + " (entries matching " + filter + ")";
    }
}
