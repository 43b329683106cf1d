package dev.bulwark.control.conntrack;

import dev.bulwark.dataplane.port.ConntrackPort;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The conntrack table of the managed namespace in the API's terms, over the dataplane's {@link ConntrackPort}
 * (ctnetlink; each call opens its own socket, so listings for several clients run at once and stream entry by entry).
 * A flush changes the kernel: callers run it on the engine's writer ({@code Engine.flushConntrack}).
 */
public final class PortConntrackTable implements ConntrackTable {

    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "icmp", 1, "icmpv6", 58,
            "sctp", 132, "udplite", 136, "gre", 47, "dccp", 33);

    private final ConntrackPort port;

    public PortConntrackTable(ConntrackPort port) {
        this.port = port;
    }

    @Override
    public long list(ConntrackFilter filter, Consumer<ConntrackEntry> consumer) {
        long[] n = {0};
        port.list(kernel(filter), e -> {
            consumer.accept(view(e));
            n[0]++;
        });
        return n[0];
    }

    @Override
    public long flush(ConntrackFilter filter) {
        return port.flush(kernel(filter));
    }

    static dev.bulwark.dataplane.conntrack.ConntrackFilter kernel(ConntrackFilter f) {
        int protocol = f.protocol() == null ? -1 : PROTOCOLS.getOrDefault(f.protocol(), -2);
        if (protocol == -2) throw new IllegalArgumentException("unknown protocol " + f.protocol());
        return new dev.bulwark.dataplane.conntrack.ConntrackFilter(f.address(), f.port() == null ? -1 : f.port(), protocol);
    }

    static ConntrackEntry view(dev.bulwark.dataplane.conntrack.ConntrackEntry e) {
        return new ConntrackEntry(e.family() == dev.bulwark.dataplane.netlink.Inet.AF_INET ? 4 : 6, e.protocolName(),
                tuple(e.original()), e.reply() == null ? null : tuple(e.reply()), e.tcpState(), e.timeout(), e.mark(),
                e.status().contains(dev.bulwark.dataplane.conntrack.ConntrackEntry.Status.ASSURED));
    }

    private static ConntrackEntry.Tuple tuple(dev.bulwark.dataplane.conntrack.ConntrackEntry.Tuple t) {
        Integer sp = t.sourcePort() >= 0 ? t.sourcePort() : t.icmpId() >= 0 ? t.icmpId() : null;
        Integer dp = t.destinationPort() >= 0 ? t.destinationPort() : null;
        return new ConntrackEntry.Tuple(t.source(), t.destination(), sp, dp);
    }
}
