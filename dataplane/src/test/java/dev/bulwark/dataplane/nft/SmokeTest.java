package dev.bulwark.dataplane.nft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void everything() {
        try (TestNamespace ns = TestNamespace.create("smoke");
             NetNamespace h = NetNamespace.named(ns.name());
             NetlinkSocket s = h.open(NetlinkSocket.NETLINK_NETFILTER)) {
            NftApplier a = new NftApplier(s, Rulesets.TABLE);
            NftRuleset want = Rulesets.everything();
            a.applyFull(want);
            System.out.println(ns.exec("nft", "list", "ruleset"));
            NftRuleset got = NftReader.read(s, Rulesets.TABLE);
            for (String c : want.rules().keySet()) {
                for (int i = 0; i < want.rulesOf(c).size(); i++) {
                    if (!want.rulesOf(c).get(i).equals(got.rulesOf(c).size() > i ? got.rulesOf(c).get(i) : null)) {
                        System.out.println("WANT " + want.rulesOf(c).get(i) + "\nGOT  " + (got.rulesOf(c).size() > i ? got.rulesOf(c).get(i) : null));
                    }
                }
            }
            want.sets().forEach((k, v) -> { if (!v.equals(got.sets().get(k))) System.out.println("SET WANT " + v + "\nSET GOT  " + got.sets().get(k)); });
            want.objects().forEach((k, v) -> { if (!v.equals(got.objects().get(k))) System.out.println("OBJ WANT " + v + "\nOBJ GOT  " + got.objects().get(k)); });
            want.chains().forEach((k, v) -> { if (!v.equals(got.chains().get(k))) System.out.println("CH WANT " + v + "\nCH GOT  " + got.chains().get(k)); });
            assertThat(got).isEqualTo(want);
        }
    }
}
