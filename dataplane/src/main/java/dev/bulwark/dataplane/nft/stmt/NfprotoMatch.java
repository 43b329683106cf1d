package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;

/** {@code meta nfproto ipv4}: the packet's family in an inet table. Later address matches need no dependency. */
public record NfprotoMatch(int nfproto) implements Stmt {

    public NfprotoMatch {
        if (nfproto != Nft.NFPROTO_IPV4 && nfproto != Nft.NFPROTO_IPV6) throw new IllegalArgumentException("nfproto " + nfproto);
    }

    public static NfprotoMatch ipv4() {
        return new NfprotoMatch(Nft.NFPROTO_IPV4);
    }

    public static NfprotoMatch ipv6() {
        return new NfprotoMatch(Nft.NFPROTO_IPV6);
    }

    @Override
    public String render() {
        return "meta nfproto " + Symbols.nfprotoName(nfproto);
    }
}
