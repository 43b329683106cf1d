package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.nft.Nft.*;
import static dev.bulwark.dataplane.nft.Rulesets.*;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A set of 100,000 intervals (200,001 kernel elements): applied in one batch of element messages that each stay
 * under the kernel's 64 KiB attribute limit, read back equal, then changed by one interval as a delta that sends
 * one element message and reads nothing back.
 */
@KernelTest({NETNS, NFTABLES})
class NftLargeSetTest {

    static final int INTERVALS = 100_000;

    static Bytes v4(long address) {
        return Bytes.be(address, 4);
    }

    /** Interval i is 10.0.0.0 + 4i .. +1 (two addresses), as the kernel holds it: its start and its end (+2). */
    static TreeSet<SetElement> intervals(int n) {
        TreeSet<SetElement> e = new TreeSet<>();
        e.add(SetElement.intervalEnd(v4(0)));
        long base = 10L << 24;
        for (int i = 0; i < n; i++) {
            e.add(SetElement.of(v4(base + 4L * i)));
            e.add(SetElement.intervalEnd(v4(base + 4L * i + 2)));
        }
        return e;
    }

    @Test
    void hundredThousandIntervalsThenOneMoreAsADelta() {
        try (Kernel k = Kernel.create("bigset")) {
            NftSet big = new NftSet("blocklist", TYPE_IPADDR, 4, SET_INTERVAL, null, 0, intervals(INTERVALS));
            NftRuleset first = builder()
                    .chain(Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_ACCEPT))
                    .set(big)
                    .rule(rule("input", saddr4(), new Lookup(REG_1, "blocklist", null, 0), drop()))
                    .build();

            long sent0 = k.socket.messagesSent();
            long t0 = System.nanoTime();
            NftDelta full = k.applier.applyFull(first);
            long t1 = System.nanoTime();
            long messages = k.socket.messagesSent() - sent0;
            NftRuleset read = k.read();
            long t2 = System.nanoTime();
            System.out.printf("100k intervals (%d elements): full apply %d ms in %d netlink messages (one batch), read back %d ms%n",
                    big.elements().size(), (t1 - t0) / 1_000_000, messages, (t2 - t1) / 1_000_000);
            assertThat(read).isEqualTo(first);
            assertThat(full.ops()).filteredOn(o -> o instanceof NftOp.AddElements).hasSize(1);
            assertThat(messages).as("elements split over many messages of a few thousand elements").isGreaterThan(40).isLessThan(200);

            // One more interval: a delta of one message with two elements, nothing read back.
            long base = 11L << 24;
            NftRuleset more = from(first).elements("blocklist", SetElement.of(v4(base)), SetElement.intervalEnd(v4(base + 256))).build();
            long sent1 = k.socket.messagesSent();
            long t3 = System.nanoTime();
            NftDelta d = k.applier.apply(more);
            long t4 = System.nanoTime();
            long deltaMessages = k.socket.messagesSent() - sent1;
            System.out.printf("one interval added to the 100k set: delta %d ms (diff of two 200k-element values included), %d netlink messages%n",
                    (t4 - t3) / 1_000_000, deltaMessages);
            assertThat(d.ops()).hasSize(1);
            assertThat(d.ops().getFirst()).isInstanceOfSatisfying(NftOp.AddElements.class, a -> assertThat(a.elements()).hasSize(2));
            assertThat(deltaMessages).as("GETGEN, BEGIN, one NEWSETELEM, END").isEqualTo(4);

            NftRuleset fewer = from(more).noElements("blocklist", SetElement.of(v4(10L << 24)), SetElement.intervalEnd(v4((10L << 24) + 2))).build();
            NftDelta d2 = k.applier.apply(fewer);
            assertThat(d2.ops()).singleElement().isInstanceOf(NftOp.DeleteElements.class);
            assertThat(k.read()).isEqualTo(fewer);
            assertThat(NftReader.elements(k.socket, TABLE, "blocklist")).hasSize(big.elements().size());

            k.applier.remove();
            assertThat(k.read()).isNull();
        }
    }

    @Test
    void elementMessagesStayUnderTheAttributeLimitForLongKeys() {
        // Verdict map elements with long chain names are the largest: check the split by bytes, not by count.
        try (Kernel k = Kernel.create("bigmap")) {
            String chain = "c".repeat(200);
            TreeSet<SetElement> e = new TreeSet<>();
            for (int i = 0; i < 5_000; i++) e.add(SetElement.jump(Bytes.be(i, 16), chain));
            NftRuleset r = builder().chain(Chain.regular(chain))
                    .set(new NftSet("m", TYPE_IP6ADDR, 16, SET_MAP, DATA_VERDICT, 0, e)).build();
            k.applier.applyFull(r);
            assertThat(k.read()).isEqualTo(r);
            k.applier.apply(from(r).noElements("m", e.first()).build());
            assertThat(k.read().sets().get("m").elements()).hasSize(4_999);
            k.applier.remove();
        }
    }
}
