package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** An address assigned to an interface, with the length of its on-link prefix: {@code 192.168.1.1/24}. */
@Scalar(expected = "an interface address with prefix length such as 192.168.1.1/24", examples = {"192.168.1.1/24", "fd00:1::1/64"})
public record InterfaceAddress(IpAddress address, int length) {

    public InterfaceAddress {
        if (length < 0 || length > address.family().bits()) {
            throw new IllegalArgumentException("prefix length " + length + " is out of range");
        }
    }

    public static InterfaceAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            IpAddress a = IpAddress.parse(text);
            throw new IllegalArgumentException("'" + text + "' needs a prefix length (the size of its subnet): write e.g. " + a
                    + (a.family() == Family.IPV4 ? "/24" : "/64"));
        }
        IpAddress a = IpAddress.parse(text.substring(0, slash));
        int len = IpPrefix.parseLength(text.substring(slash + 1), a.family(), text);
        return new InterfaceAddress(a, len);
    }

    public Family family() {
        return address.family();
    }

    /** The on-link prefix, e.g. 192.168.1.0/24 for 192.168.1.1/24. */
    public IpPrefix prefix() {
        return new IpPrefix(address.masked(length), length);
    }

    @Override
    public String toString() {
        return address + "/" + length;
    }
}
