package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import java.util.List;
import java.util.Map;

/**
 * A whole Bulwark config: the one document an operator writes. Each section is its own record; a new section
 * (shaping, XDP, SR-IOV, GitOps) is one new component here plus its record and its validation check.
 */
@Doc("A Bulwark router config")
public record Config(
        @Doc("Config format version; only 1 exists.") @Default("1") int version,
        @Doc("Logical interfaces by name: physical devices, VLAN sub-interfaces and bridges, with their addresses.") Map<String, Interface> interfaces,
        @Doc("Static routes.") List<Route> routes,
        @Doc("Firewall zones by name: sets of interfaces with default policies.") Map<String, Zone> zones,
        @Doc("Named sets of addresses or ports, referenced as @name.") Map<String, NamedSet> sets,
        @Doc("Zone-to-zone policies and ordered rules.") @Default("{}") Firewall firewall,
        @Doc("Masquerade, SNAT, port-forwards and 1:1 NAT.") @Default("{}") Nat nat,
        @Doc("Connection tracking: table size, timeouts, helpers, no-track rules.") @Default("{}") Conntrack conntrack,
        @Doc("The management API: listener, tokens, anti-lockout.") @Default("{}") Management management) {

    /** The config format version this code reads and writes. */
    public static final int VERSION = 1;

    public Config {
        interfaces = Values.map(interfaces);
        routes = Values.list(routes);
        zones = Values.map(zones);
        sets = Values.map(sets);
    }
}
