package dev.bulwark.control.compile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a config asks of the kernel, one plain value per subsystem (principle 1): compiled by
 * {@link Compiler}, compared with {@code equals}, applied by {@code dev.bulwark.control.reconcile.Reconciler}. A
 * later subsystem (shaping, XDP, SR-IOV) adds its component here, its compiler to {@link Compiler}, and a
 * {@code Subsystem} to the reconciler's list.
 *
 * @param network links, addresses and routes
 * @param nft     our nftables table, with its text
 * @param sysctls conntrack sysctls by key under {@code net.netfilter} (table size, timeouts), in config order
 */
public record DesiredState(DesiredNetwork network, DesiredNft nft, Map<String, Long> sysctls) {

    public DesiredState {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(nft, "nft");
        sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    }
}
