package dev.bulwark.control.compile;

import dev.bulwark.dataplane.nft.stmt.NftDebug;
import dev.bulwark.dataplane.nft.stmt.RulesetDifferential;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.stmt.AnonSet;
import dev.bulwark.dataplane.nft.stmt.ExprText;
import dev.bulwark.dataplane.nft.stmt.StatementRule;
import dev.bulwark.dataplane.testing.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden scripts against nft itself, in a throwaway namespace: {@code nft -c -f} accepts each, {@code nft -f} loads
 * it (twice: it replaces itself), the expressions nft generates while loading equal our lowering of every rule (with
 * the elements of every anonymous set), and the table the kernel then holds equals the compiled ruleset (rules with
 * the kernel's anonymous set names, and every set's elements).
 */
@KernelTest({NETNS, NFTABLES, NFT_CLI})
class NftCompilerKernelTest {

    static TestNamespace ns;

    @BeforeAll
    static void namespace() {
        ns = TestNamespace.create("compile");
    }

    @AfterAll
    static void close() {
        if (ns != null) ns.close();
    }

    static java.util.stream.Stream<NftCompilerGoldenTest.Golden> goldens() throws IOException {
        return NftCompilerGoldenTest.goldens();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void nftChecksAndLoadsTheGoldenFile(NftCompilerGoldenTest.Golden g) {
        String file = g.expected().toAbsolutePath().toString();
        TestNamespace.Result check = ns.tryExec("nft", "-c", "-f", file);
        assertThat(check.code()).as("nft -c -f %s: %s", g.expected(), check.output()).isZero();
        TestNamespace.Result load = ns.tryExec("nft", "-f", file);
        assertThat(load.code()).as("nft -f %s: %s", g.expected(), load.output()).isZero();
        TestNamespace.Result again = ns.tryExec("nft", "-f", file);
        assertThat(again.code()).as("nft -f %s a second time: %s", g.expected(), again.output()).isZero();
        assertThat(ns.exec("nft", "list", "tables")).isEqualTo("table inet bulwark\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void nftLowersEveryRuleAsWeDo(NftCompilerGoldenTest.Golden g, @TempDir Path dir) throws IOException {
        CompiledNft c = NftCompilerGoldenTest.compile(g.config());
        Path file = dir.resolve("ruleset.nft");
        Files.writeString(file, c.text());
        TestNamespace.Result r = ns.tryExec("nft", "--debug=netlink", "-f", file.toString());
        assertThat(r.code()).as("nft -f: %s", r.output()).isZero();
        List<NftDebug.RuleText> nft = NftDebug.parse(r.output()).rules();
        List<String> theirs = new ArrayList<>(), ours = new ArrayList<>();
        for (NftDebug.RuleText t : nft) {
            theirs.add(t.chain() + "\n" + String.join("\n", t.exprs().stream().map(ExprText::kernelForm).toList()) + "\n" + anonSets(t));
        }
        for (StatementRule s : c.rules()) {
            ours.add(s.chain() + "\n" + ExprText.rule(s.toRule()) + "\n" + anonSets(s.anonymousSets()) + "\n  # " + s.render());
        }
        assertThat(ours).isNotEmpty();
        // compare rule by rule, each with its text, so a difference names the rule
        assertThat(theirs).hasSameSizeAs(ours);
        for (int i = 0; i < ours.size(); i++) {
            String o = ours.get(i);
            assertThat(theirs.get(i)).as("rule %d: %s", i, o.substring(o.lastIndexOf("# ") + 2)).isEqualTo(o.substring(0, o.lastIndexOf("\n  # ")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void theKernelHoldsTheCompiledRuleset(NftCompilerGoldenTest.Golden g, @TempDir Path dir) throws IOException {
        CompiledNft c = NftCompilerGoldenTest.compile(g.config());
        RulesetDifferential.loadAndCompare(ns, dir, c.text(), c.ruleset());
    }

    static String anonSets(NftDebug.RuleText t) {
        StringBuilder sb = new StringBuilder();
        for (NftDebug.AnonSetText a : t.anonSets()) {
            sb.append("  set flags ").append(a.flags()).append(": ").append(a.elements().stream().sorted().toList()).append('\n');
        }
        return sb.toString();
    }

    static String anonSets(List<AnonSet> sets) {
        StringBuilder sb = new StringBuilder();
        for (AnonSet a : sets) {
            List<String> el = new ArrayList<>();
            for (SetElement e : a.elements()) el.add(ExprText.key(e.key()) + " : " + e.flags());
            sb.append("  set flags ").append(a.flags()).append(": ").append(el.stream().sorted().toList()).append('\n');
        }
        return sb.toString();
    }
}
