package dev.bulwark.dataplane.nft.expr;

/** Rate limit: {@code rate} per {@code unit} seconds with {@code burst}; type packets or bytes; flags invert. */
public record Limit(long rate, long unit, int burst, int type, int flags) implements Expr {
    @Override
    public String kind() {
        return "limit";
    }
}
