package dev.bulwark.control.compile;

import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.route.Route;
import java.util.List;
import java.util.Set;

/**
 * The links, addresses and routes a config asks for, in dataplane terms.
 *
 * @param links        every link the config names: its devices (to set up/down, MTU, bridge master), VLANs and bridges
 * @param ownedLinks   the links Bulwark creates (VLANs, bridges) and so may delete when they leave the config
 * @param devices      the devices whose addresses Bulwark manages (addresses elsewhere are left alone)
 * @param addresses    interface addresses
 * @param routes       static routes, tagged with Bulwark's route protocol
 */
public record DesiredNetwork(List<Link> links, Set<String> ownedLinks, Set<String> devices, List<Address> addresses,
                             List<Route> routes) {

    public DesiredNetwork {
        links = List.copyOf(links);
        ownedLinks = Set.copyOf(ownedLinks);
        devices = Set.copyOf(devices);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
    }
}
