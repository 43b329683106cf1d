package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Lookup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything Bulwark holds in one of its tables: chains, sets, objects and the rules of each chain in order. Desired
 * state (compiled from the config) and live state (read back over netlink) are both this type and compare with
 * {@code equals}; chains, sets and objects are keyed by name, rules are ordered per chain. The names of anonymous
 * sets are the kernel's choice, not part of the value: compare rulesets in {@link #canonical} form.
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

    /**
     * The same ruleset with its anonymous sets ({@link NftSet#isAnonymous}) named canonically: {@code __set0},
     * {@code __set1}, ... in the order of first reference, chain by chain in {@link #chains} order (then chains that
     * have rules but no definition), rule by rule, expression by expression; numbers a named set has are skipped;
     * anonymous sets no rule refers to come last, in set order. Returns {@code r} itself when it is canonical already.
     *
     * <p>This is the one place anonymous set names are made comparable. The kernel names each anonymous set a batch
     * creates ({@code __set%d}: the lowest free number), so after deltas its names depend on the table's history,
     * while the compiler numbers them from {@code __set0} in creation order, which is this order on a full load. The
     * reader returns our table in this form and the applier remembers what it applied in this form (with the chains in
     * the kernel's order), so after any sequence of full applies and deltas the table read back equals the state
     * remembered, and equals {@code canonical(desired)} as long as the kernel lists the chains in {@code desired}'s
     * order: always after a full apply, but a chain a delta creates comes last in the kernel. {@link NftDelta} compares
     * rules by their anonymous sets' content, not names: its result is the same for any naming and chain order.
     */
    public static NftRuleset canonical(NftRuleset r) {
        Set<String> taken = new HashSet<>();
        boolean anonymous = false;
        for (NftSet s : r.sets.values()) {
            if (s.isAnonymous()) anonymous = true;
            else taken.add(s.name());
        }
        if (!anonymous) return r;
        List<String> chains = new ArrayList<>(r.chains.keySet());
        for (String c : r.rules.keySet()) if (!r.chains.containsKey(c)) chains.add(c);
        Map<String, String> names = new LinkedHashMap<>();
        int next = 0;
        for (String c : chains) {
            for (Rule rule : r.rulesOf(c)) {
                for (Expr e : rule.exprs()) {
                    if (!(e instanceof Lookup l) || names.containsKey(l.set())) continue;
                    NftSet s = r.sets.get(l.set());
                    if (s == null || !s.isAnonymous()) continue;
                    while (taken.contains("__set" + next)) next++;
                    names.put(l.set(), "__set" + next++);
                }
            }
        }
        for (NftSet s : r.sets.values()) {
            if (!s.isAnonymous() || names.containsKey(s.name())) continue;
            while (taken.contains("__set" + next)) next++;
            names.put(s.name(), "__set" + next++);
        }
        boolean same = true;
        for (var e : names.entrySet()) same &= e.getKey().equals(e.getValue());
        if (same) return r;

        Map<String, NftSet> sets = new LinkedHashMap<>();
        for (NftSet s : r.sets.values()) if (!s.isAnonymous()) sets.put(s.name(), s);
        for (var e : names.entrySet()) sets.put(e.getValue(), r.sets.get(e.getKey()).withName(e.getValue()));
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        r.rules.forEach((chain, list) -> {
            List<Rule> out = new ArrayList<>(list.size());
            for (Rule rule : list) out.add(renamed(rule, names));
            rules.put(chain, out);
        });
        return new NftRuleset(r.table, r.chains, sets, r.objects, rules);
    }

    /** The rule with its lookups of renamed sets renamed (the same rule when none is). */
    static Rule renamed(Rule rule, Map<String, String> names) {
        List<Expr> exprs = null;
        for (int i = 0; i < rule.exprs().size(); i++) {
            if (rule.exprs().get(i) instanceof Lookup l && names.containsKey(l.set()) && !names.get(l.set()).equals(l.set())) {
                if (exprs == null) exprs = new ArrayList<>(rule.exprs());
                exprs.set(i, new Lookup(l.sreg(), names.get(l.set()), l.dreg(), l.flags()));
            }
        }
        return exprs == null ? rule : new Rule(rule.chain(), exprs, rule.comment());
    }
}
