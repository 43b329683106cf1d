package dev.bulwark.dataplane.monitor;

import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.NftReader;
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
 * <p>Not thread-safe: one thread calls {@link #poll} (blocking up to its timeout) and then {@link #close}; only
 * {@link #pauseNftables} and {@link #resumeNftables} may be called from another thread meanwhile. The
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
    /** A plain netfilter socket in the namespace, for the ruleset generation around a pause. */
    private final NetlinkSocket nfQuery;
    private final Map<Integer, String> names = new HashMap<>();
    private final Object pauseLock = new Object();
    /** The ruleset generation when nftables notifications were paused, or null when they are not. */
    private Integer pausedAt;
    /** The nftables ruleset changed during a pause by more than the caller's own commits: report it at the next poll. */
    private volatile boolean missedNft;

    private KernelMonitor(String where, NetlinkSocket rtnl, NetlinkSocket nfnl, NetlinkSocket lookup, NetlinkSocket nfQuery) {
        this.where = where;
        this.rtnl = rtnl;
        this.nfnl = nfnl;
        this.lookup = lookup;
        this.nfQuery = nfQuery;
    }

    /**
     * Stops listening to nftables notifications until {@link #resumeNftables}, to be called around a large change of
     * our own (a full apply). The kernel looks for listeners of the nftables group on the whole machine and, while
     * there is one, builds a notification for every rule, object and set element a batch adds: with this monitor
     * listening, a full apply of 10,000 rules and 200,000 elements spends about four times as long in the kernel, and
     * the notifications overflow this monitor's queue anyway. Changes by others meanwhile are not lost: the ruleset
     * generation is compared on resuming. Call from any thread; pausing twice is one pause.
     */
    public void pauseNftables() {
        synchronized (pauseLock) {
            if (pausedAt != null) return;
            int generation = NftReader.generation(nfQuery); // before leaving: a change in between is still announced
            nfnl.leaveGroup(NFNLGRP_NFTABLES);
            pausedAt = generation;
        }
    }

    /**
     * Listens to nftables notifications again after {@link #pauseNftables}. {@code ownCommits} is the number of
     * batches the caller committed during the pause (1 after an apply, 0 when it sent nothing or its batch failed):
     * when the ruleset generation moved by anything else, the next {@link #poll} reports a
     * {@link KernelChange.Overflowed} for nftables (what changed is unknown, as after a queue overflow).
     */
    public void resumeNftables(int ownCommits) {
        synchronized (pauseLock) {
            if (pausedAt == null) return;
            nfnl.joinGroup(NFNLGRP_NFTABLES); // before reading: a change from here on is announced as usual
            int expected = pausedAt;
            for (int i = 0; i < ownCommits; i++) expected = expected + 1 == 0 ? 1 : expected + 1; // the kernel skips 0
            pausedAt = null;
            if (NftReader.generation(nfQuery) != expected) missedNft = true;
        }
    }

    /**
     * Subscribes to the notifications of the namespace {@code /run/netns/NAME}, or of the current one when
     * {@code name} is null. Notifications are queued from here on; read them with {@link #poll}.
     */
    public static KernelMonitor open(String name) {
        NetNamespace ns = name == null ? NetNamespace.current() : NetNamespace.named(name);
        NetlinkSocket rtnl = null, nfnl = null, lookup = null, nfQuery = null;
        try {
            rtnl = ns.subscribe(NetlinkSocket.NETLINK_ROUTE, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
                    RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE);
            nfnl = ns.subscribe(NetlinkSocket.NETLINK_NETFILTER, NFNLGRP_NFTABLES);
            lookup = ns.open(NetlinkSocket.NETLINK_ROUTE);
            nfQuery = ns.open(NetlinkSocket.NETLINK_NETFILTER);
            rtnl.ensureBuffers(0, QUEUE_BYTES);
            nfnl.ensureBuffers(0, QUEUE_BYTES);
            KernelMonitor m = new KernelMonitor(ns.toString(), rtnl, nfnl, lookup, nfQuery);
            m.names.putAll(Links.indexNames(lookup)); // after subscribing: a link added in between is announced
            return m;
        } catch (RuntimeException e) {
            for (NetlinkSocket s : new NetlinkSocket[] {rtnl, nfnl, lookup, nfQuery}) {
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
        if (missedNft) {
            missedNft = false;
            out.add(new KernelChange.Overflowed("nftables"));
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
                try {
                    lookup.close();
                } finally {
                    nfQuery.close();
                }
            }
        }
    }
}
