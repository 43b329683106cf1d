package dev.bulwark.dataplane.nft.expr;

/**
 * A verdict: accept, drop, continue, return, or jump/goto {@code chain} (an immediate into the verdict register,
 * which is how the kernel stores it): {@code [ immediate reg 0 accept ]}.
 */
public record Verdict(int code, String chain) implements Expr {
    @Override
    public String kind() {
        return "immediate";
    }
}
