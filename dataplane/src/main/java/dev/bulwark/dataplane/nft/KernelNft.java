package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.port.KernelContext;
import dev.bulwark.dataplane.port.NftPort;
import java.util.Map;

/** {@link NftPort} over the namespace's netfilter socket: {@link NftReader} and {@link NftApplier}. */
public final class KernelNft implements NftPort {

    private final KernelContext kernel;
    private final NftApplier applier;

    public KernelNft(KernelContext kernel) {
        this.kernel = kernel;
        this.applier = new NftApplier(kernel.netfilter(), kernel.table());
    }

    @Override
    public Table table() {
        return kernel.table();
    }

    @Override
    public NftState read() {
        NftState live = NftReader.readState(kernel.netfilter(), kernel.table());
        return live == null ? null : new NftState(NftRuleset.canonical(live.ruleset()), live.handles(), live.generation());
    }

    @Override
    public NftState send(NftDelta delta, NftRuleset desired, NftRuleset before) {
        return applier.send(delta, desired, before);
    }

    @Override
    public void remove() {
        applier.remove();
    }

    @Override
    public Map<String, CounterValue> counters() {
        return NftReader.counters(kernel.netfilter(), kernel.table());
    }
}
