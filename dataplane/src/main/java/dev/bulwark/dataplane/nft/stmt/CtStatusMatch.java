package dev.bulwark.dataplane.nft.stmt;

/** {@code ct status dnat}: any of the conntrack status bits (IPS_*). */
public record CtStatusMatch(int mask) implements Stmt {

    public CtStatusMatch {
        Symbols.ctStatus(mask);
        if (mask == 0) throw new IllegalArgumentException("no ct status");
    }

    public static CtStatusMatch dnat() {
        return new CtStatusMatch(Symbols.CT_STATUS_DNAT);
    }

    @Override
    public String render() {
        return "ct status " + Symbols.ctStatus(mask);
    }
}
