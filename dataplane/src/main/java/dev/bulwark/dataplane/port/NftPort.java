package dev.bulwark.dataplane.port;

import dev.bulwark.dataplane.nft.CounterValue;
import dev.bulwark.dataplane.nft.KernelNft;
import dev.bulwark.dataplane.nft.NftDelta;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.dataplane.nft.Table;
import java.util.Map;

/**
 * Our nftables table (and only ours: foreign tables are never read or touched). Remembers nothing: the caller passes
 * what it knows and keeps what {@link #send} returns.
 */
public interface NftPort {

    PortKind<NftPort> KIND = new PortKind<>("nft", NftPort.class, KernelNft::new);

    /** The table this port owns ({@code inet bulwark}). */
    Table table();

    /**
     * Reads our table with rule handles, in canonical form ({@code nft -a list table inet bulwark}); null when there is
     * none. Throws {@link dev.bulwark.dataplane.nft.NftUnsupportedException} for content Bulwark cannot represent.
     */
    NftState read();

    /**
     * Sends {@code delta} as one atomic batch ({@code nft -f}); it brings the table from {@code before} (null: none,
     * or a delta that replaces it whole) to {@code desired}. Returns the table as it is after, with handles, or null
     * when that cannot be told (read it back). On a refusal nothing was applied, and it throws.
     */
    NftState send(NftDelta delta, NftRuleset desired, NftRuleset before);

    /** Deletes our table ({@code nft delete table inet bulwark}); foreign tables stay. */
    void remove();

    /**
     * Packets and bytes of every named counter of our table, by counter name ({@code nft list counters table inet
     * bulwark}); empty when the table does not exist.
     */
    Map<String, CounterValue> counters();
}
