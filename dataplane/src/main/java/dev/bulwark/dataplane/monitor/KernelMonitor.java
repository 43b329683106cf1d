package dev.bulwark.dataplane.monitor;

import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.NftNotice;
import dev.bulwark.dataplane.route.Routes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's change notifications for one network namespace, as {@code ip monitor link address route} and
 * {@code nft monitor} show them: an rtnetlink socket joined to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
 * RTNLGRP_IPV4_ROUTE and RTNLGRP_IPV6_ROUTE, and a netfilter socket joined to NFNLGRP_NFTABLES, both opened inside
 * the namespace, plus a plain rtnetlink socket to name interface indexes the monitor has not seen yet.
 *
 * <p>Not thread-safe: one thread calls {@link #poll} (blocking up to its timeout) and then {@link #close}. The
 * sockets' receive queues are enlarged (4 MiB) so that a burst (a table replaced whole) does not overflow them; when
 * one does overflow anyway, {@link #poll} returns a {@link KernelChange.Overflowed}.
 */
public final class KernelMonitor implements AutoCloseable {

    public static final int RTNLGRP_LINK = 1;
    public static final int RTNLGRP_IPV4_IFADDR = 5;
    public static final int RTNLGRP_IPV4_ROUTE = 7;
    public static final int RTNLGRP_IPV6_IFADDR = 9;
    public static final int RTNLGRP_IPV6_ROUTE = 11;
    public static final int NFNLGRP_NFTABLES = 7;
    private static final long QUEUE_BYTES = 4L << 20;

    private final String where;
    private final NetlinkSocket rtnl;
    private final NetlinkSocket nfnl;
    private final NetlinkSocket lookup;
    private final Map<Integer, String> names = new HashMap<>();

    private KernelMonitor(String where, NetlinkSocket rtnl, NetlinkSocket nfnl, NetlinkSocket lookup) {
        this.where = where;
        this.rtnl = rtnl;
        this.nfnl = nfnl;
        this.lookup = lookup;
    }

    /**
     * Subscribes to the notifications of the namespace {@code /run/netns/NAME}, or of the current one when
     * {@code name} is null. Notifications are queued from here on; read them with {@link #poll}.
     */
    public static KernelMonitor open(String name) {
        NetNamespace ns = name == null ? NetNamespace.current() : NetNamespace.named(name);
        NetlinkSocket rtnl = null, nfnl = null, lookup = null;
        try {
            rtnl = ns.subscribe(NetlinkSocket.NETLINK_ROUTE, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                    RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE);
            nfnl = ns.subscribe(NetlinkSocket.NETLINK_NETFILTER, NFNLGRP_NFTABLES);
            lookup = ns.open(NetlinkSocket.NETLINK_ROUTE);
            rtnl.ensureBuffers(0, QUEUE_BYTES);
            nfnl.ensureBuffers(0, QUEUE_BYTES);
            KernelMonitor m = new KernelMonitor(ns.toString(), rtnl, nfnl, lookup);
            m.names.putAll(Links.indexNames(lookup)); // after subscribing: a link added in between is announced
            return m;
        } catch (RuntimeException e) {
            for (NetlinkSocket s : new NetlinkSocket[] {rtnl, nfnl, lookup}) {
                if (s != null) s.close();
            }
            throw e;
        } finally {
            ns.close(); // the sockets stay in the namespace they were opened in
        }
    }

    /** The namespace, for messages. */
    public String where() {
        return where;
    }

    /**
     * The changes announced since the last call, waiting up to {@code timeout} for the first; empty after a timeout.
     * Changes of one socket come in the kernel's order.
     */
    public List<KernelChange> poll(Duration timeout) {
        boolean[] ready = NetlinkSocket.awaitReadable(List.of(rtnl, nfnl), (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis())));
        List<KernelChange> out = new ArrayList<>();
        if (ready[0]) {
            List<NetlinkMessage> msgs = rtnl.drain();
            if (rtnl.takeOverflow()) out.add(new KernelChange.Overflowed("rtnetlink"));
            for (NetlinkMessage m : msgs) {
                KernelChange c = rtnetlink(m);
                if (c != null) out.add(c);
            }
        }
        if (ready[1]) {
            List<NetlinkMessage> msgs = nfnl.drain();
            if (nfnl.takeOverflow()) out.add(new KernelChange.Overflowed("nftables"));
            for (NetlinkMessage m : msgs) {
                NftNotice n = NftNotice.parse(m);
                if (n != null) out.add(new KernelChange.NftChanged(n, m.pid()));
            }
        }
        return out;
    }

    private KernelChange rtnetlink(NetlinkMessage m) {
        Links.Notice link = Links.notice(m, names);
        if (link != null) {
            String before = link.removed() ? names.remove(link.index()) : names.put(link.index(), link.link().name());
            String former = before != null && !before.equals(link.link().name()) ? before : null;
            return new KernelChange.LinkChanged(link.removed(), link.link(), former, m.pid());
        }
        Addresses.Notice address = Addresses.notice(m, this::name);
        if (address != null) return new KernelChange.AddressChanged(address.removed(), address.address(), m.pid());
        Routes.Notice route = Routes.notice(m, this::name);
        if (route != null) return new KernelChange.RouteChanged(route.removed(), route.route(), m.pid());
        return null;
    }

    /** The name of an interface index; asks the kernel when the index is new (null when it is gone again). */
    private String name(int index) {
        String n = names.get(index);
        if (n == null) {
            try {
                names.putAll(Links.indexNames(lookup));
            } catch (RuntimeException e) {
                return null;
            }
            n = names.get(index);
        }
        return n;
    }

    @Override
    public void close() {
        try {
            rtnl.close();
        } finally {
            try {
                nfnl.close();
            } finally {
                lookup.close();
            }
        }
    }
}
