package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;

/** {@code ct state established,related}: any of the conntrack state bits (Nft.CT_STATE_*). */
public record CtStateMatch(int mask) implements Stmt {

    public CtStateMatch {
        Symbols.ctStates(mask);
        if (mask == 0) throw new IllegalArgumentException("no ct state");
    }

    public static CtStateMatch establishedRelated() {
        return new CtStateMatch(Nft.CT_STATE_ESTABLISHED | Nft.CT_STATE_RELATED);
    }

    public static CtStateMatch invalid() {
        return new CtStateMatch(Nft.CT_STATE_INVALID);
    }

    @Override
    public String render() {
        return "ct state " + Symbols.ctStates(mask);
    }
}
