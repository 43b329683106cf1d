package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.nft.Nft.*;
import static dev.bulwark.dataplane.nft.Rulesets.*;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.nft.wire.NftBatch;
import dev.bulwark.dataplane.nft.wire.NftMsg;
import dev.bulwark.dataplane.nft.wire.NftnlTable;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.testing.KernelTest;
import org.junit.jupiter.api.Test;

/** What must not happen: touching foreign tables, half-applied batches, applying on a stale generation. */
@KernelTest({NETNS, NFTABLES, NFT_CLI})
class NftSafetyTest {

    private static NftRuleset base() {
        return builder()
                .chain(Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_ACCEPT))
                .chain(Chain.regular("zone_wan"))
                .set(set("admins", TYPE_IPADDR, 4, SET_INTERVAL, adminsElements()))
                .rule(rule("input", saddr4(), new Lookup(REG_1, "admins", null, 0), accept()))
                .rule(rule("input", iifname("eth0"), jump("zone_wan")))
                .build();
    }

    @Test
    void foreignTableSurvivesOurApplyAndDelete() {
        try (Kernel k = Kernel.create("foreign")) {
            k.nft("add", "table", "ip", "foreign");
            k.nft("add", "chain", "ip", "foreign", "c", "{ type filter hook input priority 10; }");
            k.nft("add", "rule", "ip", "foreign", "c", "tcp", "dport", "8080", "counter", "accept");
            // A foreign table of the same family and name as ours but another family must survive too.
            k.nft("add", "table", "ip", "bulwark");
            String before = k.nft("list", "table", "ip", "foreign");

            k.applier.applyFull(base());
            assertThat(k.read()).isEqualTo(base());
            k.applier.apply(from(base()).rule(rule("input", dport(6, 22), accept())).build());
            assertThat(k.nft("list", "table", "ip", "foreign")).isEqualTo(before);
            k.applier.applyFull(base());
            k.applier.remove();

            assertThat(k.read()).isNull();
            assertThat(k.nft("list", "table", "ip", "foreign")).isEqualTo(before).contains("tcp dport 8080 counter");
            assertThat(k.nft("list", "tables")).contains("table ip foreign").contains("table ip bulwark");
        }
    }

    @Test
    void aJumpToAMissingChainFailsWithTheKernelsReasonAndChangesNothing() {
        try (Kernel k = Kernel.create("badjump")) {
            k.applier.applyFull(base());
            String listed = k.nft("list", "ruleset");
            NftRuleset bad = from(base()).rule(rule("input", dport(6, 22), jump("no_such_chain"))).build();
            assertThatThrownBy(() -> k.applier.apply(bad))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        System.out.println("kernel refusal: " + e.getMessage());
                        assertThat(e.errno()).isEqualTo(2); // ENOENT
                        assertThat(e.operation()).startsWith("add rule inet bulwark input (rule 3)");
                        assertThat(e.getMessage()).contains("errno 2");
                    });
            assertThat(k.read()).as("the batch is atomic: nothing of it applied").isEqualTo(base());
            assertThat(k.nft("list", "ruleset")).isEqualTo(listed);
            assertThat(k.applier.last()).as("a failure forgets the applied state").isNull();

            // The same as a full apply: the table is neither deleted nor half rebuilt.
            assertThatThrownBy(() -> k.applier.applyFull(bad)).isInstanceOf(NetlinkException.class);
            assertThat(k.read()).isEqualTo(base());
            k.applier.applyFull(base());
            assertThat(k.applier.last()).isNotNull();
        }
    }

    @Test
    void aLookupOfAMissingSetFailsNamingTheExpression() {
        try (Kernel k = Kernel.create("badset")) {
            k.applier.applyFull(base());
            NftRuleset bad = from(base())
                    .set(set("more", TYPE_IPADDR, 4, 0, SetElement.of(ip(192, 0, 2, 1))))
                    .rule(0, rule("input", saddr4(), new Lookup(REG_1, "no_such_set", null, 0), drop()))
                    .build();
            assertThatThrownBy(() -> k.applier.apply(bad))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        System.out.println("kernel refusal: " + e.getMessage() + " [extack: " + e.kernelMessage() + "]");
                        assertThat(e.errno()).isEqualTo(2);
                        assertThat(e.operation()).startsWith("insert rule inet bulwark input position");
                        assertThat(e.operation()).contains("(rule 1)");
                    });
            assertThat(k.read()).isEqualTo(base());
        }
    }

    @Test
    void aDuplicateElementIsNamedByIndexAndKey() {
        try (Kernel k = Kernel.create("badelem")) {
            k.applier.applyFull(base());
            // An overlapping interval: the kernel refuses the element, and nothing else of the batch applies.
            NftRuleset bad = from(base()).chain(Chain.regular("extra"))
                    .elements("admins", SetElement.of(ip(10, 1, 0, 0)), SetElement.intervalEnd(ip(10, 2, 0, 0))).build();
            assertThatThrownBy(() -> k.applier.apply(bad))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        System.out.println("kernel refusal: " + e.getMessage() + " [extack: " + e.kernelMessage() + ", offset " + e.attributeOffset() + "]");
                        assertThat(e.operation()).startsWith("add element inet bulwark admins");
                    });
            assertThat(k.read()).isEqualTo(base());
        }
    }

    @Test
    void aChangeBetweenReadingTheGenerationAndSendingFailsTheBatch() {
        try (Kernel k = Kernel.create("genid")) {
            int generation = NftReader.generation(k.socket);
            k.nft("add", "table", "ip", "someone_else"); // another writer commits in between
            try (NftBatch batch = new NftBatch(k.socket, generation);
                 NftnlTable t = NftnlTable.of(TABLE)) {
                batch.add(NftMsg.NEWTABLE, TABLE.family(), NetlinkSocket.NLM_F_CREATE, "add table inet bulwark", 4096,
                        NftBatch.Kind.OTHER, 0, t::buildPayload);
                assertThatThrownBy(() -> batch.send(m -> { }))
                        .isInstanceOfSatisfying(NftConflictException.class, e -> {
                            System.out.println("stale batch: " + e.getMessage());
                            assertThat(e.errno()).isEqualTo(NftMsg.ERESTART);
                            assertThat(e.expectedGeneration()).isEqualTo(generation);
                            assertThat(e.getMessage()).contains("changed after generation " + Integer.toUnsignedString(generation));
                        });
            }
            assertThat(NftReader.exists(k.socket, TABLE)).as("nothing of the stale batch was applied").isFalse();

            // With the current generation the same batch goes through.
            try (NftBatch batch = new NftBatch(k.socket, NftReader.generation(k.socket));
                 NftnlTable t = NftnlTable.of(TABLE)) {
                batch.add(NftMsg.NEWTABLE, TABLE.family(), NetlinkSocket.NLM_F_CREATE, "add table inet bulwark", 4096,
                        NftBatch.Kind.OTHER, 0, t::buildPayload);
                batch.send(m -> { });
            }
            assertThat(NftReader.exists(k.socket, TABLE)).isTrue();
        }
    }
}
