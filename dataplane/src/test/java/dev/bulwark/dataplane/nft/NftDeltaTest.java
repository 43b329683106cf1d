package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.nft.Nft.*;
import static dev.bulwark.dataplane.nft.Rulesets.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.nft.expr.Lookup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The delta computation alone (no kernel): only the difference, in an order the kernel accepts, with handles known. */
class NftDeltaTest {

    /** A state as the applier would remember it, with made-up handles 100, 101, ... per chain. */
    static NftState state(NftRuleset r) {
        Map<String, List<Long>> handles = new LinkedHashMap<>();
        long h = 100;
        for (var e : r.rules().entrySet()) {
            List<Long> l = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) l.add(h++);
            handles.put(e.getKey(), l);
        }
        return new NftState(r, handles, 1);
    }

    static NftRuleset base() {
        return builder()
                .chain(Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_DROP))
                .chain(Chain.regular("a"))
                .set(set("admins", TYPE_IPADDR, 4, SET_INTERVAL, adminsElements()))
                .rule(rule("input", dport(6, 22), accept()))
                .rule(rule("input", saddr4(), new Lookup(REG_1, "admins", null, 0), accept()))
                .rule(rule("input", iifname("eth0"), jump("a")))
                .rule(rule("a", drop()))
                .build();
    }

    @Test
    void nothingChangedIsNothingSent() {
        assertThat(NftDelta.between(state(base()), base()).isEmpty()).isTrue();
    }

    @Test
    void oneElementIsOneElementOperation() {
        NftRuleset more = from(base()).elements("admins", SetElement.of(ip(1, 2, 3, 4)), SetElement.intervalEnd(ip(1, 2, 3, 5))).build();
        NftDelta d = NftDelta.between(state(base()), more);
        assertThat(d.ops()).containsExactly(new NftOp.AddElements("admins",
                List.of(SetElement.of(ip(1, 2, 3, 4)), SetElement.intervalEnd(ip(1, 2, 3, 5)))));
        assertThat(d.layout().get("input")).extracting(NftDelta.Slot::handle).containsExactly(100L, 101L, 102L);
    }

    @Test
    void aChangedRuleIsReplacedByHandleInPlace() {
        NftRuleset changed = from(base()).replaceRule(1, rule("input", saddr4(), new Lookup(REG_1, "admins", null, LOOKUP_F_INV), drop())).build();
        NftDelta d = NftDelta.between(state(base()), changed);
        assertThat(d.ops()).singleElement().isInstanceOfSatisfying(NftOp.ReplaceRule.class, r -> {
            assertThat(r.handle()).isEqualTo(101L);
            assertThat(r.describe(TABLE)).isEqualTo("replace rule inet bulwark input handle 101 (rule 2)");
        });
        assertThat(d.layout().get("input")).extracting(NftDelta.Slot::handle).containsExactly(100L, null, 102L);
    }

    @Test
    void insertionsGoBeforeTheNextKeptRuleOrAtTheEnd() {
        NftRuleset changed = from(base())
                .rule(0, rule("input", dport(6, 80), accept()))
                .rule(rule("input", dport(6, 443), accept()))
                .noRule("input", 2) // the lookup rule (index 1 before the insertion at 0)
                .build();
        NftDelta d = NftDelta.between(state(base()), changed);
        assertThat(d.ops()).extracting(o -> o.describe(TABLE)).containsExactly(
                "delete rule inet bulwark input handle 101",
                "insert rule inet bulwark input position 100 (rule 1)",
                "add rule inet bulwark input (rule 4)");
    }

    @Test
    void aRemadeSetTakesItsRulesWithIt() {
        NftRuleset changed = from(base()).set(set("admins", TYPE_IPADDR, 4, 0, SetElement.of(ip(10, 0, 0, 1)))).build();
        NftDelta d = NftDelta.between(state(base()), changed);
        assertThat(d.ops()).extracting(o -> o.describe(TABLE)).containsExactly(
                "delete rule inet bulwark input handle 101",
                "delete set inet bulwark admins",
                "add set inet bulwark admins",
                "add element inet bulwark admins",
                "insert rule inet bulwark input position 102 (rule 2)");
    }

    @Test
    void aChainThatGoesIsFlushedFirstAndDeletedLast() {
        NftRuleset changed = from(base()).noChain("a").replaceRule(2, rule("input", iifname("eth0"), drop())).build();
        NftDelta d = NftDelta.between(state(base()), changed);
        assertThat(d.ops()).extracting(o -> o.describe(TABLE)).containsExactly(
                "flush chain inet bulwark a",
                "replace rule inet bulwark input handle 102 (rule 3)",
                "delete chain inet bulwark a");
    }

    @Test
    void aFullApplyReplacesTheTableInOneBatch() {
        NftDelta d = NftDelta.full(base());
        assertThat(d.ops()).extracting(o -> o.describe(TABLE)).startsWith(
                "add table inet bulwark", "delete table inet bulwark", "add table inet bulwark",
                "add chain inet bulwark input", "add chain inet bulwark a", "add set inet bulwark admins", "add element inet bulwark admins");
        assertThat(d.layout().get("input")).hasSize(3).allMatch(s -> s.handle() == null);
    }

    // ---- anonymous sets ----------------------------------------------------------------------------------------

    static NftSet anon(String name, int... ports) {
        java.util.TreeSet<SetElement> e = new java.util.TreeSet<>();
        for (int p : ports) e.add(SetElement.of(Bytes.be(p, 2)));
        return new NftSet(name, TYPE_INET_SERVICE, 2, SET_ANONYMOUS | SET_CONSTANT, null, 0, e);
    }

    static Rule anonRule(String chain, String set) {
        return rule(chain, l4(6), new dev.bulwark.dataplane.nft.expr.Payload(PAYLOAD_TRANSPORT_HEADER, 2, 2, REG_1),
                new Lookup(REG_1, set, null, 0), accept());
    }

    /** input: { 22, 80 } as __set0, { 25, 587 } as __set1; a: { 53, 67 } as __set2. */
    static NftRuleset anonBase() {
        return builder()
                .chain(Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_DROP))
                .chain(Chain.regular("a"))
                .set(anon("__set0", 22, 80)).set(anon("__set1", 25, 587)).set(anon("__set2", 53, 67))
                .rule(anonRule("input", "__set0")).rule(anonRule("input", "__set1")).rule(anonRule("a", "__set2"))
                .build();
    }

    @Test
    void anonymousSetsCompareByContentNotName() {
        NftRuleset renamed = builder()
                .chain(Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_DROP))
                .chain(Chain.regular("a"))
                .set(anon("__set7", 22, 80)).set(anon("__set3", 25, 587)).set(anon("__set0", 53, 67))
                .rule(anonRule("input", "__set7")).rule(anonRule("input", "__set3")).rule(anonRule("a", "__set0"))
                .build();
        assertThat(renamed).isNotEqualTo(anonBase());
        assertThat(NftRuleset.canonical(renamed)).isEqualTo(anonBase());
        NftRuleset base = anonBase();
        assertThat(NftRuleset.canonical(base)).as("canonical already").isSameAs(base);
        assertThat(NftDelta.between(state(renamed), anonBase()).isEmpty()).isTrue();
        assertThat(NftDelta.between(state(anonBase()), renamed).isEmpty()).isTrue();
    }

    @Test
    void canonicalNamesFollowChainAndRuleOrderAndSkipNamedSets() {
        NftRuleset r = builder()
                .chain(Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_DROP))
                .chain(Chain.regular("a"))
                .set(set("__set1", TYPE_IPADDR, 4, 0)) // a named set that happens to look like an anonymous one
                .set(anon("x", 1, 2)).set(anon("y", 3, 4)).set(anon("unused", 5, 6))
                .rule(anonRule("a", "x")).rule(anonRule("input", "y"))
                .build();
        NftRuleset c = NftRuleset.canonical(r);
        assertThat(c.sets().keySet()).containsExactlyInAnyOrder("__set1", "__set0", "__set2", "__set3");
        assertThat(c.sets().get("__set0").elements()).isEqualTo(r.sets().get("y").elements());
        assertThat(c.sets().get("__set2").elements()).isEqualTo(r.sets().get("x").elements());
        assertThat(c.sets().get("__set3").elements()).isEqualTo(r.sets().get("unused").elements());
        assertThat(c.rulesOf("input").getFirst()).isEqualTo(anonRule("input", "__set0"));
        assertThat(NftRuleset.canonical(c)).isSameAs(c);
    }

    @Test
    void aDeletedRuleTakesItsAnonymousSetWithIt() {
        NftRuleset changed = from(anonBase()).noRule("input", 0).build();
        NftDelta d = NftDelta.between(state(anonBase()), NftRuleset.canonical(changed));
        assertThat(d.ops()).extracting(o -> o.describe(TABLE)).containsExactly("delete rule inet bulwark input handle 100");
    }

    @Test
    void anAnonymousSetThatChangedIsANewSetAndTheRuleReplaced() {
        NftRuleset changed = from(anonBase()).set(anon("__set1", 25, 465, 587)).build();
        NftDelta d = NftDelta.between(state(anonBase()), changed);
        assertThat(d.ops()).extracting(o -> o.describe(TABLE)).containsExactly(
                "add set inet bulwark __set1", "add element inet bulwark __set1",
                "replace rule inet bulwark input handle 101 (rule 2)");
    }

    @Test
    void aNewRuleComesAfterItsAnonymousSetInFullAndDeltas() {
        NftRuleset changed = builder() // { 1, 2 } inserted, numbered as the compiler numbers (the others renumbered)
                .chain(Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_DROP))
                .chain(Chain.regular("a"))
                .set(anon("__set0", 22, 80)).set(anon("__set1", 1, 2)).set(anon("__set2", 25, 587)).set(anon("__set3", 53, 67))
                .rule(anonRule("input", "__set0")).rule(anonRule("input", "__set1")).rule(anonRule("input", "__set2"))
                .rule(anonRule("a", "__set3"))
                .build();
        NftDelta d = NftDelta.between(state(anonBase()), changed);
        assertThat(d.ops()).extracting(o -> o.describe(TABLE)).containsExactly(
                "add set inet bulwark __set1", "add element inet bulwark __set1",
                "insert rule inet bulwark input position 101 (rule 2)");
        assertThat(((NftOp.AddSet) d.ops().getFirst()).set().elements()).isEqualTo(anon("x", 1, 2).elements());
        assertThat(NftDelta.full(anonBase()).ops()).extracting(o -> o.describe(TABLE)).containsSequence(
                "add set inet bulwark __set0", "add element inet bulwark __set0", "add rule inet bulwark input (rule 1)",
                "add set inet bulwark __set1", "add element inet bulwark __set1", "add rule inet bulwark input (rule 2)");
    }
}
