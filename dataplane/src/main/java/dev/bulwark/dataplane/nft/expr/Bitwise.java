package dev.bulwark.dataplane.nft.expr;

import dev.bulwark.dataplane.nft.Bytes;

/** {@code dreg = (sreg & mask) ^ xor} over {@code len} bytes: prefix matches and flag tests. */
public record Bitwise(int sreg, int dreg, int len, Bytes mask, Bytes xor) implements Expr {
    @Override
    public String kind() {
        return "bitwise";
    }
}
