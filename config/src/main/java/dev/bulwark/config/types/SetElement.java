package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** One element of a named set: an address, prefix or range (address sets) or a port or port range (port sets). */
@Scalar(expected = "an address, prefix, address range, port or port range", examples = {"198.51.100.0/24", "192.168.1.10", "8000-8100"}, numbers = true)
public sealed interface SetElement permits IpAddress, IpPrefix, IpRange, PortRange {

    static SetElement parse(String text) {
        String s = text.strip();
        if (s.startsWith("@")) {
            throw new IllegalArgumentException("'" + s + "': a set cannot contain another set; list its elements instead");
        }
        if (!s.isEmpty() && Names.isAsciiDigit(s.charAt(0)) && digitsAndDashes(s)) {
            return PortRange.parse(s);
        }
        AddressMatch m = AddressMatch.parse(s);
        return (SetElement) m;
    }

    /** Only '0'-'9' and '-': a port or port range, not an address. */
    private static boolean digitsAndDashes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Names.isAsciiDigit(c) && c != '-') return false;
        }
        return true;
    }
}
