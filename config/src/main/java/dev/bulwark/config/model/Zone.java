package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import java.util.List;

/** A firewall zone: interfaces that share a trust level, with default policies. */
@Doc("A firewall zone")
public record Zone(
        @Doc("Logical interface names in this zone.") List<String> interfaces,
        @Doc("Policy for traffic from this zone to the router itself.") @Default("drop") Verdict input,
        @Doc("Default policy for traffic forwarded from this zone to another zone.") @Default("drop") Verdict forward,
        @Doc("Policy for traffic from the router itself out to this zone.") @Default("accept") Verdict output,
        @Doc("Free text for humans.") String description) {

    public Zone {
        interfaces = Values.list(interfaces);
    }
}
