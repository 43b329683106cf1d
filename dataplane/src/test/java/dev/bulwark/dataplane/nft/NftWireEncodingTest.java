package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.nft.Nft.*;
import static dev.bulwark.dataplane.nft.Rulesets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Log;
import dev.bulwark.dataplane.nft.expr.Masq;
import dev.bulwark.dataplane.nft.expr.Nat;
import dev.bulwark.dataplane.nft.expr.Notrack;
import dev.bulwark.dataplane.nft.expr.Reject;
import dev.bulwark.dataplane.nft.wire.NftMsg;
import dev.bulwark.dataplane.nft.wire.NftWire;
import dev.bulwark.dataplane.nft.wire.NftnlObj;
import dev.bulwark.dataplane.nft.wire.NftnlRule;
import dev.bulwark.dataplane.nft.wire.NftnlSetElems;
import dev.bulwark.dataplane.nft.wire.NlWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The Java encoder of the bulk messages ({@link NftWire}) writes the very bytes libnftnl writes: every rule of the
 * everything ruleset (every expression kind) with and without handle and position, with set ids and template names,
 * expressions with their optional attributes absent and present, counter objects, and element lists of interval sets
 * and verdict maps. Runs without a kernel.
 */
class NftWireEncodingTest {

    private static final byte[] TABLE_NAME = TABLE.name().getBytes(StandardCharsets.UTF_8);

    /** The message bytes (header included) a payload writer produces in a fresh NEWRULE-style message. */
    private static byte[] libnftnl(int type, Consumer<MemorySegment> payload) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(1 << 17, 8);
            MemorySegment nlh = (MemorySegment) LibNftnl.NLMSG_BUILD_HDR.invokeExact(buf, (short) type, (short) TABLE.family(), (short) 0, 1);
            payload.accept(nlh);
            int len = buf.get(ValueLayout.JAVA_INT, 0);
            return buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static byte[] java(int type, Consumer<NlWriter> payload) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(1 << 17, 8);
            MemorySegment nlh = (MemorySegment) LibNftnl.NLMSG_BUILD_HDR.invokeExact(buf, (short) type, (short) TABLE.family(), (short) 0, 1);
            payload.accept(new NlWriter().at(buf, 0));
            int len = buf.get(ValueLayout.JAVA_INT, 0);
            return buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void sameRule(Rule r, Long handle, Long position, Map<String, Integer> ids, Map<String, String> names) {
        byte[] expected;
        try (NftnlRule w = NftnlRule.of(TABLE, r, n -> ids.getOrDefault(n, 0), n -> names.getOrDefault(n, n))) {
            if (handle != null) w.handle(handle);
            if (position != null) w.position(position);
            expected = libnftnl(NftMsg.NEWRULE, w::buildPayload);
        }
        byte[] actual = java(NftMsg.NEWRULE, w -> NftWire.rule(w, NftWire.RuleTarget.of(TABLE.name(), r.chain()), r, handle, position,
                n -> ids.getOrDefault(n, 0), n -> names.getOrDefault(n, n)));
        assertThat(HexFormat.of().formatHex(actual)).as("%s", r).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void rulesAreTheBytesLibnftnlWrites() {
        List<Rule> all = new ArrayList<>();
        everything().rules().values().forEach(all::addAll);
        assertThat(all).hasSizeGreaterThan(15);
        for (Rule r : all) {
            sameRule(r, null, null, Map.of(), Map.of());
            sameRule(r, 1234567890123L, null, Map.of(), Map.of());
            sameRule(r, null, 42L, Map.of(), Map.of());
        }
        // Lookups of sets created in the same batch: an id, and for anonymous ones the template name.
        for (Rule r : all) {
            Map<String, Integer> ids = new java.util.HashMap<>();
            Map<String, String> names = new java.util.HashMap<>();
            for (Expr e : r.exprs()) {
                if (e instanceof dev.bulwark.dataplane.nft.expr.Lookup l) {
                    ids.put(l.set(), 7);
                    names.put(l.set(), NftSet.ANONYMOUS_TEMPLATE);
                }
            }
            sameRule(r, null, null, ids, names);
        }
    }

    @Test
    void optionalAttributesAreTheBytesLibnftnlWrites() {
        List<Rule> rules = List.of(
                rule("input", new Log(null, null, null), new Log("p: ", 4, 2), new Log(null, 7, null), new Log("x", null, 65535)),
                rule("input", new Reject(REJECT_TCP_RST, 0), new Reject(REJECT_ICMPX_UNREACH, 3)),
                rule("post", new Masq(0, null, null), new Masq(4, 1, 2), new Nat(NAT_SNAT, NFPROTO_IPV4, 1, null, null, null, 0),
                        new Nat(NAT_DNAT, NFPROTO_IPV6, 1, 2, 3, 4, 0x10)),
                rule("raw", new Notrack()),
                rule("input", "x".repeat(127), accept()),
                rule("input", "comment only"),
                new Rule("input", List.of(), null));
        for (Rule r : rules) sameRule(r, null, null, Map.of(), Map.of());
    }

    @Test
    void counterObjectsAreTheBytesLibnftnlWrites() {
        for (String name : List.of("c", "rule_r123", "x".repeat(200))) {
            byte[] expected;
            try (NftnlObj o = NftnlObj.of(TABLE, new NftObject.CounterObject(name))) {
                expected = libnftnl(NftMsg.NEWOBJ, o::buildPayload);
            }
            byte[] actual = java(NftMsg.NEWOBJ, w -> NftWire.counter(w, TABLE_NAME, name));
            assertThat(HexFormat.of().formatHex(actual)).isEqualTo(HexFormat.of().formatHex(expected));
        }
    }

    @Test
    void elementListsAreTheBytesLibnftnlWrites() {
        List<List<SetElement>> lists = List.of(
                List.of(adminsElements()),
                List.of(portElements()),
                new ArrayList<>(zonesMap().elements()),
                List.of(SetElement.jump(Bytes.ifname("eth1"), "zone_lan"), new SetElement(Bytes.ifname("eth2"), 0, NF_ACCEPT, null),
                        new SetElement(Bytes.be(1, 16), 0, NF_DROP, null)),
                List.of(SetElement.of(Bytes.of((byte) 1))),
                List.of());
        for (List<SetElement> elements : lists) {
            for (int setId : new int[]{0, 3}) {
                byte[] expected;
                try (NftnlSetElems s = NftnlSetElems.of(TABLE, "s", setId, elements)) {
                    expected = libnftnl(NftMsg.NEWSETELEM, s::buildPayload);
                }
                byte[] actual = java(NftMsg.NEWSETELEM, w -> NftWire.elements(w, TABLE_NAME, "s", setId, elements));
                assertThat(HexFormat.of().formatHex(actual)).as("%s", elements).isEqualTo(HexFormat.of().formatHex(expected));
            }
        }
        // 2,000 elements: every index of the element nests, as libnftnl numbers them.
        List<SetElement> many = new ArrayList<>(NftLargeSetTest.intervals(1000));
        byte[] expected;
        try (NftnlSetElems s = NftnlSetElems.of(TABLE, "big", 0, many)) {
            expected = libnftnl(NftMsg.NEWSETELEM, s::buildPayload);
        }
        assertThat(java(NftMsg.NEWSETELEM, w -> NftWire.elements(w, TABLE_NAME, "big", 0, many))).isEqualTo(expected);
    }

    @Test
    void elementListsParseAsLibnftnlParsesThem() {
        List<List<SetElement>> lists = List.of(List.of(adminsElements()), List.of(portElements()),
                new ArrayList<>(zonesMap().elements()),
                List.of(SetElement.jump(Bytes.ifname("eth1"), "zone_lan"), new SetElement(Bytes.ifname("eth2"), 0, NF_ACCEPT, null)),
                new ArrayList<>(NftLargeSetTest.intervals(1000)));
        for (List<SetElement> elements : lists) {
            dev.bulwark.dataplane.netlink.NetlinkMessage m;
            try (NftnlSetElems s = NftnlSetElems.of(TABLE, "s", 0, elements)) {
                byte[] all = libnftnl(NftMsg.NEWSETELEM, s::buildPayload); // in a buffer large enough for 2,001 elements
                asTheKernelDumpsThem(MemorySegment.ofArray(all));
                m = new dev.bulwark.dataplane.netlink.NetlinkMessage(NftMsg.type(NftMsg.NEWSETELEM), 0, 1, 0,
                        MemorySegment.ofArray(java.util.Arrays.copyOfRange(all, 16, all.length)));
            }
            List<SetElement> viaLibnftnl;
            try (NftnlSetElems back = NftnlSetElems.parse(m)) {
                viaLibnftnl = back.toValues("s");
            }
            List<SetElement> inJava = new ArrayList<>();
            NftWire.parseElements(m.payload(), "s", inJava);
            assertThat(inJava).isEqualTo(viaLibnftnl).isEqualTo(elements);
        }
    }

    /**
     * What libnftnl sends numbers its element nests 1, 2, 3 ...; the kernel's dump (and libnftnl's parser) has
     * NFTA_LIST_ELEM (1) for each.
     */
    private static void asTheKernelDumpsThem(MemorySegment msg) {
        var u16 = ValueLayout.JAVA_SHORT_UNALIGNED;
        for (long pos = 20; pos + 4 <= msg.byteSize(); ) {
            int len = Short.toUnsignedInt(msg.get(u16, pos));
            if ((msg.get(u16, pos + 2) & 0x3FFF) == 3) {
                for (long e = pos + 4; e + 4 <= pos + len; ) {
                    int elen = Short.toUnsignedInt(msg.get(u16, e));
                    msg.set(u16, e + 2, (short) 0x8001);
                    e += (elen + 3) & ~3;
                }
            }
            pos += (len + 3) & ~3;
        }
    }

    @Test
    void rulesParseAsLibnftnlParsesThem() {
        List<Rule> all = new ArrayList<>();
        everything().rules().values().forEach(all::addAll);
        all.add(rule("input", new Log(null, null, null), new Log("p: ", 4, 2), new Log(null, 7, null)));
        all.add(rule("input", new Reject(REJECT_TCP_RST, 0), new Reject(REJECT_ICMPX_UNREACH, 3)));
        all.add(rule("post", new Masq(0, null, null), new Masq(4, 1, 2), new Nat(NAT_DNAT, NFPROTO_IPV6, 1, 2, 3, 4, 0x10)));
        all.add(rule("raw", new Notrack()));
        all.add(new Rule("input", List.of(), "only a comment"));
        for (Rule r : all) {
            dev.bulwark.dataplane.netlink.NetlinkMessage m;
            try (NftnlRule w = NftnlRule.of(TABLE, r, n -> 0)) {
                w.handle(77);
                m = NftLeakTest.encode(NftMsg.NEWRULE, w::buildPayload);
            }
            Rule viaLibnftnl;
            long handle;
            try (NftnlRule back = NftnlRule.parse(m)) {
                viaLibnftnl = back.toValue();
                handle = back.handle();
            }
            NftWire.ParsedRule inJava = NftWire.parseRule(m.payload());
            assertThat(inJava.rule()).isEqualTo(viaLibnftnl).isEqualTo(r);
            assertThat(inJava.handle()).isEqualTo(handle).isEqualTo(77);
            assertThat(inJava.table()).isEqualTo(TABLE.name());
        }
    }

    @Test
    void refusesWhatLibnftnlRefuses() {
        assertThatThrownBy(() -> java(NftMsg.NEWRULE, w -> NftWire.rule(w, NftWire.RuleTarget.of("t", "c"),
                rule("input", "x".repeat(128), accept()), null, null, n -> 0, n -> n)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> java(NftMsg.NEWSETELEM, w -> NftWire.elements(w, TABLE_NAME, "s", 0,
                List.of(SetElement.of(Bytes.be(0, 65)))))).isInstanceOf(IllegalArgumentException.class);
    }
}
