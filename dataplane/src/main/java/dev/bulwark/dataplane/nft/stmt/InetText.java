package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.nft.Bytes;

/** Text of the kernel's binary values as nft reads them: IPv4/IPv6 addresses (RFC 5952), interface names. */
public final class InetText {
    private InetText() {
    }

    /** Dotted quad for 4 bytes, RFC 5952 (lower case, longest zero run compressed) for 16 bytes. */
    public static String address(Bytes b) {
        if (b.length() != 4 && b.length() != 16) throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + b);
        return Inet.text(Inet.fromBytes(b.toArray()));
    }

    /** The interface name in a NUL-padded IFNAMSIZ key. */
    public static String ifname(Bytes b) {
        int n = 0;
        while (n < b.length() && b.get(n) != 0) n++;
        byte[] a = b.toArray();
        return new String(a, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A double-quoted nft string. Callers pass names and prefixes that contain no '"' (the config refuses them). */
    public static String quoted(String s) {
        if (s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) throw new IllegalArgumentException("nft strings cannot hold '\"' or newlines: " + s);
        return "\"" + s + "\"";
    }

    /** Big-endian unsigned value of up to 8 bytes. */
    static long value(Bytes b) {
        long v = 0;
        for (int i = 0; i < b.length(); i++) v = (v << 8) | (b.get(i) & 255);
        return v;
    }
}
