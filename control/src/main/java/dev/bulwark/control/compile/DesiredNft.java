package dev.bulwark.control.compile;

import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.stmt.StatementRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nftables part of the desired state: our table as the kernel holds it, the {@code nft -f} script that builds
 * it, and the text of every rule (per chain, parallel to {@link NftRuleset#rulesOf}) so that a plan can show a rule
 * as people write it rather than as kernel expressions.
 */
public record DesiredNft(NftRuleset ruleset, String text, Map<String, List<String>> ruleTexts) {

    public DesiredNft {
        Map<String, List<String>> t = new LinkedHashMap<>();
        ruleTexts.forEach((chain, texts) -> t.put(chain, List.copyOf(texts)));
        ruleTexts = Collections.unmodifiableMap(t);
        for (var e : ruleset.rules().entrySet()) {
            if (t.getOrDefault(e.getKey(), List.of()).size() != e.getValue().size()) {
                throw new IllegalArgumentException("chain " + e.getKey() + ": " + e.getValue().size() + " rules but "
                        + t.getOrDefault(e.getKey(), List.of()).size() + " rule texts");
            }
        }
    }

    public static DesiredNft of(CompiledNft compiled) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        for (StatementRule r : compiled.rules()) texts.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(r.render());
        return new DesiredNft(compiled.ruleset(), compiled.text(), texts);
    }

    /** A ruleset without statement texts (tests, or a ruleset read back): rules show by their comment only. */
    public static DesiredNft of(NftRuleset ruleset) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        ruleset.rules().forEach((chain, rules) -> texts.put(chain,
                rules.stream().map(r -> r.comment() == null ? "" : "comment \"" + r.comment() + "\"").toList()));
        return new DesiredNft(ruleset, "", texts);
    }

    /** The text of the {@code index}-th (0-based) rule of {@code chain}, or null. */
    public String ruleText(String chain, int index) {
        List<String> l = ruleTexts.get(chain);
        return l == null || index < 0 || index >= l.size() ? null : l.get(index);
    }

    /** The text of a rule equal to {@code rule}, wherever it is, or null. */
    public String ruleText(Rule rule) {
        List<Rule> rules = ruleset.rulesOf(rule.chain());
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).equals(rule)) return ruleText(rule.chain(), i);
        return null;
    }
}
