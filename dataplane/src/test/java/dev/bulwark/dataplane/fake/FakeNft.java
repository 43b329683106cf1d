package dev.bulwark.dataplane.fake;

import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.nft.CounterValue;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftDelta;
import dev.bulwark.dataplane.nft.NftOp;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.dataplane.nft.NftWords;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.port.NftPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory nft table behind the {@link NftPort}: a batch of m operations occupies m operation numbers and fails
 * whole, changing nothing, when any of them is an injected failure. Deleting an anonymous set in a batch is ENOENT,
 * as the kernel deletes it with its rule. Rule handles are numbered as the kernel does, kept ones kept.
 */
public final class FakeNft implements NftPort {

    private final FakeKernel kernel;
    private final Table table = Table.inet(Table.BULWARK);
    private NftState live;
    private long nextHandle = 1;
    private int generation = 1;
    private long reads;

    FakeNft(FakeKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public Table table() {
        return table;
    }

    @Override
    public NftState read() {
        kernel.read();
        reads++;
        return live;
    }

    @Override
    public NftState send(NftDelta d, NftRuleset desired, NftRuleset before) {
        if (d.isEmpty()) return live;
        String failed = null;
        for (NftOp op : d.ops()) {
            if (kernel.next() && failed == null) failed = op.describe(table);
        }
        if (failed != null) throw new NetlinkException(failed, FakeKernel.EIO, "injected failure of operation in batch");
        if (before != null) {
            for (NftOp op : d.ops()) {
                if (op instanceof NftOp.DeleteSet s && before.sets().containsKey(s.set())
                        && (before.sets().get(s.set()).flags() & Nft.SET_ANONYMOUS) != 0) {
                    throw FakeKernel.refuse(op.describe(table), FakeKernel.ENOENT, null); // the kernel deleted it with its rule
                }
            }
        }
        live = withHandles(desired, d);
        generation++;
        return live;
    }

    @Override
    public void remove() {
        kernel.operation("add table " + NftWords.table(table));
        kernel.operation("delete table " + NftWords.table(table));
        live = null;
    }

    @Override
    public Map<String, CounterValue> counters() {
        return Map.of(); // the fake passes no packets
    }

    /** Reads of the table so far. */
    public long reads() {
        return reads;
    }

    /** The table as the kernel holds it, or null. */
    public NftRuleset ruleset() {
        return live == null ? null : live.ruleset();
    }

    /** Something outside changes our table (drift): nobody is told. */
    public void replaceBehindOurBack(NftRuleset r) {
        live = r == null ? null : withHandles(r, null);
        generation++;
    }

    private NftState withHandles(NftRuleset r, NftDelta d) {
        Map<String, List<Long>> handles = new LinkedHashMap<>();
        for (var e : r.rules().entrySet()) {
            List<NftDelta.Slot> slots = d == null ? null : d.layout().get(e.getKey());
            List<Long> hs = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                NftDelta.Slot s = slots == null ? null : slots.get(i);
                hs.add(s != null && s.handle() != null ? s.handle() : nextHandle++);
            }
            handles.put(e.getKey(), hs);
        }
        return new NftState(r, handles, generation + 1);
    }
}
