package dev.bulwark.control.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.route.Route;
import java.net.InetAddress;
import java.util.Locale;
import dev.bulwark.control.compile.NftCompiler;
import dev.bulwark.dataplane.nft.CounterValue;
import dev.bulwark.dataplane.port.Dataplane;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.port.NftPort;
import dev.bulwark.dataplane.port.SysctlPort;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The managed namespace read now, for the API's state and metrics: links, addresses, routes, and our nft counters
 * labelled with the config entry each counts (a rule or a port-forward, found by compiling the running config once
 * per revision). Reads run on the writer, so they never see a change half made.
 */
final class LiveViews {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    private final Dataplane dp;
    private final Supplier<Optional<Engine.Running>> running;
    private final Clock clock;
    private String labelsSha;
    private Map<String, RuleCounter> labels = Map.of();

    LiveViews(Dataplane dp, Supplier<Optional<Engine.Running>> running, Clock clock) {
        this.dp = dp;
        this.running = running;
        this.clock = clock;
    }

    /** On the writer: links, addresses, all routes, counters and the conntrack entry count. */
    LiveState live() {
        LiveState.Counters c = counters();
        NetworkPort net = dp.port(NetworkPort.KIND);
        List<Address> addresses = net.addresses();
        List<LiveState.Interface> interfaces = new ArrayList<>();
        for (Link l : net.links()) {
            List<String> as = new ArrayList<>();
            for (Address a : addresses) if (a.device().equals(l.name())) as.add(text(a.address()) + "/" + a.prefixLength());
            interfaces.add(new LiveState.Interface(l.name(), l.kind().name().toLowerCase(Locale.ROOT), l.up(), l.mtu(), l.master(),
                    l.parent(), l.vlanId(), l.peer(), as));
        }
        List<LiveState.LiveRoute> routes = new ArrayList<>();
        for (Route r : net.allRoutes()) {
            routes.add(new LiveState.LiveRoute(r.destination().toString(), r.gateway() == null ? null : text(r.gateway()), r.device(),
                    r.metric(), r.table(), r.protocol(), r.protocol() == Route.BULWARK_PROTOCOL));
        }
        return new LiveState(clock.instant(), dp.where(), interfaces, routes, c.counters(), c.conntrackEntries());
    }

    /** An address in its canonical text (RFC 5952 for IPv6), without a scope. */
    static String text(InetAddress a) {
        return IpAddress.of(a).toString();
    }

    /** On the writer: our counters with the config entries they count, and the conntrack entry count. */
    LiveState.Counters counters() {
        Map<String, CounterValue> values = dp.port(NftPort.KIND).counters();
        Map<String, RuleCounter> labels = labels();
        List<RuleCounter> out = new ArrayList<>();
        values.forEach((name, v) -> {
            RuleCounter l = labels.get(name);
            if (l == null) {
                // a counter of our table that the newest config does not name (the kernel still holds an older revision)
                if (name.startsWith("rule_")) l = new RuleCounter(name.substring(5), "rule", null, name, 0, 0);
                else if (name.startsWith("fwd_")) l = new RuleCounter(name.substring(4), "port-forward", null, name, 0, 0);
                else l = new RuleCounter(name, "unknown", null, name, 0, 0);
            }
            out.add(new RuleCounter(l.name(), l.kind(), l.pointer(), name, v.packets(), v.bytes()));
        });
        Long ct = dp.port(SysctlPort.KIND).read(List.of("nf_conntrack_count")).get("nf_conntrack_count");
        return new LiveState.Counters(out, ct);
    }

    /** Counter name to the config entry it counts, for the running config (compiled once per revision). */
    private Map<String, RuleCounter> labels() {
        Engine.Running r = running.get().orElse(null);
        if (r == null) return Map.of();
        if (r.revision().sha256().equals(labelsSha)) return labels;
        Map<String, RuleCounter> out = new LinkedHashMap<>();
        try {
            JsonNode tree = ConfigWriter.toTree(r.config());
            NftCompiler.compile(r.config()).orThrow().counters().forEach((counter, pointer) -> {
                JsonNode entry = tree.at(pointer);
                String name = entry.hasNonNull("name") ? entry.get("name").asText() : counter;
                String kind = pointer.startsWith("/firewall/rules/") ? "rule" : pointer.startsWith("/nat/port-forwards/") ? "port-forward" : "unknown";
                out.put(counter, new RuleCounter(name, kind, pointer, counter, 0, 0));
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot name the counters of revision " + r.revision().id() + ": " + e.getMessage());
        }
        labelsSha = r.revision().sha256();
        labels = Map.copyOf(out);
        return labels;
    }
}
