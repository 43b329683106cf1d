package dev.bulwark.dataplane.nft.expr;

import dev.bulwark.dataplane.nft.Bytes;

/** Compares a register with constant data; a false comparison ends the rule: {@code [ cmp eq reg 1 0x... ]}. */
public record Cmp(int sreg, int op, Bytes data) implements Expr {
    @Override
    public String kind() {
        return "cmp";
    }
}
