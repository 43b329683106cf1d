package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.nft.Nft.*;

import dev.bulwark.dataplane.nft.expr.Bitwise;
import dev.bulwark.dataplane.nft.expr.Cmp;
import dev.bulwark.dataplane.nft.expr.Counter;
import dev.bulwark.dataplane.nft.expr.Ct;
import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Immediate;
import dev.bulwark.dataplane.nft.expr.Limit;
import dev.bulwark.dataplane.nft.expr.Log;
import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.nft.expr.Masq;
import dev.bulwark.dataplane.nft.expr.Meta;
import dev.bulwark.dataplane.nft.expr.Nat;
import dev.bulwark.dataplane.nft.expr.Notrack;
import dev.bulwark.dataplane.nft.expr.Objref;
import dev.bulwark.dataplane.nft.expr.Payload;
import dev.bulwark.dataplane.nft.expr.Range;
import dev.bulwark.dataplane.nft.expr.Reject;
import dev.bulwark.dataplane.nft.expr.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test rulesets built the way nft builds them (each expression list checked against {@code nft --debug=netlink}),
 * and the equivalent nft text for the differential test.
 */
final class Rulesets {
    private Rulesets() {
    }

    static final Table TABLE = Table.inet(Table.BULWARK);

    // ---- expressions as nft emits them --------------------------------------------------------------------------

    static final int CT_KEY_SRC_IP = 19;
    static final int NFT_CT_HELPER_TYPE = OBJECT_CT_HELPER;

    static List<Expr> l4(int proto) {
        return List.of(new Meta(META_L4PROTO, REG_1), new Cmp(REG_1, CMP_EQ, Bytes.of((byte) proto)));
    }

    /** {@code tcp dport 22}: [meta l4proto][cmp eq 6][payload transport+2 len 2][cmp eq 0x0016]. */
    static List<Expr> dport(int proto, int port) {
        return concat(l4(proto), List.of(new Payload(PAYLOAD_TRANSPORT_HEADER, 2, 2, REG_1), new Cmp(REG_1, CMP_EQ, Bytes.be(port, 2))));
    }

    static List<Expr> ip4() {
        return List.of(new Meta(META_NFPROTO, REG_1), new Cmp(REG_1, CMP_EQ, Bytes.of((byte) NFPROTO_IPV4)));
    }

    static List<Expr> saddr4() {
        return concat(ip4(), List.of(new Payload(PAYLOAD_NETWORK_HEADER, 12, 4, REG_1)));
    }

    static List<Expr> iifname(String name) {
        return List.of(new Meta(META_IIFNAME, REG_1), new Cmp(REG_1, CMP_EQ, Bytes.ifname(name)));
    }

    static List<Expr> oifname(String name) {
        return List.of(new Meta(META_OIFNAME, REG_1), new Cmp(REG_1, CMP_EQ, Bytes.ifname(name)));
    }

    static Verdict accept() {
        return new Verdict(NF_ACCEPT, null);
    }

    static Verdict drop() {
        return new Verdict(NF_DROP, null);
    }

    static Verdict jump(String chain) {
        return new Verdict(NFT_JUMP, chain);
    }

    @SafeVarargs
    static List<Expr> concat(List<Expr>... parts) {
        List<Expr> out = new ArrayList<>();
        for (List<Expr> p : parts) out.addAll(p);
        return out;
    }

    static List<Expr> exprs(Object... parts) {
        List<Expr> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Expr e) out.add(e);
            else if (p instanceof List<?> l) l.forEach(x -> out.add((Expr) x));
            else throw new IllegalArgumentException(String.valueOf(p));
        }
        return out;
    }

    static Rule rule(String chain, Object... parts) {
        return new Rule(chain, exprs(parts), null);
    }

    static Rule rule(String chain, String comment, Object... parts) {
        return new Rule(chain, exprs(parts), comment);
    }

    static Bytes ip(int a, int b, int c, int d) {
        return Bytes.of((byte) a, (byte) b, (byte) c, (byte) d);
    }

    // ---- sets ---------------------------------------------------------------------------------------------------

    static NftSet set(String name, int keyType, int keyLen, int flags, SetElement... elements) {
        return new NftSet(name, keyType, keyLen, flags, null, 0, new TreeSet<>(Arrays.asList(elements)));
    }

    /** The elements nft makes of {@code { 10.0.0.0/8, 192.168.1.10 }} in an interval set (with its leading end at 0). */
    static SetElement[] adminsElements() {
        return new SetElement[]{
                SetElement.intervalEnd(ip(0, 0, 0, 0)),
                SetElement.of(ip(10, 0, 0, 0)), SetElement.intervalEnd(ip(11, 0, 0, 0)),
                SetElement.of(ip(192, 168, 1, 10)), SetElement.intervalEnd(ip(192, 168, 1, 11))};
    }

    static SetElement[] portElements() {
        return new SetElement[]{
                SetElement.intervalEnd(Bytes.be(0, 2)),
                SetElement.of(Bytes.be(22, 2)), SetElement.intervalEnd(Bytes.be(23, 2)),
                SetElement.of(Bytes.be(8000, 2)), SetElement.intervalEnd(Bytes.be(8081, 2))};
    }

    static NftSet zonesMap() {
        return new NftSet("zones", TYPE_IFNAME, 16, SET_MAP, DATA_VERDICT, 0,
                new TreeSet<>(List.of(SetElement.jump(Bytes.ifname("eth0"), "zone_wan"))));
    }

    // ---- a ruleset with every object kind and every expression kind -----------------------------------------------

    static NftRuleset everything() {
        Map<String, Chain> chains = new LinkedHashMap<>();
        chains.put("input", Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_DROP));
        chains.put("forward", Chain.base("forward", "filter", HOOK_FORWARD, PRIORITY_FILTER, NF_DROP));
        chains.put("output", Chain.base("output", "filter", HOOK_OUTPUT, PRIORITY_FILTER, NF_ACCEPT));
        chains.put("pre", Chain.base("pre", "nat", HOOK_PREROUTING, PRIORITY_DSTNAT, NF_ACCEPT));
        chains.put("post", Chain.base("post", "nat", HOOK_POSTROUTING, PRIORITY_SRCNAT, NF_ACCEPT));
        chains.put("raw", Chain.base("raw", "filter", HOOK_PREROUTING, PRIORITY_RAW, NF_ACCEPT));
        chains.put("zone_wan", Chain.regular("zone_wan"));

        Map<String, NftSet> sets = new LinkedHashMap<>();
        sets.put("admins", set("admins", TYPE_IPADDR, 4, SET_INTERVAL, adminsElements()));
        sets.put("v6", set("v6", TYPE_IP6ADDR, 16, 0, SetElement.of(Bytes.ofHex("fd000000000000000000000000000001"))));
        sets.put("ports", set("ports", TYPE_INET_SERVICE, 2, SET_INTERVAL, portElements()));
        sets.put("zones", zonesMap());

        Map<String, NftObject> objects = new LinkedHashMap<>();
        objects.put("c_ssh", new NftObject.CounterObject("c_ssh"));
        objects.put("ftp-std", new NftObject.CtHelper("ftp-std", "ftp", NFPROTO_INET, 6));
        objects.put("tmo", new NftObject.CtTimeout("tmo", NFPROTO_IPV4, 6, Map.of(NftObject.CtTimeout.TCP_ESTABLISHED, 3600)));

        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        rules.put("input", List.of(
                rule("input", "ssh", dport(6, 22), new Objref(OBJECT_COUNTER, "c_ssh"), accept()),
                rule("input", new Ct(CT_STATE, REG_1, null),
                        new Bitwise(REG_1, REG_1, 4, Bytes.host32(CT_STATE_ESTABLISHED | CT_STATE_RELATED), Bytes.host32(0)),
                        new Cmp(REG_1, CMP_NEQ, Bytes.host32(0)), accept()),
                rule("input", new Meta(META_IIFNAME, REG_1), new Lookup(REG_1, "zones", 0, 0)),
                rule("input", saddr4(), new Lookup(REG_1, "admins", null, 0), accept()),
                rule("input", saddr4(), new Lookup(REG_1, "admins", null, LOOKUP_F_INV), new Counter(), drop()),
                rule("input", saddr4(), new Bitwise(REG_1, REG_1, 4, ip(255, 240, 0, 0), ip(0, 0, 0, 0)), new Cmp(REG_1, CMP_EQ, ip(10, 16, 0, 0)), accept()),
                rule("input", new Limit(10, 1, 5, LIMIT_PKTS, 0), accept()),
                rule("input", new Log("drop: ", 4, null), drop()),
                rule("input", new Log(null, null, 2)),
                rule("input", l4(6), new Payload(PAYLOAD_TRANSPORT_HEADER, 2, 2, REG_1), new Range(REG_1, RANGE_NEQ, Bytes.be(1000, 2), Bytes.be(2000, 2)),
                        new Reject(REJECT_TCP_RST, 0)),
                rule("input", new Reject(REJECT_ICMPX_UNREACH, REJECT_ICMPX_ADMIN_PROHIBITED)),
                rule("input", new Meta(META_MARK, REG_1), new Cmp(REG_1, CMP_EQ, Bytes.host32(0x10)), new Verdict(NFT_RETURN, null)),
                rule("input", new Ct(CT_KEY_SRC_IP, REG_1, 0), new Cmp(REG_1, CMP_EQ, ip(10, 0, 0, 1)), jump("zone_wan"))));
        rules.put("forward", List.of(
                rule("forward", new Objref(OBJECT_CT_HELPER, "ftp-std")),
                rule("forward", new Objref(OBJECT_CT_TIMEOUT, "tmo"))));
        rules.put("pre", List.of(
                rule("pre", iifname("eth0"), dport(6, 443), new Immediate(REG_1, ip(192, 168, 1, 20)), new Immediate(REG_2, Bytes.be(8443, 2)),
                        new Nat(NAT_DNAT, NFPROTO_IPV4, REG_1, null, REG_2, null, 0))));
        rules.put("post", List.of(
                rule("post", oifname("eth0"), new Masq(0, null, null)),
                rule("post", oifname("eth1"), new Immediate(REG_1, ip(1, 2, 3, 4)), new Nat(NAT_SNAT, NFPROTO_IPV4, REG_1, null, null, null, 0)),
                rule("post", l4(6), new Immediate(REG_1, Bytes.be(1024, 2)), new Immediate(REG_2, Bytes.be(2048, 2)),
                        new Masq(Nat.RANGE_PROTO_SPECIFIED, REG_1, REG_2))));
        rules.put("raw", List.of(rule("raw", dport(17, 53), new Notrack())));
        return new NftRuleset(TABLE, chains, sets, objects, rules);
    }

    /** The same ruleset as nft text (for {@code nft -f}). */
    static String everythingText() {
        return """
                table inet bulwark {
                  counter c_ssh { }
                  ct helper ftp-std { type "ftp" protocol tcp; l3proto inet; }
                  ct timeout tmo { protocol tcp; l3proto ip; policy = { established: 3600 }; }
                  set admins { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.10 }; }
                  set v6 { type ipv6_addr; elements = { fd00::1 }; }
                  set ports { type inet_service; flags interval; elements = { 22, 8000-8080 }; }
                  map zones { type ifname : verdict; elements = { "eth0" : jump zone_wan }; }
                  chain input {
                    type filter hook input priority filter; policy drop;
                    tcp dport 22 counter name "c_ssh" accept comment "ssh"
                    ct state established,related accept
                    iifname vmap @zones
                    ip saddr @admins accept
                    ip saddr != @admins counter drop
                    ip saddr 10.16.0.0/12 accept
                    limit rate 10/second burst 5 packets accept
                    log prefix "drop: " level warn drop
                    log group 2
                    tcp dport != 1000-2000 reject with tcp reset
                    reject with icmpx admin-prohibited
                    meta mark 0x10 return
                    ct original ip saddr 10.0.0.1 jump zone_wan
                  }
                  chain forward {
                    type filter hook forward priority filter; policy drop;
                    ct helper set "ftp-std"
                    ct timeout set "tmo"
                  }
                  chain output { type filter hook output priority filter; policy accept; }
                  chain pre {
                    type nat hook prerouting priority dstnat; policy accept;
                    iifname "eth0" tcp dport 443 dnat ip to 192.168.1.20:8443
                  }
                  chain post {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "eth0" masquerade
                    oifname "eth1" snat ip to 1.2.3.4
                    meta l4proto tcp masquerade to :1024-2048
                  }
                  chain raw {
                    type filter hook prerouting priority raw; policy accept;
                    udp dport 53 notrack
                  }
                  chain zone_wan { }
                }
                """;
    }

    // ---- a small builder --------------------------------------------------------------------------------------------

    static Builder builder() {
        return new Builder(NftRuleset.empty(TABLE));
    }

    static Builder from(NftRuleset r) {
        return new Builder(r);
    }

    /** Copies a ruleset and changes one thing at a time (the value types are immutable). */
    static final class Builder {
        final Map<String, Chain> chains;
        final Map<String, NftSet> sets;
        final Map<String, NftObject> objects;
        final Map<String, List<Rule>> rules = new LinkedHashMap<>();

        Builder(NftRuleset r) {
            chains = new LinkedHashMap<>(r.chains());
            sets = new LinkedHashMap<>(r.sets());
            objects = new LinkedHashMap<>(r.objects());
            r.rules().forEach((k, v) -> rules.put(k, new ArrayList<>(v)));
        }

        Builder chain(Chain c) {
            chains.put(c.name(), c);
            return this;
        }

        Builder noChain(String name) {
            chains.remove(name);
            rules.remove(name);
            return this;
        }

        Builder set(NftSet s) {
            sets.put(s.name(), s);
            return this;
        }

        Builder noSet(String name) {
            sets.remove(name);
            return this;
        }

        Builder object(NftObject o) {
            objects.put(o.name(), o);
            return this;
        }

        Builder noObject(String name) {
            objects.remove(name);
            return this;
        }

        Builder rule(Rule r) {
            rules.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(r);
            return this;
        }

        Builder rule(int index, Rule r) {
            rules.computeIfAbsent(r.chain(), k -> new ArrayList<>()).add(index, r);
            return this;
        }

        Builder replaceRule(int index, Rule r) {
            rules.get(r.chain()).set(index, r);
            return this;
        }

        Builder noRule(String chain, int index) {
            rules.get(chain).remove(index);
            return this;
        }

        Builder elements(String set, SetElement... add) {
            NftSet s = sets.get(set);
            TreeSet<SetElement> e = new TreeSet<>(s.elements());
            e.addAll(Arrays.asList(add));
            sets.put(set, s.withElements(e));
            return this;
        }

        Builder noElements(String set, SetElement... remove) {
            NftSet s = sets.get(set);
            TreeSet<SetElement> e = new TreeSet<>(s.elements());
            Arrays.asList(remove).forEach(e::remove);
            sets.put(set, s.withElements(e));
            return this;
        }

        NftRuleset build() {
            return new NftRuleset(TABLE, chains, sets, objects, rules);
        }
    }
}
