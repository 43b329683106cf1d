package dev.bulwark.dataplane.nft.stmt;

/** {@code ct helper set "helper_ftp"}: attaches the named ct helper object to a new connection. */
public record CtHelperSetStmt(String name) implements Stmt {
    @Override
    public String render() {
        return "ct helper set " + InetText.quoted(name);
    }
}
