package dev.bulwark.dataplane.route;

import dev.bulwark.dataplane.netlink.Inet;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route destination: an IPv4 or IPv6 network (family and address bytes through the {@link InetAddress}) and a prefix
 * length; length 0 is the default route. Host bits must be zero, as in the kernel's routing table, so a prefix has
 * one spelling and compares with {@code equals}.
 */
public record Prefix(InetAddress address, int length) {

    public static final Prefix DEFAULT_V4 = new Prefix(Inet.fromBytes(new byte[4]), 0);
    public static final Prefix DEFAULT_V6 = new Prefix(Inet.fromBytes(new byte[16]), 0);

    public Prefix {
        Objects.requireNonNull(address, "address");
        int bits = Inet.bits(address);
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException(Inet.text(address) + "/" + length + ": the prefix length is 0 to " + bits);
        }
        byte[] b = address.getAddress();
        byte[] masked = mask(b, length);
        if (!java.util.Arrays.equals(b, masked)) {
            throw new IllegalArgumentException(Inet.text(address) + "/" + length + " has host bits set; the network is "
                    + Inet.text(Inet.fromBytes(masked)) + "/" + length);
        }
    }

    /** "10.0.0.0/8", "2001:db8::/32", "default" (IPv4), a bare address (a host route). */
    public static Prefix parse(String text) {
        if (text.equals("default")) return DEFAULT_V4;
        int slash = text.indexOf('/');
        InetAddress a = Inet.parse(slash < 0 ? text : text.substring(0, slash));
        return new Prefix(a, slash < 0 ? Inet.bits(a) : Integer.parseInt(text.substring(slash + 1)));
    }

    /** The default route of AF_INET or AF_INET6. */
    public static Prefix defaultRoute(int family) {
        return family == Inet.AF_INET ? DEFAULT_V4 : DEFAULT_V6;
    }

    static byte[] mask(byte[] b, int length) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, length - 8 * i));
            out[i] &= (byte) (0xFF << (8 - keep));
        }
        return out;
    }

    public int family() {
        return Inet.family(address);
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isDefault() {
        return length == 0;
    }

    /** As {@code ip route} writes it: "default" or "10.0.0.0/8". */
    @Override
    public String toString() {
        return isDefault() ? "default" : Inet.text(address) + "/" + length;
    }
}
