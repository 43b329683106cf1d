package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Key;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.RouteDestination;

/** A static route. At least one of {@code via} and {@code interface} is given. */
@Doc("A static IPv4 or IPv6 route")
public record Route(
        @Doc("'default' or a destination prefix.") @Required RouteDestination to,
        @Doc("Gateway address.") IpAddress via,
        @Doc("Logical interface name to route through.") @Key("interface") String iface,
        @Doc("Route metric (priority); lower wins.") Integer metric,
        @Doc("Routing table id, 1-4294967295; 254 is main (the default), 253 and 255 are reserved.") Long table,
        @Doc("Free text for humans.") String description) {
}
