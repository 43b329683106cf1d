package dev.bulwark.dataplane.nft.stmt;

/**
 * {@code tcp dport 22}, {@code udp sport 1024-65535}, {@code tcp dport @set_web}, {@code udp dport { 53, 67-68 }}. In an
 * inet table it brings the {@code meta l4proto} dependency.
 */
public record PortMatch(int l4proto, PortField field, PortValue value, boolean negate) implements Stmt {

    public PortMatch {
        value = value.simplified();
        if (l4proto != Symbols.IPPROTO_TCP && l4proto != Symbols.IPPROTO_UDP) throw new IllegalArgumentException("ports need tcp or udp");
    }

    public static PortMatch tcp(PortField field, PortValue value) {
        return new PortMatch(Symbols.IPPROTO_TCP, field, value, false);
    }

    public static PortMatch udp(PortField field, PortValue value) {
        return new PortMatch(Symbols.IPPROTO_UDP, field, value, false);
    }

    @Override
    public String render() {
        return Symbols.l4protoName(l4proto) + " " + field.keyword() + (negate ? " != " : " ") + value.render();
    }
}
