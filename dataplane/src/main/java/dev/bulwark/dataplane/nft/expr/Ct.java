package dev.bulwark.dataplane.nft.expr;

/** Loads a conntrack key (state, status, ...) into a register: {@code [ ct load state => reg 1 ]}. */
public record Ct(int key, int dreg, Integer direction) implements Expr {
    @Override
    public String kind() {
        return "ct";
    }
}
