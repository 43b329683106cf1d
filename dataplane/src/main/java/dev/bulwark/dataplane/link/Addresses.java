package dev.bulwark.dataplane.link;

import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_ACK;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_CREATE;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_DUMP;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_EXCL;
import static dev.bulwark.dataplane.netlink.NetlinkSocket.NLM_F_REQUEST;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.netlink.Attributes;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.netlink.MessageBuilder;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * IP addresses over rtnetlink (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR, {@code struct ifaddrmsg}). Each change is one
 * request with NLM_F_ACK; errors are {@link dev.bulwark.dataplane.netlink.NetlinkException}s naming the equivalent
 * {@code ip} command.
 *
 * <p>IPv6 addresses are added with IFA_F_NODAD: they are the router's own, statically configured addresses, usable at
 * once (not "tentative" for a second or more), so that routes and listeners of the same apply can use them. The
 * price is that a duplicate on the link is not detected by the kernel.
 */
public final class Addresses {
    private Addresses() {
    }

    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int IFADDRMSG = 8;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_F_NODAD = 0x02;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int RT_SCOPE_HOST = 254;

    private static final int BUFFER = 256;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    /**
     * All addresses of the socket's namespace, both families, in the kernel's order, without the IPv6 link-local
     * addresses (fe80::/10) the kernel makes itself. {@code ip address show}
     */
    public static List<Address> read(NetlinkSocket socket) {
        Map<Integer, String> names = Links.indexNames(socket);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, socket.nextSeq())) {
            m.familyHeader(IFADDRMSG); // AF_UNSPEC: both families
            List<Address> out = new ArrayList<>();
            for (NetlinkMessage msg : m.send(socket, "ip address show")) {
                if (msg.type() != RTM_NEWADDR) continue;
                Address a = parse(msg, names::get);
                if (a != null) out.add(a);
            }
            return out;
        }
    }

    /** The address of an RTM_NEWADDR/RTM_DELADDR message; null for other families, IPv6 link-local, unknown devices. */
    private static Address parse(NetlinkMessage msg, IntFunction<String> names) {
        MemorySegment p = msg.payload();
        int family = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, 0));
        if (family != Inet.AF_INET && family != Inet.AF_INET6) return null;
        int prefixLength = Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, 1));
        Attributes a = Attributes.parse(p, IFADDRMSG);
        // IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links, and the only one
        // IPv6 sends otherwise.
        byte[] bytes = a.has(IFA_LOCAL) ? a.bytes(IFA_LOCAL) : a.bytes(IFA_ADDRESS);
        if (bytes == null) return null;
        if (family == Inet.AF_INET6 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xC0) == 0x80) return null;
        String device = names.apply(p.get(I32, 4));
        if (device == null) return null;
        return new Address(device, Inet.fromBytes(bytes), prefixLength);
    }

    /**
     * An address notification, as {@code ip monitor address} shows it.
     *
     * @param removed whether the address went (RTM_DELADDR) rather than appeared or changed (RTM_NEWADDR)
     * @param address the address, on its device
     */
    public record Notice(boolean removed, Address address) {
    }

    /**
     * The address of an RTM_NEWADDR or RTM_DELADDR message (as the kernel sends them to the RTNLGRP_IPV4_IFADDR and
     * RTNLGRP_IPV6_IFADDR groups), its device named with {@code names}; null for any other message, for the IPv6
     * link-local addresses the kernel makes itself, and for a device {@code names} does not know.
     */
    public static Notice notice(NetlinkMessage msg, IntFunction<String> names) {
        if (msg.type() != RTM_NEWADDR && msg.type() != RTM_DELADDR) return null;
        Address a = parse(msg, names);
        return a == null ? null : new Notice(msg.type() == RTM_DELADDR, a);
    }

    /** Adds the address (IPv6 with IFA_F_NODAD). {@code ip address add ADDR/LEN dev DEV [nodad]} */
    public static void add(NetlinkSocket socket, Address address) {
        String op = addCommand(address);
        int index = Links.index(socket, address.device(), op);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, socket.nextSeq())) {
            header(m, address, index, address.family() == Inet.AF_INET6 ? IFA_F_NODAD : 0);
            byte[] b = address.address().getAddress();
            m.putBytes(IFA_LOCAL, b);
            m.putBytes(IFA_ADDRESS, b);
            m.send(socket, op);
        }
    }

    static String addCommand(Address a) {
        return "ip address add " + a + (a.family() == Inet.AF_INET6 ? " nodad" : "");
    }

    /** Removes the address. {@code ip address del ADDR/LEN dev DEV} */
    public static void delete(NetlinkSocket socket, Address address) {
        String op = "ip address del " + address;
        int index = Links.index(socket, address.device(), op);
        try (MessageBuilder m = new MessageBuilder(BUFFER, RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, socket.nextSeq())) {
            header(m, address, index, 0);
            m.putBytes(IFA_LOCAL, address.address().getAddress());
            m.send(socket, op);
        }
    }

    private static void header(MessageBuilder m, Address a, int index, int flags) {
        MemorySegment h = m.familyHeader(IFADDRMSG);
        h.set(ValueLayout.JAVA_BYTE, 0, (byte) a.family());
        h.set(ValueLayout.JAVA_BYTE, 1, (byte) a.prefixLength());
        h.set(ValueLayout.JAVA_BYTE, 2, (byte) flags);
        // As ip does: 127.0.0.0/8 gets host scope, everything else universe (the kernel derives IPv6 scopes itself).
        boolean loopback = a.family() == Inet.AF_INET && (a.address().getAddress()[0] & 0xFF) == 127;
        h.set(ValueLayout.JAVA_BYTE, 3, (byte) (loopback ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE));
        h.set(I32, 4, index);
    }

    /** {@link #add} as an operation. */
    public record Add(Address address) implements Operation {
        public Add {
            Objects.requireNonNull(address);
        }

        @Override
        public String command() {
            return addCommand(address);
        }

        @Override
        public void apply(NetlinkSocket socket) {
            add(socket, address);
        }
    }

    /** {@link #delete} as an operation. */
    public record Delete(Address address) implements Operation {
        public Delete {
            Objects.requireNonNull(address);
        }

        @Override
        public String command() {
            return "ip address del " + address;
        }

        @Override
        public void apply(NetlinkSocket socket) {
            delete(socket, address);
        }
    }
}
