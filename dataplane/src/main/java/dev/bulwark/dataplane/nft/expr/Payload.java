package dev.bulwark.dataplane.nft.expr;

/** Loads {@code len} packet bytes at {@code offset} of a header into a register: {@code [ payload load ... ]}. */
public record Payload(int base, int offset, int len, int dreg) implements Expr {
    @Override
    public String kind() {
        return "payload";
    }
}
