package dev.bulwark.config.model;

import dev.bulwark.config.types.Family;

/** ICMP and ICMPv6 message types by their nft names, with the families that have them. */
public enum IcmpType {
    ECHO_REQUEST(true, true),
    ECHO_REPLY(true, true),
    DESTINATION_UNREACHABLE(true, true),
    TIME_EXCEEDED(true, true),
    PARAMETER_PROBLEM(true, true),
    REDIRECT(true, false),
    SOURCE_QUENCH(true, false),
    ROUTER_ADVERTISEMENT(true, false),
    ROUTER_SOLICITATION(true, false),
    TIMESTAMP_REQUEST(true, false),
    TIMESTAMP_REPLY(true, false),
    PACKET_TOO_BIG(false, true),
    ND_ROUTER_SOLICIT(false, true),
    ND_ROUTER_ADVERT(false, true),
    ND_NEIGHBOR_SOLICIT(false, true),
    ND_NEIGHBOR_ADVERT(false, true),
    ND_REDIRECT(false, true),
    MLD_LISTENER_QUERY(false, true),
    MLD_LISTENER_REPORT(false, true),
    MLD2_LISTENER_REPORT(false, true);

    private final boolean v4;
    private final boolean v6;

    IcmpType(boolean v4, boolean v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    public boolean existsIn(Family f) {
        return f == Family.IPV4 ? v4 : v6;
    }
}
