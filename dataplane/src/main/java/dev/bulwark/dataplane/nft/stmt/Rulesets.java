package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.Rule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fills a ruleset with statement rules, as the kernel holds them after {@code nft -f} of {@link NftText#script}. */
public final class Rulesets {
    private Rulesets() {
    }

    /**
     * {@code base} (table, chains, named sets, objects; its rules are ignored) with the rules lowered, chain by chain in
     * the ruleset's chain order. Each anonymous set becomes a set of the ruleset named as the kernel names it when the
     * table is created in one go: {@code __set0}, {@code __set1}, ... in creation order (the order nft adds the rules).
     * After rules are replaced one by one the kernel's numbers differ; compare anonymous sets by the rule that uses
     * them, not by name.
     */
    public static NftRuleset withRules(NftRuleset base, List<StatementRule> rules) {
        Map<String, List<StatementRule>> byChain = new LinkedHashMap<>();
        for (String c : base.chains().keySet()) byChain.put(c, new ArrayList<>());
        for (StatementRule r : rules) {
            List<StatementRule> l = byChain.get(r.chain());
            if (l == null) throw new IllegalArgumentException("rule for unknown chain " + r.chain() + ": " + r.render());
            l.add(r);
        }
        Map<String, NftSet> sets = new LinkedHashMap<>(base.sets());
        Map<String, List<Rule>> lowered = new LinkedHashMap<>();
        int[] next = {0};
        for (Map.Entry<String, List<StatementRule>> e : byChain.entrySet()) {
            List<Rule> out = new ArrayList<>();
            for (StatementRule r : e.getValue()) {
                out.add(r.toRule(anon -> {
                    String name = "__set" + next[0]++;
                    if (sets.putIfAbsent(name, anon.toNftSet(name)) != null) throw new IllegalArgumentException("set name " + name + " is taken");
                    return name;
                }));
            }
            lowered.put(e.getKey(), out);
        }
        return new NftRuleset(base.table(), base.chains(), sets, base.objects(), lowered);
    }
}
