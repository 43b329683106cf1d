package dev.bulwark.control.compile;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.NftApplier;
import dev.bulwark.dataplane.nft.NftReader;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiled configs applied through Bulwark's own netlink path and read back over netlink compare equal to the
 * desired ruleset; applying again sends nothing; `nft -j list` of what we built equals what `nft -f` builds from
 * our rendered text in a second namespace.
 */
@KernelTest({NETNS, NFTABLES, NFT_CLI})
class NftApplyReadBackTest {

    static Stream<Path> configs() throws Exception {
        List<Path> out = new java.util.ArrayList<>(List.of(Path.of("..", "examples", "home-router.yaml"), Path.of("..", "examples", "small-office.yaml")));
        try (Stream<Path> s = Files.list(Path.of("src", "test", "resources", "compile"))) {
            s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(out::add);
        }
        return out.stream();
    }

    static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("timeout: " + String.join(" ", cmd));
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** nft -j output without handles, so two namespaces' listings compare. */
    static String listing(String ns) throws Exception {
        return sh("ip", "netns", "exec", ns, "nft", "-j", "list", "table", "inet", "bulwark").replaceAll("\"handle\": ?\\d+,?", "");
    }

    @ParameterizedTest
    @MethodSource("configs")
    void appliedRulesetReadsBackEqualAndMatchesNft(Path config) throws Exception {
        CompiledNft compiled = NftCompiler.compile(ConfigLoader.load(config).orThrow()).compiled();
        String ours = "bwt-rb-" + ProcessHandle.current().pid();
        String theirs = "bwt-rbnft-" + ProcessHandle.current().pid();
        sh("ip", "netns", "add", ours);
        sh("ip", "netns", "add", theirs);
        try (NetNamespace ns = NetNamespace.named(ours); NetlinkSocket s = ns.open(NetlinkSocket.NETLINK_NETFILTER)) {
            NftApplier applier = new NftApplier(s, Table.inet(Table.BULWARK));
            var applied = applier.applyFull(compiled.ruleset());
            NftRuleset live = NftReader.read(s, Table.inet(Table.BULWARK));
            assertThat(live).isEqualTo(compiled.ruleset());

            long changes = s.changesSent();
            applier.apply(applied, compiled.ruleset());
            assertThat(s.changesSent()).as("a no-op apply sends nothing").isEqualTo(changes);

            Path script = Files.createTempFile("bulwark", ".nft");
            try {
                Files.writeString(script, compiled.text());
                sh("ip", "netns", "exec", theirs, "nft", "-f", script.toString());
            } finally {
                Files.deleteIfExists(script);
            }
            assertThat(listing(ours)).isEqualTo(listing(theirs));
        } finally {
            new ProcessBuilder("ip", "netns", "del", ours).start().waitFor(30, TimeUnit.SECONDS);
            new ProcessBuilder("ip", "netns", "del", theirs).start().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
