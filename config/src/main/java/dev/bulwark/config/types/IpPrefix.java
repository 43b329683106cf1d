package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** A network prefix {@code address/length} whose host bits are all zero. */
@Scalar(expected = "an IP prefix such as 192.168.1.0/24 or fd00::/64", examples = {"10.0.0.0/8", "fd00:1::/64"})
public record IpPrefix(IpAddress network, int length) implements AddressMatch, SetElement {

    public IpPrefix {
        if (length < 0 || length > network.family().bits()) {
            throw new IllegalArgumentException("prefix length " + length + " is out of range 0-" + network.family().bits());
        }
        if (!network.masked(length).equals(network)) {
            throw new IllegalArgumentException(network + "/" + length + " has host bits set; the prefix is " + network.masked(length) + "/" + length);
        }
    }

    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix: write address/length, e.g. 10.0.0.0/8");
        }
        IpAddress a = IpAddress.parse(text.substring(0, slash));
        int len = parseLength(text.substring(slash + 1), a.family(), text);
        IpAddress canonical = a.masked(len);
        if (!canonical.equals(a)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean " + canonical + "/" + len + "?");
        }
        return new IpPrefix(a, len);
    }

    static int parseLength(String s, Family f, String original) {
        if (s.isEmpty() || s.length() > 3 || !Names.allAsciiDigits(s)) {
            throw new IllegalArgumentException("'" + original + "': prefix length '" + s + "' is not a number from 0 to " + f.bits());
        }
        int len = Integer.parseInt(s);
        if (len > f.bits()) {
            throw new IllegalArgumentException("'" + original + "': prefix length " + len + " is larger than " + f.bits() + " for " + f.label());
        }
        return len;
    }

    @Override
    public Family family() {
        return network.family();
    }

    public boolean contains(IpAddress a) {
        return a.family() == family() && a.masked(length).equals(network);
    }

    public boolean overlaps(IpPrefix o) {
        if (o.family() != family()) return false;
        int l = Math.min(length, o.length);
        return network.masked(l).equals(o.network.masked(l));
    }

    @Override
    public String toString() {
        return network + "/" + length;
    }
}
