package dev.bulwark.dataplane.nft.stmt;

import java.util.List;

/**
 * State names of conntrack timeout policies ({@code ct timeout} objects) as nft writes them. The keys of
 * {@link dev.bulwark.dataplane.nft.NftObject.CtTimeout#timeouts()} are libnftnl's state indexes, as the wire layer
 * sends them (NFTNL_CTTIMEOUT_TCP_SYN_SENT = 0 ... _TCP_UNACK = 10; NFTNL_CTTIMEOUT_UDP_UNREPLIED = 0, _REPLIED = 1).
 * nft 1.0.6 knows policies for tcp and udp only.
 */
public final class CtTimeouts {
    private CtTimeouts() {
    }

    private static final List<String> TCP = List.of("syn_sent", "syn_recv", "established", "fin_wait", "close_wait",
            "last_ack", "time_wait", "close", "syn_sent2", "retrans", "unack");
    private static final List<String> UDP = List.of("unreplied", "replied");

    public static String stateName(int l4proto, int attr) {
        List<String> names = names(l4proto);
        if (attr < 0 || attr >= names.size()) throw new IllegalArgumentException("no timeout state " + attr + " for protocol " + l4proto);
        return names.get(attr);
    }

    /** The state index of a state name. */
    public static int state(int l4proto, String name) {
        int i = names(l4proto).indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no timeout state " + name + " for protocol " + l4proto);
        return i;
    }

    private static List<String> names(int l4proto) {
        return switch (l4proto) {
            case Symbols.IPPROTO_TCP -> TCP;
            case Symbols.IPPROTO_UDP -> UDP;
            default -> throw new IllegalArgumentException("nft has timeout policies for tcp and udp only, not " + l4proto);
        };
    }
}
