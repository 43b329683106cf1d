package dev.bulwark.dataplane.nft.expr;

/** Masquerade to the outgoing interface's address: {@code [ masq ]}. */
public record Masq(int flags, Integer regProtoMin, Integer regProtoMax) implements Expr {
    @Override
    public String kind() {
        return "masq";
    }
}
