package dev.bulwark.dataplane.link;

import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_ACK;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_CREATE;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_DUMP;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_EXCL;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_REQUEST;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.ffm.LibC;
import dev.bulwark.dataplane.netlink.Attributes;
import dev.bulwark.dataplane.netlink.MessageBuilder;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Links over rtnetlink (RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK, {@code struct ifinfomsg}): reading them into
 * {@link Link} values and changing them. Each change is one request with NLM_F_ACK that changes one thing (creation
 * included: the kernel undoes a creation whose configuration fails), so a refused request changed nothing. Errors are
 * {@link NetlinkException}s whose operation is the equivalent {@code ip} command. The nested records are the same
 * changes as {@link Operation}s for plans ({@link LinkState}).
 */
public final class Links {
    private Links() {
    }

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;

    static final int IFINFOMSG = 16;
    static final int IFF_UP = 0x1;

    static final int IFLA_IFNAME = 3;
    static final int IFLA_MTU = 4;
    static final int IFLA_LINK = 5;
    static final int IFLA_MASTER = 10;
    static final int IFLA_LINKINFO = 18;
    static final int IFLA_LINK_NETNSID = 37;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1;
    static final int IFLA_INFO_DATA = 2;
    static final int IFLA_VLAN_ID = 1;
    static final int VETH_INFO_PEER = 1;

    private static final int BUFFER = 512;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    private record Raw(int index, int flags, Attributes attrs) {
    }

    private static List<Raw> dump(NetlinkSocket socket) {
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, socket.nextSeq())) {
            m.familyHeader(IFINFOMSG);
            List<Raw> out = new ArrayList<>();
            for (NetlinkMessage msg : m.send(socket, "ip link show")) {
                if (msg.type() != RTM_NEWLINK) continue;
                MemorySegment p = msg.payload();
                out.add(new Raw(p.get(I32, 4), p.get(I32, 8), Attributes.parse(p, IFINFOMSG)));
            }
            return out;
        }
    }

    /** All links of the socket's namespace, in the kernel's (ifindex) order. {@code ip -d link show} */
    public static List<Link> read(NetlinkSocket socket) {
        List<Raw> raws = dump(socket);
        Map<Integer, String> names = new HashMap<>();
        for (Raw r : raws) names.put(r.index(), r.attrs().string(IFLA_IFNAME));
        List<Link> out = new ArrayList<>(raws.size());
        for (Raw r : raws) out.add(toLink(r, names));
        return out;
    }

    private static Link toLink(Raw r, Map<Integer, String> names) {
        Attributes a = r.attrs();
        Attributes info = a.nested(IFLA_LINKINFO);
        Link.Kind kind = Link.Kind.of(info.string(IFLA_INFO_KIND));
        boolean up = (r.flags() & IFF_UP) != 0;
        Integer mtu = a.has(IFLA_MTU) ? a.u32(IFLA_MTU, 0) : null;
        int masterIndex = a.u32(IFLA_MASTER, 0);
        String master = masterIndex == 0 ? null : names.get(masterIndex);
        // IFLA_LINK names an index of another namespace when IFLA_LINK_NETNSID is present: then we cannot name it.
        int linkIndex = a.u32(IFLA_LINK, 0);
        String linked = linkIndex == 0 || a.has(IFLA_LINK_NETNSID) ? null : names.get(linkIndex);
        String parent = null;
        Integer vlanId = null;
        String peer = null;
        if (kind == Link.Kind.VLAN) {
            parent = linked;
            vlanId = info.nested(IFLA_INFO_DATA).u16(IFLA_VLAN_ID, 0);
        } else if (kind == Link.Kind.VETH) {
            peer = linked;
        }
        return new Link(a.string(IFLA_IFNAME), kind, up, mtu, master, parent, vlanId, peer);
    }

    /**
     * A link notification, as {@code ip monitor link} shows it.
     *
     * @param removed whether the link went (RTM_DELLINK) rather than appeared or changed (RTM_NEWLINK)
     * @param index   its interface index
     * @param link    the link as the message describes it
     */
    public record Notice(boolean removed, int index, Link link) {
    }

    /**
     * The link of an RTM_NEWLINK or RTM_DELLINK message (as the kernel sends them to the RTNLGRP_LINK group), its
     * master and peer named with {@code names}; null for any other message.
     */
    public static Notice notice(NetlinkMessage msg, Map<Integer, String> names) {
        if (msg.type() != RTM_NEWLINK && msg.type() != RTM_DELLINK) return null;
        MemorySegment p = msg.payload();
        Raw r = new Raw(p.get(I32, 4), p.get(I32, 8), Attributes.parse(p, IFINFOMSG));
        if (r.attrs().string(IFLA_IFNAME) == null) return null;
        return new Notice(msg.type() == RTM_DELLINK, r.index(), toLink(r, names));
    }

    /** Interface index to name, for every link. {@code ip -o link show} */
    public static Map<Integer, String> indexNames(NetlinkSocket socket) {
        Map<Integer, String> names = new LinkedHashMap<>();
        for (Raw r : dump(socket)) names.put(r.index(), r.attrs().string(IFLA_IFNAME));
        return names;
    }

    /**
     * The interface index of {@code name} (RTM_GETLINK by IFLA_IFNAME), for a request that needs one; a missing
     * device fails as {@code operation} "(looking up device NAME)" with ENODEV.
     */
    public static int index(NetlinkSocket socket, String name, String operation) {
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq())) {
            m.familyHeader(IFINFOMSG);
            m.putString(IFLA_IFNAME, name);
            for (NetlinkMessage msg : m.send(socket, operation + " (looking up device " + name + ")")) {
                if (msg.type() == RTM_NEWLINK) return msg.payload().get(I32, 4);
            }
        }
        throw new NetlinkException(operation + " (looking up device " + name + ")", 19, null);
    }

    /** A link-change request addressed by name (ifi_index 0 with IFLA_IFNAME), as {@code ip link set} sends it. */
    private static MessageBuilder change(NetlinkSocket socket, String name, int type, int flags) {
        MessageBuilder m = new MessageBuilder(BUFFER, type, NLM_F_REQUEST | NLM_F_ACK | flags, socket.nextSeq());
        m.familyHeader(IFINFOMSG);
        m.putString(IFLA_IFNAME, name);
        return m;
    }

    /**
     * Moves a link into another network namespace: {@code ip link set NAME netns TARGET}. The link disappears from
     * this socket's namespace (and keeps its name, addresses are lost).
     */
    public static void moveToNamespace(NetlinkSocket socket, String name, String targetNamespace) {
        String op = "ip link set " + name + " netns " + targetNamespace;
        int index = index(socket, name, op);
        LibC.Result fd = LibC.open(NetNamespace.path(targetNamespace).toString(),
                LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd.failed()) throw new NetlinkException(op + " (open " + NetNamespace.path(targetNamespace) + ")", fd.errno(), null);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq())) {
            MemorySegment ifi = m.familyHeader(IFINFOMSG);
            ifi.set(I32, 4, index);
            m.putU32(IFLA_NET_NS_FD, fd.value());
            m.send(socket, op);
        } finally {
            LibC.close(fd.value());
        }
    }

    /**
     * Creates {@code link} with its MTU (when given), master and up state in one request (the kernel undoes the
     * creation if any of them fails). Fails with EEXIST when a link of that name exists.
     * {@code ip link add [link PARENT] name NAME [mtu N] [master M] [up] type KIND [id ID | peer name PEER]}
     */
    public static void create(NetlinkSocket socket, Link link) {
        String op = createCommand(link);
        if (!link.kind().creatable()) {
            throw new IllegalArgumentException(op + ": Bulwark creates only bridge, vlan, veth and dummy links, not " + link.kind());
        }
        if (link.kind() == Link.Kind.VLAN && link.parent() == null) throw new IllegalArgumentException(op + ": a VLAN needs a parent");
        if (link.kind() == Link.Kind.VETH && link.peer() == null) throw new IllegalArgumentException(op + ": a veth needs a peer name");
        int parentIndex = link.kind() == Link.Kind.VLAN ? index(socket, link.parent(), op) : 0;
        int masterIndex = link.master() == null ? 0 : index(socket, link.master(), op);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, socket.nextSeq())) {
            MemorySegment ifi = m.familyHeader(IFINFOMSG);
            if (link.up()) {
                ifi.set(I32, 8, IFF_UP);
                ifi.set(I32, 12, IFF_UP);
            }
            m.putString(IFLA_IFNAME, link.name());
            if (link.mtu() != null) m.putU32(IFLA_MTU, link.mtu());
            if (masterIndex != 0) m.putU32(IFLA_MASTER, masterIndex);
            if (parentIndex != 0) m.putU32(IFLA_LINK, parentIndex);
            MemorySegment linkinfo = m.nestStart(IFLA_LINKINFO);
            m.putString(IFLA_INFO_KIND, link.kind().rtnlKind());
            if (link.kind() == Link.Kind.VLAN) {
                MemorySegment data = m.nestStart(IFLA_INFO_DATA);
                m.putU16(IFLA_VLAN_ID, link.vlanId());
                m.nestEnd(data);
            } else if (link.kind() == Link.Kind.VETH) {
                MemorySegment data = m.nestStart(IFLA_INFO_DATA);
                MemorySegment peer = m.nestStart(VETH_INFO_PEER);
                m.reserve(IFINFOMSG); // the peer's own ifinfomsg, then its attributes
                m.putString(IFLA_IFNAME, link.peer());
                m.nestEnd(peer);
                m.nestEnd(data);
            }
            m.nestEnd(linkinfo);
            m.send(socket, op);
        }
    }

    static String createCommand(Link link) {
        StringBuilder sb = new StringBuilder("ip link add ");
        if (link.kind() == Link.Kind.VLAN) sb.append("link ").append(link.parent()).append(' ');
        sb.append("name ").append(link.name());
        if (link.mtu() != null) sb.append(" mtu ").append(link.mtu());
        if (link.master() != null) sb.append(" master ").append(link.master());
        if (link.up()) sb.append(" up");
        sb.append(" type ").append(link.kind().creatable() ? link.kind().rtnlKind() : link.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (link.kind() == Link.Kind.VLAN) sb.append(" id ").append(link.vlanId());
        if (link.kind() == Link.Kind.VETH) sb.append(" peer name ").append(link.peer());
        return sb.toString();
    }

    /** Deletes the link (for a veth, the pair; for a VLAN parent, its VLANs too). {@code ip link del NAME} */
    public static void delete(NetlinkSocket socket, String name) {
        try (MessageBuilder m = change(socket, name, RTM_DELLINK, 0)) {
            m.send(socket, "ip link del " + name);
        }
    }

    /** Sets the administrative state. {@code ip link set NAME up|down} */
    public static void setUp(NetlinkSocket socket, String name, boolean up) {
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq())) {
            MemorySegment ifi = m.familyHeader(IFINFOMSG);
            ifi.set(I32, 8, up ? IFF_UP : 0);
            ifi.set(I32, 12, IFF_UP);
            m.putString(IFLA_IFNAME, name);
            m.send(socket, "ip link set " + name + (up ? " up" : " down"));
        }
    }

    /** Sets the MTU. {@code ip link set NAME mtu MTU} */
    public static void setMtu(NetlinkSocket socket, String name, int mtu) {
        try (MessageBuilder m = change(socket, name, RTM_NEWLINK, 0)) {
            m.putU32(IFLA_MTU, mtu);
            m.send(socket, "ip link set " + name + " mtu " + mtu);
        }
    }

    /**
     * Makes the link a port of {@code master} (a bridge), or of none when {@code master} is null.
     * {@code ip link set NAME master MASTER} / {@code ip link set NAME nomaster}
     */
    public static void setMaster(NetlinkSocket socket, String name, String master) {
        String op = "ip link set " + name + (master == null ? " nomaster" : " master " + master);
        int masterIndex = master == null ? 0 : index(socket, master, op);
        try (MessageBuilder m = change(socket, name, RTM_NEWLINK, 0)) {
            m.putU32(IFLA_MASTER, masterIndex);
            m.send(socket, op);
        }
    }

    /** {@link #create} as an operation. */
    public record Create(Link link) implements Operation {
        public Create {
            Objects.requireNonNull(link);
        }

        @Override
        public String command() {
            return createCommand(link);
        }

        @Override
        public void apply(NetlinkSocket socket) {
            create(socket, link);
        }
    }

    /** {@link #delete} as an operation. */
    public record Delete(String name) implements Operation {
        public Delete {
            Link.checkName(name, "name");
        }

        @Override
        public String command() {
            return "ip link del " + name;
        }

        @Override
        public void apply(NetlinkSocket socket) {
            delete(socket, name);
        }
    }

    /** {@link #setUp} as an operation. */
    public record SetUp(String name, boolean up) implements Operation {
        public SetUp {
            Link.checkName(name, "name");
        }

        @Override
        public String command() {
            return "ip link set " + name + (up ? " up" : " down");
        }

        @Override
        public void apply(NetlinkSocket socket) {
            setUp(socket, name, up);
        }
    }

    /** {@link #setMtu} as an operation. */
    public record SetMtu(String name, int mtu) implements Operation {
        public SetMtu {
            Link.checkName(name, "name");
            if (mtu <= 0) throw new IllegalArgumentException(name + ": MTU must be positive, not " + mtu);
        }

        @Override
        public String command() {
            return "ip link set " + name + " mtu " + mtu;
        }

        @Override
        public void apply(NetlinkSocket socket) {
            setMtu(socket, name, mtu);
        }
    }

    /** {@link #setMaster} as an operation ({@code master} null: nomaster). */
    public record SetMaster(String name, String master) implements Operation {
        public SetMaster {
            Link.checkName(name, "name");
            if (master != null) Link.checkName(master, "master");
        }

        @Override
        public String command() {
            return "ip link set " + name + (master == null ? " nomaster" : " master " + master);
        }

        @Override
        public void apply(NetlinkSocket socket) {
            setMaster(socket, name, master);
        }
    }
}
