package dev.bulwark.dataplane.nft;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our table as the kernel holds it: its value, the kernel handle of every rule (per chain, in rule order, parallel
 * to {@link NftRuleset#rulesOf}) and the ruleset generation at which this was true. This is what the applier keeps
 * in memory after applying, so that the next change can be sent as a delta (one rule replaced by handle, one set
 * element added) without re-reading the kernel.
 */
public record NftState(NftRuleset ruleset, Map<String, List<Long>> handles, int generation) {

    public NftState {
        Map<String, List<Long>> h = new LinkedHashMap<>();
        handles.forEach((chain, list) -> {
            if (!list.isEmpty()) h.put(chain, List.copyOf(list));
        });
        handles = Collections.unmodifiableMap(h);
        for (var e : ruleset.rules().entrySet()) {
            int n = h.getOrDefault(e.getKey(), List.of()).size();
            if (n != e.getValue().size()) {
                throw new IllegalArgumentException("chain " + e.getKey() + ": " + e.getValue().size() + " rules but " + n + " handles");
            }
        }
    }

    /** Handles of a chain's rules, in order. */
    public List<Long> handlesOf(String chain) {
        return handles.getOrDefault(chain, List.of());
    }

    /** The rules of a chain with their handles. */
    public List<Rule.LiveRule> liveRules(String chain) {
        List<Rule> rules = ruleset.rulesOf(chain);
        List<Long> h = handlesOf(chain);
        java.util.ArrayList<Rule.LiveRule> out = new java.util.ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) out.add(new Rule.LiveRule(h.get(i), rules.get(i)));
        return out;
    }
}
