package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;

/** {@code accept}, {@code drop}, {@code return}, {@code jump CHAIN}, {@code goto CHAIN}. */
public record VerdictStmt(int code, String chain) implements Stmt {

    public VerdictStmt {
        boolean needsChain = code == Nft.NFT_JUMP || code == Nft.NFT_GOTO;
        if (needsChain != (chain != null)) throw new IllegalArgumentException("jump and goto, and only they, name a chain");
        if (code != Nft.NF_ACCEPT && code != Nft.NF_DROP && code != Nft.NFT_RETURN && !needsChain) {
            throw new IllegalArgumentException("verdict " + code);
        }
    }

    public static VerdictStmt accept() {
        return new VerdictStmt(Nft.NF_ACCEPT, null);
    }

    public static VerdictStmt drop() {
        return new VerdictStmt(Nft.NF_DROP, null);
    }

    public static VerdictStmt ret() {
        return new VerdictStmt(Nft.NFT_RETURN, null);
    }

    public static VerdictStmt jump(String chain) {
        return new VerdictStmt(Nft.NFT_JUMP, chain);
    }

    public static VerdictStmt goTo(String chain) {
        return new VerdictStmt(Nft.NFT_GOTO, chain);
    }

    @Override
    public String render() {
        return switch (code) {
            case Nft.NF_ACCEPT -> "accept";
            case Nft.NF_DROP -> "drop";
            case Nft.NFT_RETURN -> "return";
            case Nft.NFT_JUMP -> "jump " + chain;
            case Nft.NFT_GOTO -> "goto " + chain;
            default -> throw new IllegalStateException();
        };
    }
}
