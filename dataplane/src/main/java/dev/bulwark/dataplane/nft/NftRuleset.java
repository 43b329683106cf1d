package dev.bulwark.dataplane.nft;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything Bulwark holds in one of its tables: chains, sets, objects and the rules of each chain in order. Desired
 * state (compiled from the config) and live state (read back over netlink) are both this type and compare with
 * {@code equals}; chains, sets and objects are keyed by name, rules are ordered per chain.
 */
public record NftRuleset(Table table, Map<String, Chain> chains, Map<String, NftSet> sets, Map<String, NftObject> objects,
                         Map<String, List<Rule>> rules) {

    public NftRuleset {
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
        objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
        Map<String, List<Rule>> r = new LinkedHashMap<>();
        rules.forEach((k, v) -> {
            if (!v.isEmpty()) r.put(k, List.copyOf(v)); // a chain without rules and one with an empty list are the same
        });
        rules = Collections.unmodifiableMap(r);
    }

    public static NftRuleset empty(Table table) {
        return new NftRuleset(table, Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** Rules of a chain, in order; empty for a chain without rules. */
    public List<Rule> rulesOf(String chain) {
        return rules.getOrDefault(chain, List.of());
    }
}
