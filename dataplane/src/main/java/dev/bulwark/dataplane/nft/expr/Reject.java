package dev.bulwark.dataplane.nft.expr;

/** Rejects with an ICMP/ICMPv6 error or a TCP reset: {@code [ reject type T code C ]}. */
public record Reject(int type, int code) implements Expr {
    @Override
    public String kind() {
        return "reject";
    }
}
