package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.PortMatch;
import java.util.List;

/**
 * One firewall rule. {@code from}/{@code to} are zone names or {@code self} (the router itself): to self is input,
 * from self is output, zone to zone is forward. Lists match any of their elements; all given matches must hold.
 */
@Doc("A firewall rule")
public record Rule(
        @Doc("Unique rule name; it names the rule's counter.") @Required String name,
        @Doc("Source zone, or 'self' for traffic the router sends.") @Required String from,
        @Doc("Destination zone, or 'self' for traffic to the router.") @Required String to,
        @Doc("Restrict to ipv4 or ipv6; derived from addresses and protocol otherwise.") Family family,
        @Doc("Source addresses, prefixes, ranges or @sets.") List<AddressMatch> source,
        @Doc("Destination addresses, prefixes, ranges or @sets.") List<AddressMatch> destination,
        @Doc("tcp, udp, icmp, icmpv6 or any.") @Default("any") Protocol protocol,
        @Doc("Destination ports, port ranges or @port-sets (tcp/udp).") List<PortMatch> port,
        @Doc("Source ports, port ranges or @port-sets (tcp/udp).") List<PortMatch> sourcePort,
        @Doc("ICMP/ICMPv6 message types (icmp/icmpv6).") List<IcmpType> icmpType,
        @Doc("Connection-tracking states to match.") List<CtState> state,
        @Doc("Rate limit: the rule matches only within this rate.") Limit limit,
        @Doc("Log matching packets.") Log log,
        @Doc("Count packets and bytes under the rule's name.") @Default("true") boolean counter,
        @Doc("accept, drop or reject.") @Required Verdict action,
        @Doc("Set to false to keep the rule in the config but not in the kernel.") @Default("true") boolean enabled,
        @Doc("Free text for humans.") String description) {

    public Rule {
        source = Values.list(source);
        destination = Values.list(destination);
        port = Values.list(port);
        sourcePort = Values.list(sourcePort);
        icmpType = Values.list(icmpType);
        state = Values.list(state);
    }

    public static final String SELF = "self";
}
