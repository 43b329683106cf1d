package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.AddressMatch;
import java.util.List;

/** Masquerade traffic from zone {@code from} leaving through zone {@code out}. */
@Doc("A masquerade")
public record Masquerade(
        @Doc("Zone the traffic comes from.") @Required String from,
        @Doc("Zone the traffic leaves through.") @Required String out,
        @Doc("Only these source addresses (default: all).") List<AddressMatch> source) {

    public Masquerade {
        source = Values.list(source);
    }
}
