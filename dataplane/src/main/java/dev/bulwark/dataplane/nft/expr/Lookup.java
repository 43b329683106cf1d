package dev.bulwark.dataplane.nft.expr;

/**
 * Looks a register up in a named set (or map, with {@code dreg}; a verdict map has dreg 0): {@code [ lookup reg 1
 * set NAME ]}. {@code flags} has NFT_LOOKUP_F_INV for "not in set".
 */
public record Lookup(int sreg, String set, Integer dreg, int flags) implements Expr {
    @Override
    public String kind() {
        return "lookup";
    }
}
