package dev.bulwark.dataplane.port;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.KernelNetwork;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.route.Route;
import java.util.List;

/** Links, addresses and routes over rtnetlink. */
public interface NetworkPort {

    PortKind<NetworkPort> KIND = new PortKind<>("network", NetworkPort.class, KernelNetwork::new);

    /** Every link ({@code ip link show}). */
    List<Link> links();

    /** Every address except the kernel's own IPv6 link-local ones ({@code ip address show}). */
    List<Address> addresses();

    /** Our routes: those tagged with Bulwark's route protocol, all tables, both families. */
    List<Route> ourRoutes();

    /**
     * Every route of the namespace, ours and others', all tables, both families ({@code ip route show table all}),
     * for showing the live state.
     */
    List<Route> allRoutes();

    /** One link, address or route change, as planned by LinkState, AddressState or RouteState. */
    void apply(Operation operation);
}
