package dev.bulwark.control.compile;

/**
 * A conntrack sysctl the config asks for ({@code net.netfilter.KEY}), kept apart from the nft table because it is
 * not nftables state.
 *
 * @param key   the name under net.netfilter, e.g. {@code nf_conntrack_max}
 * @param note  what the applier must know about it, or null
 */
public record DesiredSysctl(String key, long value, String note, String pointer) {
}
