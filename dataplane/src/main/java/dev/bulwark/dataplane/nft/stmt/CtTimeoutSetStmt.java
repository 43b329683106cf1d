package dev.bulwark.dataplane.nft.stmt;

/** {@code ct timeout set "tcp_timeouts"}: applies the named ct timeout policy to a new connection. */
public record CtTimeoutSetStmt(String name) implements Stmt {
    @Override
    public String render() {
        return "ct timeout set " + InetText.quoted(name);
    }
}
