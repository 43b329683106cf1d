package dev.bulwark.dataplane.nft.stmt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Log;
import dev.bulwark.dataplane.nft.expr.Nat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads a script into a namespace with {@code nft -f} and checks that the kernel then holds exactly the given ruleset:
 * {@code nft --debug=netlink list table} prints every rule's expressions (the kernel's dump, anonymous sets with their
 * real names) and every set's elements, which must equal ours printed by {@link ExprText}.
 */
public final class RulesetDifferential {
    private RulesetDifferential() {
    }

    public static void loadAndCompare(TestNamespace ns, Path dir, String script, NftRuleset expected) throws IOException {
        Path file = dir.resolve("ruleset.nft");
        Files.writeString(file, script);
        TestNamespace.Result load = ns.tryExec("nft", "-f", file.toString());
        assertThat(load.code()).as("nft -f of\n%s\n%s", numbered(script), load.output()).isZero();
        String table = NftText.family(expected.table().family()) + " " + expected.table().name();
        String dump = ns.exec("nft", "--debug=netlink", "list", "table", NftText.family(expected.table().family()), expected.table().name());
        NftDebug.Output out = NftDebug.parse(dump);

        Map<String, List<String>> kernelRules = new TreeMap<>();
        for (NftDebug.RuleText r : out.rules()) {
            kernelRules.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(String.join("\n", r.exprs().stream()
                    .map(RulesetDifferential::normalise).toList()));
        }
        Map<String, List<String>> ours = new TreeMap<>();
        expected.rules().forEach((chain, rules) -> {
            for (Rule r : rules) {
                ours.computeIfAbsent(chain, k -> new ArrayList<>()).add(ExprText.lines(r.exprs().stream().map(RulesetDifferential::echo).toList()));
            }
        });
        assertThat(ours).as("rules of %s", table).isNotEmpty();
        assertThat(kernelRules).as("rules of %s in the kernel after loading it", table).isEqualTo(ours);

        Map<String, List<String>> kernelSets = new TreeMap<>();
        for (NftDebug.SetText s : out.sets()) kernelSets.put(s.name(), s.elements().stream().sorted().toList());
        Map<String, List<String>> ourSets = new TreeMap<>();
        for (NftSet s : expected.sets().values()) ourSets.put(s.name(), elements(s));
        assertThat(kernelSets).as("set elements of %s in the kernel after loading it", table).isEqualTo(ourSets);
    }

    /**
     * How the kernel echoes an expression it was sent (net/netfilter/nft_nat.c, nft_log.c): a NAT without a maximum
     * address or port reports the minimum's register as maximum and adds NF_NAT_RANGE_MAP_IPS when it has an address;
     * a log without level or group reports level warn (4).
     */
    public static Expr echo(Expr e) {
        if (e instanceof Nat n) {
            Integer amax = n.regAddrMin() != null && n.regAddrMax() == null ? n.regAddrMin() : n.regAddrMax();
            Integer pmax = n.regProtoMin() != null && n.regProtoMax() == null ? n.regProtoMin() : n.regProtoMax();
            int flags = n.flags() | (n.regAddrMin() != null ? 0x1 : 0);
            return new Nat(n.type(), n.family(), n.regAddrMin(), amax, n.regProtoMin(), pmax, flags);
        }
        if (e instanceof Log l && l.level() == null && l.group() == null) return new Log(l.prefix(), 4, null);
        return e;
    }

    /** A dump prints a lookup's flags even when zero; a request prints them only when set. */
    public static String normalise(String line) {
        return line.replaceFirst("^(  \\[ lookup .*) 0x0 \\]$", "$1 ]");
    }

    public static List<String> elements(NftSet s) {
        List<String> out = new ArrayList<>();
        for (SetElement e : s.elements()) {
            out.add(ExprText.key(e.key()) + " : " + (e.verdict() != null
                    ? ExprText.verdict(e.verdict()) + (e.verdictChain() != null ? " -> " + e.verdictChain() : "") + " " : "") + e.flags());
        }
        out.sort(null);
        return out;
    }

    public static String numbered(String s) {
        String[] lines = s.split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) sb.append(String.format("%3d  %s%n", i + 1, lines[i]));
        return sb.toString();
    }
}
