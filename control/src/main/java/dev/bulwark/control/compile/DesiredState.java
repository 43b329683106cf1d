package dev.bulwark.control.compile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a config asks of the kernel, one plain value per subsystem (principle 1), keyed by the subsystem's name
 * in apply order: compiled by {@link Compiler} (each subsystem compiling its own part), compared with {@code equals},
 * applied by {@code dev.bulwark.control.reconcile.Reconciler}. A new subsystem's part comes with its
 * {@code Subsystem}: nothing here changes.
 */
public final class DesiredState {

    private final Map<String, Object> parts;

    /** The parts by subsystem name, in apply order; none may be null. */
    public DesiredState(Map<String, ?> parts) {
        Map<String, Object> copy = new LinkedHashMap<>();
        parts.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "subsystem"), Objects.requireNonNull(v, k)));
        this.parts = Collections.unmodifiableMap(copy);
    }

    /** The part of the named subsystem. */
    public Object part(String subsystem) {
        Object p = parts.get(subsystem);
        if (p == null) throw new IllegalArgumentException("no desired state for subsystem '" + subsystem + "'; it has " + parts.keySet());
        return p;
    }

    /** Every part, by subsystem name in apply order. */
    public Map<String, Object> parts() {
        return parts;
    }

    /** Links, addresses and routes. */
    public DesiredNetwork network() {
        return (DesiredNetwork) part("network");
    }

    /** Our nftables table, with its text. */
    public DesiredNft nft() {
        return (DesiredNft) part("nft");
    }

    /** Conntrack sysctls by key under {@code net.netfilter} (table size, timeouts), in config order. */
    @SuppressWarnings("unchecked")
    public Map<String, Long> sysctls() {
        return (Map<String, Long>) part("sysctl");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DesiredState d && parts.equals(d.parts);
    }

    @Override
    public int hashCode() {
        return parts.hashCode();
    }

    @Override
    public String toString() {
        return "DesiredState" + parts;
    }
}
