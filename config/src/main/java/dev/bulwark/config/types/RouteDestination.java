package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** A route's destination: {@code default} or a prefix (a bare address means a host route). */
@Scalar(expected = "'default' or a prefix such as 10.0.0.0/8", examples = {"default", "10.10.0.0/16", "fd00:2::/64"})
public record RouteDestination(IpPrefix prefix) {

    public static final RouteDestination DEFAULT = new RouteDestination(null);

    public static RouteDestination parse(String text) {
        String s = text.strip();
        if (s.equals("default")) return DEFAULT;
        if (s.indexOf('/') < 0) {
            IpAddress a = IpAddress.parse(s);
            return new RouteDestination(new IpPrefix(a, a.family().bits()));
        }
        return new RouteDestination(IpPrefix.parse(s));
    }

    public boolean isDefault() {
        return prefix == null;
    }

    /** The family, or null for {@code default}, whose family comes from the gateway. */
    public Family family() {
        return prefix == null ? null : prefix.family();
    }

    @Override
    public String toString() {
        return prefix == null ? "default" : prefix.toString();
    }
}
