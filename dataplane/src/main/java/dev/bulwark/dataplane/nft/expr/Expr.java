package dev.bulwark.dataplane.nft.expr;

/**
 * One nf_tables expression of a rule, as the kernel holds it: the unit that libnftnl builds and that a rule dump
 * returns. Each record mirrors the expression's netlink attributes, so what we send and what we read back compare
 * with {@code equals}. Register numbers use nft's NFT_REG_1..4 (16-byte) or NFT_REG32_* names as the kernel echoes
 * them.
 */
public sealed interface Expr permits Meta, Payload, Cmp, Bitwise, Immediate, Verdict, Lookup, Objref, Limit, Log,
        Reject, Nat, Masq, Ct, Range, Notrack, Counter {

    /** The expression's kernel name ("meta", "payload", "cmp", ...), as libnftnl allocates it. */
    String kind();
}
