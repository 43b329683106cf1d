package dev.bulwark.dataplane.nft.stmt;

import java.util.List;
import java.util.stream.Collectors;

/** {@code icmp type echo-request} or {@code icmpv6 type { echo-request, nd-neighbor-solicit }} (an anonymous set). */
public record IcmpTypeMatch(boolean v6, List<Integer> types) implements Stmt {

    public IcmpTypeMatch {
        types = List.copyOf(new java.util.TreeSet<>(types));
        if (types.isEmpty()) throw new IllegalArgumentException("no ICMP type");
        for (int t : types) if (t < 0 || t > 255) throw new IllegalArgumentException("ICMP type " + t);
    }

    @Override
    public String render() {
        String kw = v6 ? "icmpv6 type " : "icmp type ";
        if (types.size() == 1) return kw + Symbols.icmpTypeName(v6, types.getFirst());
        return kw + "{ " + types.stream().map(t -> Symbols.icmpTypeName(v6, t)).collect(Collectors.joining(", ")) + " }";
    }
}
