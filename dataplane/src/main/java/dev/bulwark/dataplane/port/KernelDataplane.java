package dev.bulwark.dataplane.port;

import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.Table;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real {@link Dataplane}: an rtnetlink and a netfilter socket opened inside one network namespace (on the
 * namespace's own thread, by {@link NetNamespace}), shared by the ports, each opened from its {@link PortKind} on
 * first use.
 */
public final class KernelDataplane implements Dataplane, KernelContext {

    private final NetNamespace ns;
    private final NetlinkSocket rtnl;
    private final NetlinkSocket nfnl;
    private final Table table;
    private final Map<PortKind<?>, Object> ports = new ConcurrentHashMap<>();

    private KernelDataplane(NetNamespace ns, Table table) {
        this.ns = ns;
        NetlinkSocket r = null;
        try {
            r = ns.open(NetlinkSocket.NETLINK_ROUTE);
            this.nfnl = ns.open(NetlinkSocket.NETLINK_NETFILTER);
        } catch (RuntimeException e) {
            if (r != null) r.close();
            ns.close();
            throw e;
        }
        this.rtnl = r;
        this.table = table;
    }

    /** The namespace {@code /run/netns/NAME}, or the current one when {@code name} is null; our table {@code inet bulwark}. */
    public static KernelDataplane open(String name) {
        return open(name, Table.inet(Table.BULWARK));
    }

    public static KernelDataplane open(String name, Table table) {
        NetNamespace ns = name == null ? NetNamespace.current() : NetNamespace.named(name);
        return new KernelDataplane(ns, table);
    }

    @Override
    public String where() {
        return ns.toString();
    }

    @Override
    public <P> P port(PortKind<P> kind) {
        return kind.type().cast(ports.computeIfAbsent(kind, k -> k.kernel().apply(this)));
    }

    @Override
    public NetNamespace namespace() {
        return ns;
    }

    @Override
    public NetlinkSocket rtnetlink() {
        return rtnl;
    }

    @Override
    public NetlinkSocket netfilter() {
        return nfnl;
    }

    @Override
    public Table table() {
        return table;
    }

    /** The namespace's name, or null for the current namespace. */
    public String namespaceName() {
        return ns.name();
    }

    @Override
    public long changesSent() {
        return rtnl.changesSent() + nfnl.changesSent();
    }

    @Override
    public long messagesSent() {
        return rtnl.messagesSent() + nfnl.messagesSent();
    }

    @Override
    public NetlinkPorts netlinkPorts() {
        return new NetlinkPorts(Set.of(rtnl.portId()), Set.of(nfnl.portId()));
    }

    @Override
    public void close() {
        try {
            rtnl.close();
        } finally {
            try {
                nfnl.close();
            } finally {
                ns.close();
            }
        }
    }
}
