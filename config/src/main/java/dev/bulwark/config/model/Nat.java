package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import java.util.List;

/** Address translation. */
@Doc("Network address translation")
public record Nat(
        @Doc("Masquerade traffic from a zone leaving through another zone (source address of the outgoing interface).") List<Masquerade> masquerade,
        @Doc("Source NAT to a fixed address or pool.") List<Snat> snat,
        @Doc("Destination NAT: forward ports arriving in a zone to an inside host.") List<PortForward> portForwards,
        @Doc("1:1 NAT between an external and an internal address or prefix of the same length.") List<OneToOne> oneToOne) {

    public Nat {
        masquerade = Values.list(masquerade);
        snat = Values.list(snat);
        portForwards = Values.list(portForwards);
        oneToOne = Values.list(oneToOne);
    }
}
