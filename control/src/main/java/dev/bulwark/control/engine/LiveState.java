package dev.bulwark.control.engine;

import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.route.Route;
import java.time.Instant;
import java.util.List;

/**
 * The managed namespace as read from the kernel just now.
 *
 * @param read             when it was read
 * @param where            the namespace ("namespace NAME" or "current namespace")
 * @param links            every link ({@code ip link show})
 * @param addresses        every address except the kernel's IPv6 link-local ones
 * @param routes           every unicast route of both families in all tables, ours (protocol 98) and others'
 * @param counters         every named counter of our table, by rule
 * @param conntrackEntries the number of conntrack entries ({@code net.netfilter.nf_conntrack_count}), or null when
 *                         conntrack is not loaded
 */
public record LiveState(Instant read, String where, List<Link> links, List<Address> addresses, List<Route> routes,
                        List<RuleCounter> counters, Long conntrackEntries) {
    public LiveState {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        counters = List.copyOf(counters);
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
