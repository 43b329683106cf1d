package dev.bulwark.control.drift;

import dev.bulwark.control.compile.DesiredNetwork;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.NetlinkPorts;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.monitor.KernelChange;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.RouteState;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a change the kernel announced may have taken something of ours away from the committed state
 * (principle 3: only what is ours counts). Pure: the expected state and our sockets' ports are passed in.
 *
 * <ul>
 * <li>Our own changes are echoes, not drift: a notification that names one of our sockets' netlink ports on its bus
 *     (the kernel puts the requesting socket's port in every nftables, route and IPv4 address notification) is
 *     ignored.</li>
 * <li>nftables: any change to an object of our table ({@code table inet bulwark}); never a foreign table's.</li>
 * <li>Routes: only routes tagged with our protocol (98): one of the config's deleted, or one added or replaced that
 *     the config does not have that way. Routes of other protocols are never ours.</li>
 * <li>Addresses: on the devices the config manages, one of the config's deleted or one the config lacks added.</li>
 * <li>Links: one the config names deleted, renamed, or changed in what the config sets (up, MTU, master).</li>
 * <li>A notification queue overflow: anything may have changed.</li>
 * </ul>
 * A change that leaves the kernel as the config wants it (the kernel's own follow-ups of our apply, such as a link's
 * carrier coming up) is not drift either. What is flagged here only schedules a check: the check reads the kernel back
 * and diffs, so a false alarm costs one read and is never recorded as drift.
 */
public final class DriftFilter {
    private DriftFilter() {
    }

    /**
     * Why {@code change} may be drift from {@code expected}, or null when it cannot be (not ours, an echo of our own
     * change, or consistent with the config). Null {@code expected}: nothing is applied, nothing is ours.
     */
    public static String reason(KernelChange change, DesiredState expected, NetlinkPorts ours) {
        if (expected == null) return null;
        if (change.port() != 0) {
            Set<Integer> mine = change instanceof KernelChange.NftChanged ? ours.netfilter() : ours.rtnetlink();
            if (mine.contains(change.port())) return null;
        }
        return switch (change) {
            case KernelChange.Overflowed o -> o.toString();
            case KernelChange.NftChanged n -> n.notice().concerns(expected.nft().ruleset().table()) ? change.toString() : null;
            case KernelChange.RouteChanged r -> route(r, expected.network()) ? change.toString() : null;
            case KernelChange.AddressChanged a -> address(a, expected.network()) ? change.toString() : null;
            case KernelChange.LinkChanged l -> link(l, expected.network()) ? change.toString() : null;
        };
    }

    private static boolean route(KernelChange.RouteChanged r, DesiredNetwork want) {
        Route live = r.route();
        if (live.protocol() != Route.BULWARK_PROTOCOL) return false;
        Route desired = want.routes().stream().filter(d -> d.key().equals(live.key())).findFirst().orElse(null);
        boolean satisfies = desired != null && RouteState.plan(List.of(desired), List.of(live)).isEmpty();
        return r.removed() ? satisfies : !satisfies;
    }

    private static boolean address(KernelChange.AddressChanged a, DesiredNetwork want) {
        if (!want.devices().contains(a.address().device())) return false;
        boolean wanted = want.addresses().contains(a.address());
        return a.removed() == wanted; // one of ours went, or a stranger came
    }

    private static boolean link(KernelChange.LinkChanged l, DesiredNetwork want) {
        if (l.formerName() != null && find(want, l.formerName()) != null) return true;
        Link d = find(want, l.link().name());
        if (d == null) return false;
        if (l.removed()) return true;
        Link live = l.link();
        return d.up() != live.up() || (d.mtu() != null && !d.mtu().equals(live.mtu())) || !Objects.equals(d.master(), live.master());
    }

    private static Link find(DesiredNetwork want, String name) {
        for (Link d : want.links()) if (d.name().equals(name)) return d;
        return null;
    }
}
