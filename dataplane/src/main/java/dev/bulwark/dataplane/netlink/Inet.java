package dev.bulwark.dataplane.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP addresses on the wire: address families, addresses from the kernel's bytes (never a name lookup), and the text
 * {@code ip} prints (RFC 5952 for IPv6), for the equivalent commands named in errors.
 */
public final class Inet {
    private Inet() {
    }

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    /** AF_INET or AF_INET6. */
    public static int family(InetAddress a) {
        return a instanceof Inet4Address ? AF_INET : AF_INET6;
    }

    /** 32 or 128. */
    public static int bits(InetAddress a) {
        return a instanceof Inet4Address ? 32 : 128;
    }

    /**
     * The address in 4 or 16 bytes as the kernel sent them. 16 bytes always give an {@link Inet6Address} (also an
     * IPv4-mapped one, which {@link InetAddress#getByAddress(byte[])} would turn into IPv4).
     */
    public static InetAddress fromBytes(byte[] b) {
        try {
            if (b.length == 16) return Inet6Address.getByAddress(null, b, -1);
            if (b.length == 4) return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + b.length);
    }

    /** An IPv4 or IPv6 literal ("192.0.2.1", "2001:db8::1"); never a host name lookup. */
    public static InetAddress parse(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    /** The address as {@code ip} prints it: dotted quad, or RFC 5952 IPv6 ("2001:db8::1"). */
    public static String text(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return a.getHostAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
