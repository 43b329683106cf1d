package dev.bulwark.dataplane.nft.expr;

import dev.bulwark.dataplane.nft.Bytes;

/** Loads constant data into a data register (NAT addresses and ports): {@code [ immediate reg 1 0x... ]}. */
public record Immediate(int dreg, Bytes data) implements Expr {
    @Override
    public String kind() {
        return "immediate";
    }
}
