package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** What a rule matches an address against: one address, a prefix, a range, or a named set ({@code @name}). */
@Scalar(expected = "an IP address, prefix, range or @set", examples = {"192.168.1.10", "10.0.0.0/8", "10.0.0.10-10.0.0.20", "@admins"})
public sealed interface AddressMatch permits IpAddress, IpPrefix, IpRange, SetRef {

    /** The family, or null for a set reference (resolved by validation). */
    Family family();

    static AddressMatch parse(String text) {
        String s = text.strip();
        if (s.startsWith("@")) return SetRef.parse(s);
        if (s.indexOf('-') > 0) return IpRange.parse(s);
        if (s.indexOf('/') > 0) return IpPrefix.parse(s);
        return IpAddress.parse(s);
    }
}
