package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/**
 * An IPv4 or IPv6 address literal. Parsed without any name lookup; IPv4 in strict dotted-quad form (no leading
 * zeros, which some tools read as octal), IPv6 per RFC 4291 and printed per RFC 5952 (lower case, longest zero
 * run compressed). The 128-bit value is kept in two longs so that records holding addresses compare by value.
 */
@Scalar(expected = "an IPv4 or IPv6 address", examples = {"192.168.1.1", "fd00:1::1"})
public record IpAddress(Family family, long hi, long lo) implements AddressMatch, SetElement, Comparable<IpAddress> {

    public IpAddress {
        if (family == null) throw new IllegalArgumentException("family is required");
        if (family == Family.IPV4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 value out of range");
        }
    }

    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("an IP address is required, got an empty value");
        String s = text.strip();
        if (s.indexOf(':') >= 0) return parseV6(s, text);
        if (s.indexOf('.') >= 0 && !s.isEmpty() && Names.isAsciiDigit(s.charAt(0))) return parseV4(s, text);
        throw new IllegalArgumentException("'" + text + "' is not an IP address (write e.g. 192.168.1.1 or fd00::1; host names are not allowed)");
    }

    /** True when {@code text} parses as an address, without building an exception. */
    public static boolean looksLikeAddress(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The address of a socket or a kernel dump, as the config writes it (a scope id is dropped). */
    public static IpAddress of(java.net.InetAddress a) {
        byte[] b = a.getAddress();
        long hi = 0, lo = 0;
        for (int i = 0; i < b.length; i++) {
            if (b.length == 16 && i < 8) hi = hi << 8 | (b[i] & 0xFF);
            else lo = lo << 8 | (b[i] & 0xFF);
        }
        return new IpAddress(b.length == 4 ? Family.IPV4 : Family.IPV6, hi, lo);
    }

    public static IpAddress v4(long value) {
        return new IpAddress(Family.IPV4, 0, value & 0xFFFF_FFFFL);
    }

    /** Four numbers separated by dots, scanned in place: a config can hold a million of them. */
    private static IpAddress parseV4(String s, String original) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') dots++;
        }
        if (dots != 3) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv4 address: it needs four numbers separated by dots");
        }
        long v = 0;
        int start = 0;
        for (int k = 0; k < 4; k++) {
            int end = k < 3 ? s.indexOf('.', start) : s.length();
            v = (v << 8) | octet(s, start, end, original);
            start = end + 1;
        }
        return new IpAddress(Family.IPV4, 0, v);
    }

    /** The number in {@code s[start, end)}: 1 to 3 ASCII digits without a leading zero, at most 255. */
    private static int octet(String s, int start, int end, String original) {
        int length = end - start;
        boolean digits = length >= 1 && length <= 3;
        int n = 0;
        for (int i = start; digits && i < end; i++) {
            char c = s.charAt(i);
            digits = Names.isAsciiDigit(c);
            n = n * 10 + (c - '0');
        }
        if (!digits) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv4 address: '" + s.substring(start, end) + "' is not a number from 0 to 255");
        }
        if (length > 1 && s.charAt(start) == '0') {
            throw new IllegalArgumentException("'" + original + "' has a leading zero in '" + s.substring(start, end) + "', which some tools read as octal; write it without the zero");
        }
        if (n > 255) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv4 address: " + n + " is larger than 255");
        }
        return n;
    }

    private static IpAddress parseV6(String s, String original) {
        int colon = s.indexOf(':');
        if (colon > 0 && colon == s.lastIndexOf(':') && s.substring(0, colon).indexOf('.') > 0) {
            throw new IllegalArgumentException("'" + original + "' has a port; write the address alone ("
                    + s.substring(0, colon) + ") and the port where a port is asked for");
        }
        if (s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("'" + original + "': zone ids (%dev) are not allowed in addresses");
        }
        int[] groups = new int[8];
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv6 address: '::' may appear only once");
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] h = v6Groups(head, original, dbl < 0 || tail.isEmpty());
        int[] t = dbl >= 0 ? v6Groups(tail, original, true) : new int[0];
        if (dbl < 0 && h.length != 8) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv6 address: it needs 8 groups or '::'");
        }
        if (dbl >= 0 && h.length + t.length > 7) {
            throw new IllegalArgumentException("'" + original + "' is not an IPv6 address: too many groups");
        }
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        long hi = 0, lo = 0;
        for (int i = 0; i < 4; i++) hi = (hi << 16) | groups[i];
        for (int i = 4; i < 8; i++) lo = (lo << 16) | groups[i];
        return new IpAddress(Family.IPV6, hi, lo);
    }

    private static int[] v6Groups(String part, String original, boolean mayEndInV4) {
        if (part.isEmpty()) return new int[0];
        String[] fields = part.split(":", -1);
        int extra = 0;
        String last = fields[fields.length - 1];
        boolean v4Tail = mayEndInV4 && last.indexOf('.') >= 0;
        if (v4Tail) extra = 1;
        int[] out = new int[fields.length + extra];
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            if (i == fields.length - 1 && v4Tail) {
                long v4 = parseV4(f, original).lo();
                out[i] = (int) (v4 >>> 16);
                out[i + 1] = (int) (v4 & 0xFFFF);
                continue;
            }
            if (f.isEmpty() || f.length() > 4) {
                throw new IllegalArgumentException("'" + original + "' is not an IPv6 address: '" + f + "' is not a group of 1 to 4 hex digits");
            }
            int g = 0;
            for (int k = 0; k < f.length(); k++) {
                char ch = f.charAt(k);
                int d = ch < 128 ? Character.digit(ch, 16) : -1; // ASCII only: Character.digit takes fullwidth digits too
                if (d < 0) {
                    throw new IllegalArgumentException("'" + original + "' is not an IPv6 address: '" + f + "' is not hexadecimal");
                }
                g = (g << 4) | d;
            }
            out[i] = g;
        }
        return out;
    }

    /** The bit at position {@code i} (0 = most significant). */
    public boolean bit(int i) {
        if (family == Family.IPV4) return ((lo >>> (31 - i)) & 1) != 0;
        return i < 64 ? ((hi >>> (63 - i)) & 1) != 0 : ((lo >>> (127 - i)) & 1) != 0;
    }

    /** This address with every bit after the first {@code length} cleared. */
    public IpAddress masked(int length) {
        if (family == Family.IPV4) {
            long mask = length == 0 ? 0 : (0xFFFF_FFFFL << (32 - length)) & 0xFFFF_FFFFL;
            return new IpAddress(family, 0, lo & mask);
        }
        long mh = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
        long ml = length <= 64 ? 0 : length >= 128 ? -1L : -1L << (128 - length);
        return new IpAddress(family, hi & mh, lo & ml);
    }

    /** This address with every bit after the first {@code length} set (the last address of the prefix). */
    public IpAddress lastInPrefix(int length) {
        if (family == Family.IPV4) {
            long host = length == 32 ? 0 : (0xFFFF_FFFFL >>> length);
            return new IpAddress(family, 0, lo | host);
        }
        long hh = length >= 64 ? 0 : length == 0 ? -1L : -1L >>> length;
        long hl = length <= 64 ? -1L : length >= 128 ? 0 : -1L >>> (length - 64);
        return new IpAddress(family, hi | hh, lo | hl);
    }

    @Override
    public Family family() {
        return family;
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) return c;
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        if (family == Family.IPV4) {
            return ((lo >>> 24) & 255) + "." + ((lo >>> 16) & 255) + "." + ((lo >>> 8) & 255) + "." + (lo & 255);
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xFFFF);
        for (int i = 0; i < 4; i++) g[4 + i] = (int) ((lo >>> (48 - 16 * i)) & 0xFFFF);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
