package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.AddressMatch;

/** 1:1 NAT: the external address (or prefix) maps to the internal one in both directions. */
@Doc("A 1:1 NAT")
public record OneToOne(
        @Doc("Unique name.") @Required String name,
        @Doc("Zone where the external address lives.") @Required String in,
        @Doc("External address or prefix.") @Required AddressMatch external,
        @Doc("Internal address or prefix of the same length.") @Required AddressMatch internal) {
}
