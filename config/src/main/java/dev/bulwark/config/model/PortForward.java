package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.Endpoint;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.PortRange;
import java.util.List;

/**
 * Destination NAT: connections arriving in zone {@code in} for {@code port} go to {@code to}. With {@code hairpin},
 * hosts on the inside reaching the external address are forwarded too (NAT reflection).
 */
@Doc("A port-forward (destination NAT)")
public record PortForward(
        @Doc("Unique name; it names the forward's counter.") @Required String name,
        @Doc("Zone the connections arrive in.") @Required String in,
        @Doc("tcp or udp.") @Default("tcp") Protocol protocol,
        @Doc("External port or port range.") @Required PortRange port,
        @Doc("Inside address, with a port to rewrite a single external port to.") @Required Endpoint to,
        @Doc("External address to match (default: any address of the zone's interfaces).") IpAddress destination,
        @Doc("Only from these source addresses (default: all).") List<AddressMatch> source,
        @Doc("Also forward connections from the inside to the external address (NAT reflection).") @Default("false") boolean hairpin) {

    public PortForward {
        source = Values.list(source);
    }
}
