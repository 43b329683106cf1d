package dev.bulwark.dataplane.nft.stmt;

/** {@code iifname "eth0"} / {@code oifname != "eth0"}: the interface name, compared as a NUL-padded 16-byte string. */
public record IfnameMatch(IfDir dir, String name, boolean negate) implements Stmt {

    public IfnameMatch {
        if (name.isEmpty() || name.length() > 15) throw new IllegalArgumentException("interface names have 1-15 characters: " + name);
    }

    public static IfnameMatch of(IfDir dir, String name) {
        return new IfnameMatch(dir, name, false);
    }

    @Override
    public String render() {
        return dir.keyword() + (negate ? " != " : " ") + InetText.quoted(name);
    }
}
