package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;

/**
 * {@code reject with tcp reset}, {@code reject with icmpx type port-unreachable} (the family's own ICMP error, in an
 * inet table), or {@code reject with icmp type ...} / {@code icmpv6 type ...}. A TCP reset needs a TCP match (nft
 * puts {@code meta l4proto tcp} at the front of the rule otherwise), an ICMP reject its family.
 *
 * @param family for type NFT_REJECT_ICMP_UNREACH: NFPROTO_IPV4 or NFPROTO_IPV6, else null
 */
public record RejectStmt(int type, int code, Integer family) implements Stmt {

    public RejectStmt {
        switch (type) {
            case Nft.REJECT_TCP_RST -> {
                if (code != 0 || family != null) throw new IllegalArgumentException("tcp reset has no code or family");
            }
            case Nft.REJECT_ICMPX_UNREACH -> {
                if (code < 0 || code > 3 || family != null) throw new IllegalArgumentException("icmpx code " + code);
            }
            case Nft.REJECT_ICMP_UNREACH -> {
                if (family == null || (family != Nft.NFPROTO_IPV4 && family != Nft.NFPROTO_IPV6)) {
                    throw new IllegalArgumentException("icmp reject needs ipv4 or ipv6");
                }
            }
            default -> throw new IllegalArgumentException("reject type " + type);
        }
    }

    public static RejectStmt tcpReset() {
        return new RejectStmt(Nft.REJECT_TCP_RST, 0, null);
    }

    public static RejectStmt icmpxPortUnreachable() {
        return new RejectStmt(Nft.REJECT_ICMPX_UNREACH, Nft.REJECT_ICMPX_PORT_UNREACH, null);
    }

    public static RejectStmt icmpPortUnreachable(boolean v6) {
        return v6 ? new RejectStmt(Nft.REJECT_ICMP_UNREACH, Symbols.ICMPV6_PORT_UNREACH, Nft.NFPROTO_IPV6)
                : new RejectStmt(Nft.REJECT_ICMP_UNREACH, Symbols.ICMP_PORT_UNREACH, Nft.NFPROTO_IPV4);
    }

    @Override
    public String render() {
        return switch (type) {
            case Nft.REJECT_TCP_RST -> "reject with tcp reset";
            case Nft.REJECT_ICMPX_UNREACH -> "reject with icmpx type " + icmpxName(code);
            default -> "reject with " + (family == Nft.NFPROTO_IPV6 ? "icmpv6 type " + icmp6Name(code) : "icmp type " + icmpName(code));
        };
    }

    private static String icmpxName(int code) {
        return switch (code) {
            case Nft.REJECT_ICMPX_NO_ROUTE -> "no-route";
            case Nft.REJECT_ICMPX_PORT_UNREACH -> "port-unreachable";
            case Nft.REJECT_ICMPX_HOST_UNREACH -> "host-unreachable";
            case Nft.REJECT_ICMPX_ADMIN_PROHIBITED -> "admin-prohibited";
            default -> throw new IllegalStateException();
        };
    }

    private static String icmpName(int code) {
        return switch (code) {
            case 0 -> "net-unreachable";
            case 1 -> "host-unreachable";
            case 2 -> "prot-unreachable";
            case 3 -> "port-unreachable";
            case 9 -> "net-prohibited";
            case 10 -> "host-prohibited";
            case 13 -> "admin-prohibited";
            default -> Integer.toString(code);
        };
    }

    private static String icmp6Name(int code) {
        return switch (code) {
            case 0 -> "no-route";
            case 1 -> "admin-prohibited";
            case 3 -> "addr-unreachable";
            case 4 -> "port-unreachable";
            case 5 -> "policy-fail";
            case 6 -> "reject-route";
            default -> Integer.toString(code);
        };
    }
}
