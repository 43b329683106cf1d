package dev.bulwark.dataplane.nft;

/** nft's words for kernel numbers, for naming operations the way the nft command line does. */
public final class NftWords {
    private NftWords() {
    }

    /** The family keyword: inet, ip, ip6, arp, bridge, netdev. */
    public static String family(int family) {
        return switch (family) {
            case Nft.NFPROTO_INET -> "inet";
            case Nft.NFPROTO_IPV4 -> "ip";
            case Nft.NFPROTO_IPV6 -> "ip6";
            case 3 -> "arp";
            case 5 -> "netdev";
            case 7 -> "bridge";
            default -> "family" + family;
        };
    }

    /** "inet bulwark". */
    public static String table(Table t) {
        return family(t.family()) + " " + t.name();
    }

    /** The object keyword: counter, quota, ct helper, limit, ct timeout. */
    public static String objectType(int type) {
        return switch (type) {
            case Nft.OBJECT_COUNTER -> "counter";
            case Nft.OBJECT_QUOTA -> "quota";
            case Nft.OBJECT_CT_HELPER -> "ct helper";
            case Nft.OBJECT_LIMIT -> "limit";
            case Nft.OBJECT_CT_TIMEOUT -> "ct timeout";
            default -> "object type " + type;
        };
    }
}
