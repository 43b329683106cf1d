package dev.bulwark.control.engine;

import java.time.Instant;
import java.util.List;

/**
 * The managed namespace as read from the kernel just now, in plain values for the API.
 *
 * @param read             when it was read
 * @param where            the namespace ("namespace NAME" or "current namespace")
 * @param interfaces       every link with its addresses ({@code ip address show}; the kernel's IPv6 link-local ones left out)
 * @param routes           every unicast route of both families in all tables, ours (protocol 98) and others'
 * @param counters         every named counter of our table, by rule
 * @param conntrackEntries the number of conntrack entries ({@code net.netfilter.nf_conntrack_count}), or null when
 *                         conntrack is not loaded
 */
public record LiveState(Instant read, String where, List<Interface> interfaces, List<LiveRoute> routes,
                        List<RuleCounter> counters, Long conntrackEntries) {
    public LiveState {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        counters = List.copyOf(counters);
    }

    /**
     * One link.
     *
     * @param kind      device, veth, vlan, bridge, dummy, ...
     * @param mtu       null when unknown
     * @param master    the bridge it is a port of, or null
     * @param parent    a VLAN's parent, or null
     * @param vlanId    a VLAN's id, or null
     * @param peer      a veth's peer, or null
     * @param addresses its addresses, {@code ADDRESS/PREFIX}, in the kernel's order
     */
    public record Interface(String name, String kind, boolean up, Integer mtu, String master, String parent, Integer vlanId,
                            String peer, List<String> addresses) {
        public Interface {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * One route.
     *
     * @param to       the destination prefix
     * @param via      the gateway, or null
     * @param device   the output device, or null
     * @param protocol the route protocol number (98: Bulwark's)
     * @param ours     whether Bulwark installed it
     */
    public record LiveRoute(String to, String via, String device, long metric, long table, int protocol, boolean ours) {
    }

    /**
     * The counters and the conntrack count alone (what a metrics scrape reads).
     *
     * @param counters         every named counter of our table, by rule
     * @param conntrackEntries conntrack entries now, or null when conntrack is not loaded
     */
    public record Counters(List<RuleCounter> counters, Long conntrackEntries) {
        public Counters {
            counters = List.copyOf(counters);
        }
    }
}
