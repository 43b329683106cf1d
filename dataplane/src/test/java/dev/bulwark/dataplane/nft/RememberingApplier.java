package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.netlink.NetlinkSocket;

/**
 * For the dataplane's own tests: an {@link NftApplier} with the memory that control's reconciler keeps in the product
 * (what was last applied, with handles), so a test can apply one ruleset after another as deltas. Any failure forgets
 * the memory, so the next apply is a full one, as the reconciler does.
 */
final class RememberingApplier {

    private final NftApplier applier;
    private NftState last;

    RememberingApplier(NetlinkSocket socket, Table table) {
        this.applier = new NftApplier(socket, table);
    }

    /** What we last applied (or adopted), with handles; null when unknown. */
    NftState last() {
        return last;
    }

    void forget() {
        last = null;
    }

    /** Takes a state read from the kernel as the base for the next delta. */
    void adopt(NftState live) {
        if (live != null && !live.ruleset().table().equals(applier.table())) throw new IllegalArgumentException("state of another table");
        last = live == null ? null : new NftState(NftRuleset.canonical(live.ruleset()), live.handles(), live.generation());
    }

    /** The whole table replaced; returns what was sent. */
    NftDelta applyFull(NftRuleset desired) {
        return send(NftDelta.full(desired), desired, null);
    }

    /** Only the difference from what was last applied (a full apply when unknown); returns what was sent. */
    NftDelta apply(NftRuleset desired) {
        if (last == null) return applyFull(desired);
        NftDelta d = NftDelta.between(last, desired);
        if (d.isEmpty()) return d;
        return send(d, desired, last.ruleset());
    }

    void remove() {
        try {
            applier.remove();
        } finally {
            last = null;
        }
    }

    private NftDelta send(NftDelta d, NftRuleset desired, NftRuleset before) {
        last = null; // until it is known to have worked
        last = applier.send(d, desired, before);
        return d;
    }
}
