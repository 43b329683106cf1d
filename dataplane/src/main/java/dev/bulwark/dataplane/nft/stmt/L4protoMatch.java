package dev.bulwark.dataplane.nft.stmt;

import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code meta l4proto tcp}, or {@code meta l4proto { tcp, udp }} (an anonymous set) for several. A single protocol
 * satisfies the dependency of later port and ICMP matches.
 */
public record L4protoMatch(List<Integer> protocols) implements Stmt {

    public L4protoMatch {
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty()) throw new IllegalArgumentException("no protocol");
        for (int p : protocols) if (p < 0 || p > 255) throw new IllegalArgumentException("protocol " + p);
    }

    public static L4protoMatch of(int... protocols) {
        return new L4protoMatch(java.util.Arrays.stream(protocols).boxed().toList());
    }

    @Override
    public String render() {
        if (protocols.size() == 1) return "meta l4proto " + Symbols.l4protoName(protocols.getFirst());
        return "meta l4proto { " + protocols.stream().map(Symbols::l4protoName).collect(Collectors.joining(", ")) + " }";
    }
}
