package dev.bulwark.dataplane.nft;

/** An nftables table: {@code nft add table inet bulwark}. Bulwark owns only the tables it names. */
public record Table(int family, String name) {
    public static final String BULWARK = "bulwark";

    public static Table inet(String name) {
        return new Table(Nft.NFPROTO_INET, name);
    }
}
