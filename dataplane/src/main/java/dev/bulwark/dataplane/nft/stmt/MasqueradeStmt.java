package dev.bulwark.dataplane.nft.stmt;

/** {@code masquerade}: source NAT to the address of the outgoing interface. */
public record MasqueradeStmt() implements Stmt {
    @Override
    public String render() {
        return "masquerade";
    }
}
