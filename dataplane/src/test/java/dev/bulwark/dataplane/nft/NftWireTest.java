package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.nft.Nft.*;
import static dev.bulwark.dataplane.nft.Rulesets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.expr.Log;
import dev.bulwark.dataplane.nft.expr.Masq;
import dev.bulwark.dataplane.nft.expr.Nat;
import dev.bulwark.dataplane.nft.wire.NftMsg;
import dev.bulwark.dataplane.nft.wire.NftnlObj;
import dev.bulwark.dataplane.nft.wire.NftnlRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The libnftnl layer without a kernel (runs without root): every expression kind encodes and parses back equal,
 * libnftnl's own rendering of what we encoded is what {@code nft --debug=netlink} shows for the same rule (so our
 * NFTNL_* attribute numbers are libnftnl's), comments are nft's userdata TLV, and the value types' kernel forms.
 */
class NftWireTest {

    static Rule roundTrip(Rule r) {
        NetlinkMessage m;
        try (NftnlRule w = NftnlRule.of(TABLE, r, name -> 0)) {
            m = NftLeakTest.encode(NftMsg.NEWRULE, w::buildPayload);
        }
        try (NftnlRule back = NftnlRule.parse(m)) {
            return back.toValue();
        }
    }

    static String render(Rule r) {
        try (NftnlRule w = NftnlRule.of(TABLE, r, name -> 0)) {
            return w.toString();
        }
    }

    @Test
    void everyRuleOfTheEverythingRulesetSurvivesEncodeAndParse() {
        int n = 0;
        for (List<Rule> rules : everything().rules().values()) {
            for (Rule r : rules) {
                assertThat(roundTrip(r)).isEqualTo(r);
                n++;
            }
        }
        assertThat(n).isGreaterThan(15);
    }

    @Test
    void libnftnlRendersOurEncodingAsNftDoes() {
        // The lines nft --debug=netlink prints for "tcp dport 22 counter name c_ssh accept comment ssh".
        String s = render(everything().rulesOf("input").getFirst());
        assertThat(s).contains("[ meta load l4proto => reg 1 ]")
                .contains("[ cmp eq reg 1 0x00000006 ]")
                .contains("[ payload load 2b @ transport header + 2 => reg 1 ]")
                .contains("[ cmp eq reg 1 0x00001600 ]")
                .contains("[ objref type 1 name c_ssh ]")
                .contains("[ immediate reg 0 accept ]");
        String nat = render(everything().rulesOf("pre").getFirst());
        assertThat(nat).contains("[ immediate reg 1 0x1401a8c0 ]").contains("[ immediate reg 2 0x0000fb20 ]")
                .contains("[ nat dnat ip addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 2 flags 0x3 ]");
        String ct = render(everything().rulesOf("input").get(1));
        assertThat(ct).contains("[ ct load state => reg 1 ]").contains("[ bitwise reg 1 = ( reg 1 & 0x00000006 ) ^ 0x00000000 ]");
        String log = render(rule("input", new Log("drop: ", 4, null)));
        assertThat(log).contains("[ log prefix drop:  level 4 ]");
    }

    @Test
    void commentsAreNftsUserdataTlv() {
        Rule r = rule("input", "ssh from admins", accept());
        assertThat(roundTrip(r).comment()).isEqualTo("ssh from admins");
        assertThat(render(r)).contains("userdata = { \\x00\\x10ssh from admins\\x00 }");
        assertThat(roundTrip(rule("input", accept())).comment()).isNull();
        assertThatThrownBy(() -> render(rule("input", "x".repeat(128), accept())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 127 bytes");
    }

    @Test
    void objectsSurviveEncodeAndParse() {
        for (NftObject o : List.of(new NftObject.CounterObject("c"), new NftObject.CtHelper("h", "ftp", NFPROTO_INET, 6),
                new NftObject.CtTimeout("t", NFPROTO_IPV4, 17, Map.of(NftObject.CtTimeout.UDP_REPLIED, 20)))) {
            NetlinkMessage m;
            try (NftnlObj w = NftnlObj.of(TABLE, o)) {
                m = NftLeakTest.encode(NftMsg.NEWOBJ, w::buildPayload);
            }
            try (NftnlObj back = NftnlObj.parse(m)) {
                assertThat(back.toValue()).isEqualTo(o);
            }
        }
        assertThatThrownBy(() -> NftnlObj.of(TABLE, new NftObject.CtTimeout("g", NFPROTO_IPV4, 47, Map.of(0, 1))))
                .hasMessageContaining("tcp and udp only");
    }

    @Test
    void valueTypesTakeTheKernelsForm() {
        // What the kernel reports for what nft sends, so that desired and read-back values are equal.
        assertThat(new Nat(NAT_DNAT, NFPROTO_IPV4, REG_1, null, REG_2, null, 0))
                .isEqualTo(new Nat(NAT_DNAT, NFPROTO_IPV4, REG_1, REG_1, REG_2, REG_2, Nat.RANGE_MAP_IPS | Nat.RANGE_PROTO_SPECIFIED));
        assertThat(new Masq(0, REG_1, null)).isEqualTo(new Masq(0, REG_1, REG_1));
        assertThat(new Log("x", null, null).level()).isEqualTo(Log.DEFAULT_LEVEL);
        assertThat(new Log(null, null, 3).level()).isNull();
        assertThat(new Chain("c", HOOK_INPUT, null, null, null)).isEqualTo(Chain.base("c", "filter", HOOK_INPUT, 0, NF_ACCEPT));
        assertThat(new NftSet("m", TYPE_IFNAME, 16, SET_MAP, DATA_VERDICT, 16, new java.util.TreeSet<>()).dataLen()).isZero();
        NftObject.CtTimeout t = new NftObject.CtTimeout("t", NFPROTO_IPV4, 6, Map.of(NftObject.CtTimeout.TCP_ESTABLISHED, 3600));
        assertThat(t.timeouts()).hasSize(11).containsEntry(NftObject.CtTimeout.TCP_ESTABLISHED, 3600).containsEntry(NftObject.CtTimeout.TCP_CLOSE, 10);
        // Map elements that differ only in their verdict are different elements.
        SetElement a = SetElement.jump(Bytes.ifname("eth0"), "a");
        SetElement b = SetElement.jump(Bytes.ifname("eth0"), "b");
        assertThat(a.compareTo(b)).isNotZero();
        assertThat(new java.util.TreeSet<>(List.of(a, b))).hasSize(2);
    }
}
