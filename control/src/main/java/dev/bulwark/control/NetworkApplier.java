package dev.bulwark.control;

import dev.bulwark.control.compile.DesiredNetwork;
import dev.bulwark.dataplane.apply.Step;
import dev.bulwark.dataplane.apply.UndoLog;
import dev.bulwark.dataplane.link.AddressState;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.LinkState;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.route.RouteState;
import dev.bulwark.dataplane.route.Routes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Brings a namespace's links, addresses and routes to a {@link DesiredNetwork}: reads the live state, plans the
 * difference per kind and runs it through an {@link UndoLog}, so a failure midway restores what was there.
 * Order: links first (addresses need their devices), then addresses (routes need their subnets), then routes.
 * Address and route removals of links about to be deleted are planned with the links' own steps by the dataplane.
 */
public final class NetworkApplier {
    private NetworkApplier() {
    }

    /** The steps that would bring the namespace to {@code desired}, without changing anything. */
    public static List<Step> plan(NetlinkSocket socket, DesiredNetwork desired, Set<String> previouslyOwned) {
        List<Step> steps = new ArrayList<>();
        Set<String> owned = new java.util.HashSet<>(previouslyOwned);
        owned.addAll(desired.ownedLinks());
        steps.addAll(LinkState.plan(desired.links(), Links.read(socket), owned));
        return steps;
    }

    /**
     * Applies {@code desired}; on failure everything this call (and earlier calls on {@code log}) did is undone and
     * the failure is thrown. Returns the number of changes made (0 when the kernel already matched).
     */
    public static int apply(NetlinkSocket socket, DesiredNetwork desired, Set<String> previouslyOwned, UndoLog log) {
        Set<String> owned = new java.util.HashSet<>(previouslyOwned);
        owned.addAll(desired.ownedLinks());
        List<Step> links = LinkState.plan(desired.links(), Links.read(socket), owned);
        log.apply(socket, links);
        List<Step> addresses = AddressState.plan(desired.addresses(), Addresses.read(socket), desired.devices());
        log.apply(socket, addresses);
        List<Step> routes = RouteState.plan(desired.routes(), Routes.read(socket, true));
        log.apply(socket, routes);
        return links.size() + addresses.size() + routes.size();
    }
}
