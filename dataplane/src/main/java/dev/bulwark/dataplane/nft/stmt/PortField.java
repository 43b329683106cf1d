package dev.bulwark.dataplane.nft.stmt;

/** A port field of the TCP or UDP header. */
public enum PortField {
    SPORT(0, "sport"),
    DPORT(2, "dport");

    private final int offset;
    private final String keyword;

    PortField(int offset, String keyword) {
        this.offset = offset;
        this.keyword = keyword;
    }

    /** Byte offset in the transport header. */
    public int offset() {
        return offset;
    }

    public String keyword() {
        return keyword;
    }
}
