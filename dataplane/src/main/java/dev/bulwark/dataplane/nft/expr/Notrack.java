package dev.bulwark.dataplane.nft.expr;

/** Exempts the packet from connection tracking: {@code [ notrack ]}. */
public record Notrack() implements Expr {
    @Override
    public String kind() {
        return "notrack";
    }
}
