package dev.bulwark.dataplane.nft.stmt;

/** {@code iifname @zone_lan}: the interface name looked up in a named set of interface names. */
public record IfnameSetMatch(IfDir dir, String set, boolean negate) implements Stmt {

    public static IfnameSetMatch of(IfDir dir, String set) {
        return new IfnameSetMatch(dir, set, false);
    }

    @Override
    public String render() {
        return dir.keyword() + (negate ? " != @" : " @") + set;
    }
}
