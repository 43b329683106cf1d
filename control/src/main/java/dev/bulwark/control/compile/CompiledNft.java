package dev.bulwark.control.compile;

import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.stmt.StatementRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nftables half of the desired state, compiled from a config.
 *
 * @param ruleset  table {@code inet bulwark} as the kernel holds it after loading {@code text}: chains, sets (the
 *                 config's, the zones', the verdict maps, and the rules' anonymous sets named {@code __set0...}),
 *                 objects and rules lowered to expressions
 * @param rules    the same rules as statements, in chain order (what {@code text} shows)
 * @param text     the {@code nft -f} script that replaces the table: the plan people read
 * @param counters counter object name to the config pointer of the rule or port-forward it counts
 * @param sysctls  conntrack sysctls (table size, timeouts): not nftables state, applied by the sysctl layer
 */
public record CompiledNft(NftRuleset ruleset, List<StatementRule> rules, Map<String, String> counters,
                          List<DesiredSysctl> sysctls) {

    public CompiledNft {
        rules = List.copyOf(rules);
        counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        sysctls = List.copyOf(sysctls);
    }

    /**
     * The {@code nft -f} script that builds the table, rendered when asked (a commit does not need it; for a large
     * set it is megabytes of text).
     */
    public String text() {
        return dev.bulwark.dataplane.nft.stmt.NftText.script(ruleset, rules);
    }

    /** The sysctl values by key, as {@code dev.bulwark.dataplane.conntrack.Sysctls.apply} takes them. */
    public Map<String, Long> sysctlValues() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DesiredSysctl s : sysctls) out.put(s.key(), s.value());
        return out;
    }
}
