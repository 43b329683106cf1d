package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.conntrack.Sysctls;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.nft.CounterValue;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.NftApplier;
import dev.bulwark.dataplane.nft.NftReader;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.Routes;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real {@link Dataplane}: an rtnetlink and an nfnetlink socket opened inside one network namespace (on the
 * namespace's own thread, by {@link NetNamespace}), our nft table through an {@link NftApplier}, and conntrack
 * sysctls through {@link Sysctls}. Sysctls are files, not netlink: {@link #sysctlAccesses()} counts them.
 */
public final class KernelDataplane implements Dataplane {

    private final NetNamespace ns;
    private final NetlinkSocket rtnl;
    private final NetlinkSocket nfnl;
    private final Table table;
    private final NftApplier nft;
    private long sysctlAccesses;

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
        this.nft = new NftApplier(nfnl, table);
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

    public Table table() {
        return table;
    }

    @Override
    public NftState nftMemory() {
        return nft.last();
    }

    @Override
    public NftState readNft() {
        nft.forget();
        NftState live = NftReader.readState(nfnl, table);
        nft.adopt(live);
        return live;
    }

    @Override
    public void applyNft(NftRuleset desired, boolean full) {
        if (full) nft.applyFull(desired);
        else nft.apply(desired);
    }

    @Override
    public void removeNft() {
        nft.remove();
    }

    @Override
    public List<Link> readLinks() {
        return Links.read(rtnl);
    }

    @Override
    public List<Address> readAddresses() {
        return Addresses.read(rtnl);
    }

    @Override
    public List<Route> readRoutes() {
        return Routes.read(rtnl, true);
    }

    @Override
    public List<Route> readAllRoutes() {
        return Routes.read(rtnl, false);
    }

    @Override
    public Map<String, CounterValue> readCounters() {
        return NftReader.counters(nfnl, table);
    }

    @Override
    public void apply(Operation operation) {
        operation.apply(rtnl);
    }

    @Override
    public Map<String, Long> readSysctls(Collection<String> keys) {
        sysctlAccesses += keys.size();
        return new LinkedHashMap<>(Sysctls.read(ns, keys));
    }

    @Override
    public boolean sysctlWritable(String key) {
        sysctlAccesses++;
        return Sysctls.writable(ns, key);
    }

    @Override
    public List<String> writeSysctl(String key, long value) {
        sysctlAccesses++;
        return Sysctls.apply(ns, Map.of(key, value)).warnings();
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
    public Ports netlinkPorts() {
        return new Ports(java.util.Set.of(rtnl.portId()), java.util.Set.of(nfnl.portId()));
    }

    /** The namespace's name, or null for the current namespace. */
    public String namespaceName() {
        return ns.name();
    }

    /** Sysctl files read or written so far (these are not netlink messages). */
    public long sysctlAccesses() {
        return sysctlAccesses;
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
