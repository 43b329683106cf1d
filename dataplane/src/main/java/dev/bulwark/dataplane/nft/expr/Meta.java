package dev.bulwark.dataplane.nft.expr;

/** Loads packet metadata (iifname, l4proto, nfproto, ...) into a register: {@code [ meta load KEY => reg DREG ]}. */
public record Meta(int key, int dreg) implements Expr {
    @Override
    public String kind() {
        return "meta";
    }
}
