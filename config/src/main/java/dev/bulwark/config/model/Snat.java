package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.AddressMatch;
import java.util.List;

/** Source NAT to one address or a pool (an address range). */
@Doc("A source NAT")
public record Snat(
        @Doc("Unique name.") @Required String name,
        @Doc("Zone the traffic comes from.") @Required String from,
        @Doc("Zone the traffic leaves through.") @Required String out,
        @Doc("Only these source addresses (default: all).") List<AddressMatch> source,
        @Doc("Address or address range (pool) to translate to.") @Required AddressMatch to) {

    public Snat {
        source = Values.list(source);
    }
}
