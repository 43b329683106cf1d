package dev.bulwark.dataplane.nft;

/**
 * A chain. A base chain has a hook, type ("filter", "nat", "route"), priority and policy:
 * {@code nft add chain inet bulwark input '{ type filter hook input priority filter; policy drop; }'}.
 * A regular chain ({@code hook == null}) is reached by jumps: {@code nft add chain inet bulwark zone_lan_in}.
 *
 * @param policy NF_ACCEPT or NF_DROP for base chains, null for regular chains
 */
public record Chain(String name, Integer hook, String type, Integer priority, Integer policy) {

    /** A base chain without type or policy is what the kernel makes of it: type "filter", policy accept. */
    public Chain {
        if (hook != null) {
            if (type == null) type = "filter";
            if (priority == null) priority = 0;
            if (policy == null) policy = Nft.NF_ACCEPT;
        }
    }

    public static Chain base(String name, String type, int hook, int priority, int policy) {
        return new Chain(name, hook, type, priority, policy);
    }

    public static Chain regular(String name) {
        return new Chain(name, null, null, null, null);
    }

    public boolean isBase() {
        return hook != null;
    }
}
