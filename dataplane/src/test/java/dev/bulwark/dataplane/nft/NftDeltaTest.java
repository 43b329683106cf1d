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
}
