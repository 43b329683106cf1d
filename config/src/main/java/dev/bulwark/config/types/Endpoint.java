package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/**
 * An address with an optional port: {@code 192.168.1.20}, {@code 192.168.1.20:8443}, {@code [fd00::20]:8443}.
 * A bare IPv6 address is written without brackets when it has no port.
 */
@Scalar(expected = "an address with optional port such as 192.168.1.20:8443 or [fd00::20]:8443", examples = {"192.168.1.20:8443", "[fd00::20]:443"})
public record Endpoint(IpAddress address, Integer port) {

    public Endpoint {
        if (address == null) throw new IllegalArgumentException("address is required");
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
    }

    public static Endpoint parse(String text) {
        String s = text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "': missing ']' after the IPv6 address");
            IpAddress a = IpAddress.parse(s.substring(1, close));
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) return new Endpoint(a, null);
            if (!rest.startsWith(":")) throw new IllegalArgumentException("'" + text + "': expected ':port' after ']'");
            return new Endpoint(a, port(rest.substring(1), text));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
            return new Endpoint(IpAddress.parse(s), null); // bare IPv6 address
        }
        if (colon < 0) return new Endpoint(IpAddress.parse(s), null);
        return new Endpoint(IpAddress.parse(s.substring(0, colon)), port(s.substring(colon + 1), text));
    }

    private static int port(String p, String original) {
        if (p.isEmpty() || p.length() > 5 || !Names.allAsciiDigits(p)) {
            throw new IllegalArgumentException("'" + original + "': '" + p + "' is not a port number");
        }
        int n = Integer.parseInt(p);
        if (n < 1 || n > 65535) throw new IllegalArgumentException("'" + original + "': port " + n + " is out of range 1-65535");
        return n;
    }

    public Family family() {
        return address.family();
    }

    @Override
    public String toString() {
        if (port == null) return address.toString();
        return address.family() == Family.IPV6 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
