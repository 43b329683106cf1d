package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.testing.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * Differential check against the reference tool: a ruleset with every object and expression kind, built by us over
 * netlink in one namespace and by {@code nft -f} from the equivalent hand-written text in another, must list the
 * same ({@code nft -j list table}, handles ignored) and hold the same kernel expressions
 * ({@code nft --debug=netlink list table}, handles ignored).
 */
@KernelTest({NETNS, NFTABLES, NFT_CLI})
class NftDifferentialTest {

    /** nft's JSON without handles (which depend on creation order) and without the version banner. */
    static String normalizeJson(String json) {
        return json.replaceAll("\"handle\": ?\\d+, ?", "")
                .replaceAll(", ?\"handle\": ?\\d+", "")
                .replaceAll("\\{\"metainfo\": ?\\{[^}]*}}, ?", "")
                .trim();
    }

    /** The netlink debug listing without the handle numbers after "inet bulwark CHAIN". */
    static String normalizeNetlink(String listing) {
        StringBuilder out = new StringBuilder();
        for (String line : listing.split("\n")) {
            if (line.startsWith("table inet bulwark {")) break; // the text listing that follows: compared as JSON
            out.append(line.replaceAll("^(inet bulwark \\S+)( \\d+)+$", "$1")).append('\n');
        }
        return out.toString().trim();
    }

    @Test
    void whatWeBuildListsAsWhatNftBuildsFromText() {
        try (Kernel ours = Kernel.create("diff-a"); Kernel theirs = Kernel.create("diff-b")) {
            ours.applier.applyFull(Rulesets.everything());
            theirs.nftFile(Rulesets.everythingText());

            String a = normalizeJson(ours.nft("-j", "list", "table", "inet", "bulwark"));
            String b = normalizeJson(theirs.nft("-j", "list", "table", "inet", "bulwark"));
            if (!a.equals(b)) {
                System.out.println("ours:   " + a);
                System.out.println("theirs: " + b);
            }
            assertThat(a).isEqualTo(b);
            assertThat(a).contains("\"comment\": \"ssh\"").contains("\"jump\": {\"target\": \"zone_wan\"}");

            String na = normalizeNetlink(ours.nft("--debug=netlink", "list", "table", "inet", "bulwark"));
            String nb = normalizeNetlink(theirs.nft("--debug=netlink", "list", "table", "inet", "bulwark"));
            assertThat(na).isEqualTo(nb);
            assertThat(na).contains("[ nat dnat ip addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 2 flags 0x3 ]")
                    .contains("[ lookup reg 1 set admins 0x1 ]").contains("userdata = { \\x00\\x04ssh\\x00 }");
            assertThat(a).doesNotContain("\"handle\"").hasSizeGreaterThan(3000);
            System.out.println("differential: " + a.length() + " JSON characters and " + na.lines().count()
                    + " netlink debug lines identical");

            // And what nft built reads back as our value: the expressions above are the ones nft makes.
            assertThat(NftReader.read(theirs.socket, Rulesets.TABLE)).isEqualTo(Rulesets.everything());
        }
    }
}
