package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;

/** An 802.1Q VLAN sub-interface on a parent device. */
@Doc("An 802.1Q VLAN sub-interface")
public record Vlan(
        @Doc("Parent kernel device name (eth1).") @Required String parent,
        @Doc("VLAN id, 1-4094.") @Required int id) {
}
