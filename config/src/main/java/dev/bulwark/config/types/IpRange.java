package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** An inclusive range of addresses of one family: {@code 10.0.0.10-10.0.0.20}. */
@Scalar(expected = "an address range such as 10.0.0.10-10.0.0.20", examples = {"10.0.0.10-10.0.0.20"})
public record IpRange(IpAddress from, IpAddress to) implements AddressMatch, SetElement {

    public IpRange {
        if (from.family() != to.family()) {
            throw new IllegalArgumentException("range " + from + "-" + to + " mixes IPv4 and IPv6");
        }
        if (from.compareTo(to) > 0) {
            throw new IllegalArgumentException("range " + from + "-" + to + " ends before it starts; write " + to + "-" + from);
        }
    }

    public static IpRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a range: write first-last, e.g. 10.0.0.10-10.0.0.20");
        }
        String first = text.substring(0, dash).strip();
        if (first.indexOf(':') < 0 && (first.isEmpty() || !Names.isAsciiDigit(first.charAt(0)))) {
            // Not an address before the '-': a host name such as web-server, not a range.
            throw new IllegalArgumentException("'" + text + "' is not an IP address or range (write e.g. 192.168.1.1 or "
                    + "10.0.0.10-10.0.0.20; host names are not allowed)");
        }
        IpAddress a = IpAddress.parse(first);
        IpAddress b = IpAddress.parse(text.substring(dash + 1).strip());
        if (a.family() != b.family()) {
            throw new IllegalArgumentException("'" + text + "' mixes IPv4 and IPv6");
        }
        if (a.compareTo(b) > 0) {
            throw new IllegalArgumentException("'" + text + "' ends before it starts; write " + b + "-" + a);
        }
        return new IpRange(a, b);
    }

    @Override
    public Family family() {
        return from.family();
    }

    @Override
    public String toString() {
        return from + "-" + to;
    }
}
