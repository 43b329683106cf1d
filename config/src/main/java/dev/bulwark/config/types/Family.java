package dev.bulwark.config.types;

/** An IP address family. Written {@code ipv4} / {@code ipv6} in the config. */
public enum Family {
    IPV4(32),
    IPV6(128);

    private final int bits;

    Family(int bits) {
        this.bits = bits;
    }

    /** Address length in bits: 32 or 128. */
    public int bits() {
        return bits;
    }

    public String label() {
        return this == IPV4 ? "IPv4" : "IPv6";
    }
}
