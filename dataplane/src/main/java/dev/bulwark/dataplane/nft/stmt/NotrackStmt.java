package dev.bulwark.dataplane.nft.stmt;

/** {@code notrack}: the packet skips connection tracking (in a chain before conntrack, priority raw). */
public record NotrackStmt() implements Stmt {
    @Override
    public String render() {
        return "notrack";
    }
}
