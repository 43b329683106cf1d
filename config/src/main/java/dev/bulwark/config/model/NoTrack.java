package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.PortMatch;
import java.util.List;

/** Traffic that skips connection tracking (raw table, {@code notrack}). */
@Doc("A no-track rule")
public record NoTrack(
        @Doc("Unique name.") @Required String name,
        @Doc("Zone the traffic arrives in (default: any).") String from,
        @Doc("Source addresses, prefixes, ranges or @sets.") List<AddressMatch> source,
        @Doc("Destination addresses, prefixes, ranges or @sets.") List<AddressMatch> destination,
        @Doc("tcp, udp, icmp, icmpv6 or any.") @Default("any") Protocol protocol,
        @Doc("Destination ports (tcp/udp).") List<PortMatch> port) {

    public NoTrack {
        source = Values.list(source);
        destination = Values.list(destination);
        port = Values.list(port);
    }
}
