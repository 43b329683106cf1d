package dev.bulwark.dataplane.nft.expr;

import dev.bulwark.dataplane.nft.Bytes;

/** Tests {@code from <= reg <= to} (or not): {@code [ range eq reg 1 0x... 0x... ]}. */
public record Range(int sreg, int op, Bytes from, Bytes to) implements Expr {
    @Override
    public String kind() {
        return "range";
    }
}
