package dev.bulwark.dataplane.nft.stmt;

/** {@code iifname vmap @input_zones}: the verdict for the interface name from a named verdict map. */
public record VmapStmt(IfDir dir, String map) implements Stmt {

    @Override
    public String render() {
        return dir.keyword() + " vmap @" + map;
    }
}
