package dev.bulwark.control.reconcile;

import java.util.List;

/**
 * The subsystems the {@link Reconciler} keeps equal to the config, in apply order: nft first (one atomic batch; the
 * firewall covers new interfaces before they come up, and its conntrack expressions load the module whose sysctls
 * come last), then links, addresses and routes, then conntrack sysctls. A new subsystem is registered here, with one
 * line, where its changes belong in that order.
 */
public final class Subsystems {
    private Subsystems() {
    }

    /** The subsystems in apply order. */
    public static final List<Subsystem<?, ?>> STANDARD = List.of(
            new NftSubsystem(),
            new NetworkSubsystem(),
            new SysctlSubsystem());
}
