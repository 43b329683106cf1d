package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;

/** An address field of the network header: where it is and how long. */
public enum AddrField {
    IP_SADDR(false, 12, "ip saddr"),
    IP_DADDR(false, 16, "ip daddr"),
    IP6_SADDR(true, 8, "ip6 saddr"),
    IP6_DADDR(true, 24, "ip6 daddr");

    private final boolean v6;
    private final int offset;
    private final String text;

    AddrField(boolean v6, int offset, String text) {
        this.v6 = v6;
        this.offset = offset;
        this.text = text;
    }

    public static AddrField source(boolean v6) {
        return v6 ? IP6_SADDR : IP_SADDR;
    }

    public static AddrField destination(boolean v6) {
        return v6 ? IP6_DADDR : IP_DADDR;
    }

    public boolean v6() {
        return v6;
    }

    public int nfproto() {
        return v6 ? Nft.NFPROTO_IPV6 : Nft.NFPROTO_IPV4;
    }

    /** Byte offset in the network header. */
    public int offset() {
        return offset;
    }

    /** Address length in bytes. */
    public int length() {
        return v6 ? 16 : 4;
    }

    public int keyType() {
        return v6 ? Nft.TYPE_IP6ADDR : Nft.TYPE_IPADDR;
    }

    public String text() {
        return text;
    }
}
