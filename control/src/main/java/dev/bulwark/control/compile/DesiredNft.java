package dev.bulwark.control.compile;

import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.stmt.NftText;
import dev.bulwark.dataplane.nft.stmt.StatementRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nftables part of the desired state: our table as the kernel holds it and the statements it was compiled from
 * (per chain, parallel to {@link NftRuleset#rulesOf}; empty for a ruleset read back), so that a plan can show a rule
 * as people write it rather than as kernel expressions. Texts are rendered when asked: a commit of a large config
 * renders only the rules its plan shows.
 */
public record DesiredNft(NftRuleset ruleset, List<StatementRule> statements, Map<String, List<StatementRule>> byChain) {

    public DesiredNft {
        statements = List.copyOf(statements);
        Map<String, List<StatementRule>> t = new LinkedHashMap<>();
        byChain.forEach((chain, rules) -> t.put(chain, List.copyOf(rules)));
        byChain = Collections.unmodifiableMap(t);
        if (!statements.isEmpty()) {
            for (var e : ruleset.rules().entrySet()) {
                if (t.getOrDefault(e.getKey(), List.of()).size() != e.getValue().size()) {
                    throw new IllegalArgumentException("chain " + e.getKey() + ": " + e.getValue().size() + " rules but "
                            + t.getOrDefault(e.getKey(), List.of()).size() + " statements");
                }
            }
        }
    }

    public static DesiredNft of(CompiledNft compiled) {
        Map<String, List<StatementRule>> chains = new LinkedHashMap<>();
        for (StatementRule r : compiled.rules()) chains.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(r);
        return new DesiredNft(compiled.ruleset(), compiled.rules(), chains);
    }

    /** A ruleset without statements (tests, or a ruleset read back): rules show by their comment only. */
    public static DesiredNft of(NftRuleset ruleset) {
        return new DesiredNft(ruleset, List.of(), Map.of());
    }

    /** The {@code nft -f} script that builds the table ("" without statements), rendered now. */
    public String text() {
        return statements.isEmpty() ? "" : NftText.script(ruleset, statements);
    }

    /** The text of the {@code index}-th (0-based) rule of {@code chain}, or null. */
    public String ruleText(String chain, int index) {
        List<Rule> rules = ruleset.rulesOf(chain);
        if (index < 0 || index >= rules.size()) return null;
        List<StatementRule> l = byChain.get(chain);
        if (l != null && index < l.size()) return l.get(index).render();
        Rule r = rules.get(index);
        return r.comment() == null ? "" : "comment \"" + r.comment() + "\"";
    }

    /** The text of a rule equal to {@code rule}, wherever it is, or null. */
    public String ruleText(Rule rule) {
        List<Rule> rules = ruleset.rulesOf(rule.chain());
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).equals(rule)) return ruleText(rule.chain(), i);
        return null;
    }
}
