package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.nft.CounterValue;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.dataplane.route.Route;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The kernel as the {@link Reconciler} sees it: reads and single changes per subsystem, in dataplane value types.
 * {@link KernelDataplane} does them over netlink in one network namespace; tests use an in-memory fake that can
 * fail any operation. A new subsystem (tc, XDP, SR-IOV) adds its reads and changes here and a {@link Subsystem}.
 *
 * <p>Every change method either makes its whole change or, when the kernel refuses it, changes nothing and throws
 * (a {@link dev.bulwark.dataplane.netlink.NetlinkException} naming the operation, errno and the kernel's message).
 * Not thread-safe: one writer.
 */
public interface Dataplane extends AutoCloseable {

    /** Where the changes go, for messages: "namespace NAME" or "current namespace". */
    String where();

    // ---- nftables: our table only

    /** What was last applied to or read from our table, with rule handles; null when unknown. */
    NftState nftMemory();

    /** Reads our table ({@code nft list table inet bulwark}) and remembers it as {@link #nftMemory()}; null: no table. */
    NftState readNft();

    /**
     * One atomic batch: with {@code full}, replaces our table as a whole; otherwise sends the delta from
     * {@link #nftMemory()} ({@code NftDelta.between}; a full replace when memory is null). On success the memory is
     * the new state; on failure nothing was applied and the memory is forgotten.
     */
    void applyNft(NftRuleset desired, boolean full);

    /** Deletes our table ({@code nft delete table inet bulwark}); foreign tables stay. */
    void removeNft();

    // ---- links, addresses, routes

    /** Every link ({@code ip link show}). */
    List<Link> readLinks();

    /** Every address except the kernel's own IPv6 link-local ones ({@code ip address show}). */
    List<Address> readAddresses();

    /** Our routes: those tagged with Bulwark's route protocol, all tables, both families. */
    List<Route> readRoutes();

    /**
     * Every route of the namespace, ours and others', all tables, both families ({@code ip route show table all}),
     * for showing the live state; the reconciler uses {@link #readRoutes()}. Default: only ours.
     */
    default List<Route> readAllRoutes() {
        return readRoutes();
    }

    /** One link, address or route change, as planned by LinkState, AddressState or RouteState. */
    void apply(Operation operation);

    // ---- counters

    /**
     * Packets and bytes of every named counter of our table, by counter name ({@code nft list counters table inet
     * bulwark}); empty when the table does not exist. Default: none.
     */
    default Map<String, CounterValue> readCounters() {
        return Map.of();
    }

    // ---- conntrack sysctls (net.netfilter.*)

    /** The values of the given keys; a key that does not exist (conntrack not loaded yet) is absent. */
    Map<String, Long> readSysctls(Collection<String> keys);

    /** Whether this namespace may set the key (the kernel makes nf_conntrack_max read-only in child namespaces). */
    boolean sysctlWritable(String key);

    /** Sets one key ({@code sysctl -w net.netfilter.KEY=VALUE}); returns warnings (a refusal the kernel allows). */
    List<String> writeSysctl(String key, long value);

    // ---- accounting

    /** Messages sent so far that may change the kernel (requests that are not dumps), over all sockets. */
    long changesSent();

    /** Every message sent so far, dumps included, over all sockets. */
    long messagesSent();

    /**
     * The netlink port ids of the sockets this dataplane changes the kernel through, per bus (port ids are unique
     * per bus and namespace only: our rtnetlink and netfilter sockets may well have the same one). The kernel names
     * them in the notifications our own changes cause, which is how the drift watcher tells those apart from
     * everybody else's.
     */
    default Ports netlinkPorts() {
        return Ports.NONE;
    }

    /** Netlink port ids per bus: rtnetlink (links, addresses, routes) and netfilter (nftables). */
    record Ports(java.util.Set<Integer> rtnetlink, java.util.Set<Integer> netfilter) {
        public static final Ports NONE = new Ports(java.util.Set.of(), java.util.Set.of());

        public Ports {
            rtnetlink = java.util.Set.copyOf(rtnetlink);
            netfilter = java.util.Set.copyOf(netfilter);
        }
    }

    @Override
    void close();
}
