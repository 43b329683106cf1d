package dev.bulwark.dataplane.nft.stmt;

/** {@code counter name "rule_ssh"}: counts into a named counter object of the table (an objref). */
public record CounterStmt(String name) implements Stmt {

    @Override
    public String render() {
        return "counter name " + InetText.quoted(name);
    }
}
