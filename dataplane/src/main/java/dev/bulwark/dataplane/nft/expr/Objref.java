package dev.bulwark.dataplane.nft.expr;

/** Uses a named stateful object (counter, ct helper, ct timeout): {@code [ objref type 1 name NAME ]}. */
public record Objref(int type, String name) implements Expr {
    @Override
    public String kind() {
        return "objref";
    }
}
