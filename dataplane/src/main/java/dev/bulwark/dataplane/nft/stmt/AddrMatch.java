package dev.bulwark.dataplane.nft.stmt;

/**
 * {@code ip saddr 10.0.0.0/8}, {@code ip6 daddr != @set_x} ...: an address field against an address, prefix, range, or
 * named or anonymous set. In an inet table it brings the {@code meta nfproto} dependency.
 */
public record AddrMatch(AddrField field, AddrValue value, boolean negate) implements Stmt {

    public AddrMatch {
        value = value.simplified();
        int len = switch (value) {
            case AddrValue.Single s -> s.address().length();
            case AddrValue.Prefix p -> p.network().length();
            case AddrValue.Range r -> r.from().length();
            case AddrValue.Anonymous a -> a.intervals().getFirst().from().length();
            case AddrValue.Named n -> field.length();
        };
        if (len != field.length()) throw new IllegalArgumentException(field.text() + " takes " + field.length() + "-byte addresses");
    }

    public static AddrMatch of(AddrField field, AddrValue value) {
        return new AddrMatch(field, value, false);
    }

    @Override
    public String render() {
        return field.text() + (negate ? " != " : " ") + value.render();
    }
}
