package dev.bulwark.dataplane.nft;

import static dev.bulwark.dataplane.nft.Nft.*;
import static dev.bulwark.dataplane.nft.Rulesets.*;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.nft.expr.Objref;
import dev.bulwark.dataplane.nft.expr.Payload;
import dev.bulwark.dataplane.testing.KernelTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Deltas that touch anonymous sets (the inline sets of rules) on the kernel: the sets go with their rules, come with
 * them (named by the kernel), and the table read back equals the desired state (numbered from {@code __set0} as the
 * compiler numbers it) in canonical form, whatever names the kernel chose. Named counters are never reset by them.
 */
@KernelTest({NETNS, NFTABLES, NFT_CLI})
class NftAnonymousSetTest {

    static final List<String> CHAINS = List.of("input", "output", "svc");

    /**
     * A rule as the tests describe it: {@code tcp dport { ports }} (an anonymous set when there are two or more),
     * {@code tcp dport P} for one, {@code ip saddr @blocked} for none; accept or drop.
     */
    record Spec(String chain, List<Integer> ports, boolean drop) {
    }

    /**
     * The ruleset of {@code specs} the way the compiler makes it: chains input, output (with the counted lo rule
     * first) and svc; anonymous sets named {@code __set0}, {@code __set1}, ... in chain, rule order.
     */
    static NftRuleset compile(List<Spec> specs, List<Integer> blocked) {
        Map<String, Chain> chains = new LinkedHashMap<>();
        chains.put("input", Chain.base("input", "filter", HOOK_INPUT, PRIORITY_FILTER, NF_ACCEPT));
        chains.put("output", Chain.base("output", "filter", HOOK_OUTPUT, PRIORITY_FILTER, NF_ACCEPT));
        chains.put("svc", Chain.regular("svc"));
        Map<String, NftSet> sets = new LinkedHashMap<>();
        TreeSet<SetElement> b = new TreeSet<>();
        for (int x : blocked) b.add(SetElement.of(ip(10, 0, 0, x)));
        sets.put("blocked", new NftSet("blocked", TYPE_IPADDR, 4, 0, null, 0, b));
        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        rules.put("output", new ArrayList<>(List.of(rule("output", "lo", oifname("lo"), new Objref(OBJECT_COUNTER, "c_lo"), accept()))));
        int next = 0;
        for (String chain : CHAINS) {
            for (Spec s : specs) {
                if (!s.chain().equals(chain)) continue;
                List<Expr> match;
                if (s.ports().isEmpty()) {
                    match = concat(saddr4(), List.of(new Lookup(REG_1, "blocked", null, 0)));
                } else if (s.ports().size() == 1) {
                    match = dport(6, s.ports().getFirst());
                } else {
                    String name = "__set" + next++;
                    sets.put(name, portSet(name, s.ports()));
                    match = portsIn(name);
                }
                rules.computeIfAbsent(chain, k -> new ArrayList<>()).add(rule(chain, match, s.drop() ? drop() : accept()));
            }
        }
        Map<String, NftObject> objects = Map.of("c_lo", new NftObject.CounterObject("c_lo"));
        return new NftRuleset(TABLE, chains, sets, objects, rules);
    }

    /** {@code tcp dport @set}. */
    static List<Expr> portsIn(String set) {
        return concat(l4(6), List.of(new Payload(PAYLOAD_TRANSPORT_HEADER, 2, 2, REG_1), new Lookup(REG_1, set, null, 0)));
    }

    /** The anonymous set nft makes of {@code tcp dport { ... }}. */
    static NftSet portSet(String name, List<Integer> ports) {
        TreeSet<SetElement> e = new TreeSet<>();
        for (int p : ports) e.add(SetElement.of(Bytes.be(p, 2)));
        return new NftSet(name, TYPE_INET_SERVICE, 2, SET_ANONYMOUS | SET_CONSTANT, null, 0, e);
    }

    static Spec ports(String chain, boolean drop, Integer... ports) {
        return new Spec(chain, List.of(ports), drop);
    }

    /** Applies {@code desired} as a delta and checks the kernel: read back equal, nothing left to do, memory equal. */
    static NftDelta step(Kernel k, NftRuleset desired) {
        NftDelta d = k.applier.apply(desired);
        assertEqualToKernel(k, desired);
        return d;
    }

    static void assertEqualToKernel(Kernel k, NftRuleset desired) {
        assertThat(NftRuleset.canonical(desired)).as("the compiler's numbering is canonical").isSameAs(desired);
        NftState live = k.readState();
        assertThat(live.ruleset()).isEqualTo(desired);
        assertThat(NftDelta.between(live, desired).ops()).as("delta from the table read back to the desired state").isEmpty();
        assertThat(k.applier.last().ruleset()).as("the applier's memory").isEqualTo(live.ruleset());
        assertThat(k.applier.last().handles()).as("rule handles").isEqualTo(live.handles());
        long anonymous = desired.sets().values().stream().filter(NftSet::isAnonymous).count();
        assertThat(live.ruleset().sets().values().stream().filter(NftSet::isAnonymous).count())
                .as("anonymous sets in the kernel (none left over)").isEqualTo(anonymous);
    }

    /** The anonymous set names the kernel gave, in rule order ({@code nft --debug=netlink list table}). */
    static List<String> kernelNames(Kernel k) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\[ lookup reg 1 set (__set\\d+)").matcher(k.nft("--debug=netlink", "list", "table", "inet", "bulwark"));
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static List<Class<?>> kinds(NftDelta d) {
        return d.ops().stream().<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void deletingARuleDeletesItsAnonymousSetWithIt() {
        try (Kernel k = Kernel.create("anondel")) {
            NftRuleset first = compile(List.of(ports("input", false, 22, 80), ports("input", true, 443, 8443)), List.of());
            k.applier.applyFull(first);
            assertEqualToKernel(k, first);

            NftRuleset second = compile(List.of(ports("input", true, 443, 8443)), List.of());
            NftDelta d = step(k, second);
            assertThat(kinds(d)).as("only the rule is deleted: its set goes with it").containsExactly(NftOp.DeleteRule.class);
            assertThat(kernelNames(k)).as("the kernel keeps the name it gave; the reader renames it").containsExactly("__set1");
        }
    }

    @Test
    void changedElementsOfAnAnonymousSetReplaceTheRule() {
        try (Kernel k = Kernel.create("anonrep")) {
            NftRuleset first = compile(List.of(ports("input", false, 22, 80), ports("svc", true, 443, 8443)), List.of());
            k.applier.applyFull(first);
            long handle = k.applier.last().handlesOf("input").getFirst();

            NftRuleset second = compile(List.of(ports("input", false, 22, 80, 8080), ports("svc", true, 443, 8443)), List.of());
            NftDelta d = step(k, second);
            assertThat(kinds(d)).containsExactly(NftOp.AddSet.class, NftOp.AddElements.class, NftOp.ReplaceRule.class);
            assertThat(((NftOp.ReplaceRule) d.ops().get(2)).handle()).isEqualTo(handle);
            assertThat(kernelNames(k)).as("a new set beside the old (released at commit)").containsExactly("__set2", "__set1");
        }
    }

    @Test
    void aRuleWithAnAnonymousSetInsertedInTheMiddle() {
        try (Kernel k = Kernel.create("anonins")) {
            NftRuleset first = compile(List.of(ports("input", false, 22, 80), ports("input", true, 443, 8443),
                    ports("svc", false, 1, 2)), List.of());
            k.applier.applyFull(first);
            long before = k.applier.last().handlesOf("input").get(1);

            NftRuleset second = compile(List.of(ports("input", false, 22, 80), ports("input", false, 5, 6, 7),
                    ports("input", true, 443, 8443), ports("svc", false, 1, 2)), List.of());
            NftDelta d = step(k, second);
            assertThat(kinds(d)).containsExactly(NftOp.AddSet.class, NftOp.AddElements.class, NftOp.AddRule.class);
            assertThat(((NftOp.AddRule) d.ops().get(2)).before()).isEqualTo(before);
            assertThat(kernelNames(k)).containsExactly("__set0", "__set3", "__set1", "__set2");
        }
    }

    @Test
    void twentyRandomDeltasReadBackEqual() {
        Random rnd = new Random(20260714);
        try (Kernel k = Kernel.create("anonrnd")) {
            List<Spec> specs = new ArrayList<>(List.of(ports("input", false, 22, 80), ports("input", true, 1, 2, 3),
                    new Spec("input", List.of(), true), ports("svc", false, 53), ports("svc", false, 67, 68)));
            List<Integer> blocked = new ArrayList<>(List.of(1, 2));
            k.applier.applyFull(compile(specs, blocked));
            assertEqualToKernel(k, compile(specs, blocked));
            k.ns.exec("ping", "-c", "2", "-i", "0.2", "-q", "127.0.0.1");
            long packets = NftReader.counters(k.socket, TABLE).get("c_lo").packets();
            assertThat(packets).isGreaterThanOrEqualTo(2);

            long start = System.nanoTime();
            Map<String, Integer> ops = new java.util.TreeMap<>();
            for (int step = 1; step <= 20; step++) {
                int changes = 1 + rnd.nextInt(3);
                for (int c = 0; c < changes; c++) mutate(rnd, specs, blocked);
                NftRuleset desired = compile(specs, blocked);
                NftDelta d = step(k, desired);
                for (NftOp op : d.ops()) {
                    String kind = op.getClass().getSimpleName() + (op instanceof NftOp.AddSet s && s.set().isAnonymous() ? " (anonymous)" : "");
                    ops.merge(kind, 1, Integer::sum);
                }
                assertThat(d.ops()).as("step %d: no anonymous set is deleted or changed by name", step).noneMatch(op ->
                        op instanceof NftOp.DeleteSet || op instanceof NftOp.DeleteElements e && e.set().startsWith("__set"));
                long now = NftReader.counters(k.socket, TABLE).get("c_lo").packets();
                assertThat(now).as("step %d: the named counter is not reset", step).isGreaterThanOrEqualTo(packets);
                packets = now;
            }
            System.out.printf("20 random deltas with anonymous sets in %d ms (each checked by a full read back): %s%n",
                    (System.nanoTime() - start) / 1_000_000, ops);
            assertThat(ops).containsKeys("AddSet (anonymous)", "ReplaceRule", "DeleteRule", "AddRule", "AddElements", "DeleteElements");
        }
    }

    private static void mutate(Random rnd, List<Spec> specs, List<Integer> blocked) {
        switch (rnd.nextInt(7)) {
            case 0, 1 -> specs.add(rnd.nextInt(specs.size() + 1), randomSpec(rnd, rnd.nextBoolean() ? "input" : "svc"));
            case 2 -> {
                if (!specs.isEmpty()) specs.remove(rnd.nextInt(specs.size()));
            }
            case 3, 4 -> {
                if (specs.isEmpty()) return;
                int i = rnd.nextInt(specs.size());
                specs.set(i, randomSpec(rnd, specs.get(i).chain()));
            }
            case 5 -> {
                int x = 1 + rnd.nextInt(20);
                if (!blocked.contains(x)) blocked.add(x);
            }
            default -> {
                if (!blocked.isEmpty()) blocked.remove(rnd.nextInt(blocked.size()));
            }
        }
    }

    private static Spec randomSpec(Random rnd, String chain) {
        int n = rnd.nextInt(5); // 0: @blocked, 1: one port, 2-4: an anonymous set
        TreeSet<Integer> ports = new TreeSet<>();
        while (ports.size() < n) ports.add(1 + rnd.nextInt(12));
        return new Spec(chain, List.copyOf(ports), rnd.nextBoolean());
    }

    /**
     * A chain created by a delta comes last in the kernel whatever its place in the desired state, so the canonical
     * names (numbered in chain order) of the table read back can differ from those of the desired state; the applier
     * remembers the kernel's chain order, and the delta between them is empty. A full apply restores the order.
     */
    @Test
    void aChainAddedBeforeOthersIsLastInTheKernel() {
        try (Kernel k = Kernel.create("anonchain")) {
            NftRuleset first = compile(List.of(ports("input", false, 22, 80), ports("svc", true, 1, 2)), List.of());
            k.applier.applyFull(first);
            Map<String, Chain> chains = new LinkedHashMap<>();
            for (String c : List.of("input", "output")) chains.put(c, first.chains().get(c));
            chains.put("mid", Chain.regular("mid"));
            chains.put("svc", first.chains().get("svc"));
            Map<String, NftSet> sets = new LinkedHashMap<>(first.sets());
            sets.put("m", portSet("m", List.of(7, 8)));
            Map<String, List<Rule>> rules = new LinkedHashMap<>(first.rules());
            rules.put("mid", List.of(rule("mid", portsIn("m"), accept())));
            NftRuleset second = NftRuleset.canonical(new NftRuleset(TABLE, chains, sets, first.objects(), rules));
            assertThat(second.rulesOf("mid").getFirst().exprs()).contains(new Lookup(REG_1, "__set1", null, 0));

            NftDelta d = k.applier.apply(second);
            assertThat(kinds(d)).containsExactly(NftOp.AddChain.class, NftOp.AddSet.class, NftOp.AddElements.class, NftOp.AddRule.class);
            NftState live = k.readState();
            assertThat(live.ruleset().chains().keySet()).containsExactly("input", "output", "svc", "mid");
            assertThat(live.ruleset().rulesOf("mid").getFirst().exprs()).contains(new Lookup(REG_1, "__set2", null, 0));
            assertThat(k.applier.last().ruleset()).isEqualTo(live.ruleset());
            assertThat(NftDelta.between(live, second).ops()).isEmpty();
            assertThat(NftDelta.between(k.applier.last(), second).ops()).isEmpty();

            k.applier.applyFull(second);
            assertThat(k.read()).isEqualTo(second);
        }
    }

    @Test
    void namedCountersKeepTheirValuesAcrossDeltasThatTouchAnonymousSets() {
        try (Kernel k = Kernel.create("anoncnt")) {
            NftRuleset first = compile(List.of(ports("input", false, 22, 80), ports("input", true, 100, 101),
                    ports("svc", true, 443, 8443)), List.of(1));
            k.applier.applyFull(first);
            k.ns.exec("ping", "-c", "3", "-i", "0.2", "-q", "127.0.0.1");
            CounterValue before = NftReader.counters(k.socket, TABLE).get("c_lo");
            assertThat(before.packets()).isGreaterThanOrEqualTo(3);

            // Every kind of anonymous set change in one delta: rules with one replaced, deleted, inserted.
            NftRuleset second = compile(List.of(ports("input", false, 8, 9), ports("svc", true, 443, 8443, 9443),
                    ports("svc", false, 1, 2)), List.of(1, 2));
            NftDelta d = step(k, second);
            assertThat(kinds(d)).contains(NftOp.AddSet.class, NftOp.ReplaceRule.class, NftOp.DeleteRule.class, NftOp.AddRule.class);
            assertThat(NftReader.counters(k.socket, TABLE).get("c_lo")).as("not reset by the delta").isEqualTo(before);

            k.ns.exec("ping", "-c", "1", "-q", "127.0.0.1");
            assertThat(NftReader.counters(k.socket, TABLE).get("c_lo").packets()).isGreaterThan(before.packets());

            k.applier.applyFull(second); // what the whole-table fallback did: the counter starts again
            assertThat(NftReader.counters(k.socket, TABLE).get("c_lo").packets()).as("a full apply resets it").isZero();
        }
    }
}
