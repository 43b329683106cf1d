package dev.bulwark.dataplane.link;

import dev.bulwark.dataplane.netlink.Inet;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP address on a link, as a plain value: {@code 192.0.2.1/24 dev eth0}. Desired and live addresses are the same
 * type and compare with {@code equals}; the wire encoding is in {@link Addresses}.
 *
 * @param device       the link's name
 * @param address      the host address (IPv4 or IPv6; host bits may be set, as in 192.0.2.1/24)
 * @param prefixLength the length of the on-link prefix (0-32 or 0-128)
 */
public record Address(String device, InetAddress address, int prefixLength) {

    public Address {
        Link.checkName(device, "device");
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > Inet.bits(address)) {
            throw new IllegalArgumentException(Inet.text(address) + "/" + prefixLength + ": the prefix length of an "
                    + (Inet.bits(address) == 32 ? "IPv4" : "IPv6") + " address is 0 to " + Inet.bits(address));
        }
    }

    /** {@code Address.of("eth0", "192.0.2.1/24")}; the address is a literal, never looked up. */
    public static Address of(String device, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("'" + cidr + "' has no prefix length (e.g. 192.0.2.1/24)");
        return new Address(device, Inet.parse(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    public int family() {
        return Inet.family(address);
    }

    /** As {@code ip} writes it: {@code 192.0.2.1/24 dev eth0}. */
    @Override
    public String toString() {
        return Inet.text(address) + "/" + prefixLength + " dev " + device;
    }
}
