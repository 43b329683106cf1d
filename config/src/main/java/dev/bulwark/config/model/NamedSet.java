package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.SetElement;
import java.util.List;

/** A named set of addresses/prefixes/ranges of one family, or of ports/port ranges. */
@Doc("A named set")
public record NamedSet(
        @Doc("ipv4, ipv6 or port.") @Required SetType type,
        @Doc("Elements: addresses, prefixes or ranges (ipv4/ipv6), ports or port ranges (port).") List<SetElement> elements,
        @Doc("Free text for humans.") String description) {

    public NamedSet {
        elements = Values.list(elements);
    }
}
