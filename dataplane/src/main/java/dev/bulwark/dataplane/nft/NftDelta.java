package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.nft.expr.Expr;
import dev.bulwark.dataplane.nft.expr.Lookup;
import dev.bulwark.dataplane.nft.expr.Objref;
import dev.bulwark.dataplane.nft.expr.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * The operations that turn one state of our table into another, in an order the kernel accepts inside one batch,
 * plus where every rule of the result comes from (a kept handle, or the operation that makes it), so that the
 * applier knows all handles afterwards without reading them back. A pure value: no kernel access.
 *
 * <p>A delta between two states touches only what differs: a set element added to a 100,000-element set is one
 * {@link NftOp.AddElements} of one element; a changed rule is one {@link NftOp.ReplaceRule} by handle. Objects whose
 * definition changed (a base chain's hook, a set's key type, a counter's type) are deleted and added again, and the
 * rules and map elements that refer to them are deleted and added with them, because the kernel refuses to delete
 * what is still referenced.
 *
 * <p>An anonymous set ({@link NftSet#isAnonymous}, a rule's inline set) is part of the rule that refers to it: rules
 * compare by its content, not its name; it is never added, changed or deleted on its own. The kernel deletes it with
 * its rule (a deleted, flushed or replaced rule), and binds a new one only to a rule of the batch that creates it, so
 * every rule added or replaced is preceded by {@link NftOp.AddSet} and {@link NftOp.AddElements} of its anonymous
 * sets (named in the ops as in {@code desired}; the applier sends them as {@link NftSet#ANONYMOUS_TEMPLATE} with a
 * set id, as nft does, and the kernel picks the name). A rule whose anonymous set's elements changed is replaced.
 *
 * <p>Order inside the batch: (1) delete rules (flush chains that go or are remade), (2) delete set elements,
 * (3) delete what is remade (sets, chains, objects), (4) add chains, objects, sets and elements, (5) add and
 * replace rules (each after its anonymous sets), (6) delete sets, chains and objects that go. Replaced rules release
 * their references in (5), so what they referred to can go in (6).
 */
public record NftDelta(List<NftOp> ops, Map<String, List<Slot>> layout) {

    /**
     * Where a rule of the resulting chain comes from: a rule kept with its handle, or the operation (index into
     * {@link #ops}) that adds it, whose handle the kernel's echo tells.
     */
    public record Slot(Long handle, int op) {
        static Slot kept(long handle) {
            return new Slot(handle, -1);
        }

        static Slot made(int op) {
            return new Slot(null, op);
        }
    }

    public NftDelta {
        ops = List.copyOf(ops);
        Map<String, List<Slot>> l = new LinkedHashMap<>();
        layout.forEach((k, v) -> l.put(k, List.copyOf(v)));
        layout = Collections.unmodifiableMap(l);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /**
     * Everything from scratch, atomically replacing whatever our table holds: add the table (so that deleting it
     * cannot fail), delete it, add it again with all its contents.
     */
    public static NftDelta full(NftRuleset desired) {
        Builder b = new Builder();
        b.op(new NftOp.AddTable());
        b.op(new NftOp.DeleteTable());
        b.op(new NftOp.AddTable());
        for (Chain c : desired.chains().values()) b.op(new NftOp.AddChain(c));
        for (NftObject o : desired.objects().values()) b.op(new NftOp.AddObject(o));
        Set<String> bound = anonymousSetsOfRules(desired);
        for (NftSet s : desired.sets().values()) {
            if (bound.contains(s.name())) continue; // added right before its rule
            b.op(new NftOp.AddSet(s));
            if (!s.elements().isEmpty()) b.op(new NftOp.AddElements(s.name(), new ArrayList<>(s.elements())));
        }
        for (var e : desired.rules().entrySet()) {
            List<Slot> slots = new ArrayList<>();
            int index = 1;
            for (Rule r : e.getValue()) slots.add(Slot.made(b.rule(new NftOp.AddRule(r, null, index++), desired)));
            b.layout.put(e.getKey(), slots);
        }
        return b.build();
    }

    /** Deleting our table: {@code nft delete table inet bulwark}, without failing when it is not there. */
    public static NftDelta remove() {
        Builder b = new Builder();
        b.op(new NftOp.AddTable());
        b.op(new NftOp.DeleteTable());
        return b.build();
    }

    /** The operations from {@code last} (as the kernel holds it, with handles) to {@code desired}. */
    public static NftDelta between(NftState last, NftRuleset desired) {
        NftRuleset old = last.ruleset();
        if (!old.table().equals(desired.table())) {
            throw new IllegalArgumentException("delta between different tables: " + old.table() + " and " + desired.table());
        }
        Builder b = new Builder();
        // Anonymous sets go and come with their rules: only named sets are compared here.
        Map<String, NftSet> oldSets = named(old);
        Map<String, NftSet> newSets = named(desired);

        // What goes, what comes, what is remade.
        Set<String> chainsGone = minus(old.chains().keySet(), desired.chains().keySet());
        Set<String> chainsNew = minus(desired.chains().keySet(), old.chains().keySet());
        Set<String> chainsRemade = new HashSet<>();
        Set<String> chainsUpdated = new HashSet<>();
        for (Chain n : desired.chains().values()) {
            Chain o = old.chains().get(n.name());
            if (o == null || o.equals(n)) continue;
            boolean sameHook = o.isBase() && n.isBase() && Objects.equals(o.hook(), n.hook())
                    && Objects.equals(o.type(), n.type()) && Objects.equals(o.priority(), n.priority());
            (sameHook ? chainsUpdated : chainsRemade).add(n.name());
        }
        Set<String> setsGone = minus(oldSets.keySet(), newSets.keySet());
        Set<String> setsNew = minus(newSets.keySet(), oldSets.keySet());
        Set<String> setsRemade = new HashSet<>();
        for (NftSet n : newSets.values()) {
            NftSet o = oldSets.get(n.name());
            if (o != null && !sameDefinition(o, n)) setsRemade.add(n.name());
        }
        Set<String> objectsGone = minus(old.objects().keySet(), desired.objects().keySet());
        Set<String> objectsNew = minus(desired.objects().keySet(), old.objects().keySet());
        Set<String> objectsRemade = new HashSet<>();
        for (NftObject n : desired.objects().values()) {
            NftObject o = old.objects().get(n.name());
            if (o != null && !o.equals(n)) objectsRemade.add(n.name());
        }
        Refs remade = new Refs(chainsRemade, setsRemade, objectsRemade);

        // (1) Rule deletions; plan replacements and insertions of kept chains for (5).
        List<Runnable> ruleAdds = new ArrayList<>();
        for (String chain : old.chains().keySet()) {
            if (chainsGone.contains(chain) || chainsRemade.contains(chain)) {
                if (!old.rulesOf(chain).isEmpty()) b.op(new NftOp.FlushChain(chain));
                continue;
            }
            planChain(b, chain, last.liveRules(chain), old, desired, remade, ruleAdds);
        }

        // (2) Element deletions: removed ones of kept sets, and every element that jumps to a chain being remade.
        List<NftOp> elementAdds = new ArrayList<>();
        for (NftSet o : oldSets.values()) {
            if (setsRemade.contains(o.name())) continue;
            if (setsGone.contains(o.name())) {
                List<SetElement> jumps = new ArrayList<>();
                for (SetElement e : o.elements()) if (remade.chains.contains(e.verdictChain())) jumps.add(e);
                if (!jumps.isEmpty()) b.op(new NftOp.DeleteElements(o.name(), jumps));
                continue;
            }
            NftSet n = newSets.get(o.name());
            List<SetElement> removed = new ArrayList<>();
            List<SetElement> added = new ArrayList<>();
            if (!NftSet.sameElements(o.elements(), n.elements())) diff(o.elements(), n.elements(), removed, added);
            for (SetElement e : o.elements()) {
                if (e.verdictChain() != null && remade.chains.contains(e.verdictChain()) && n.elements().contains(e)) {
                    removed.add(e);
                    added.add(e);
                }
            }
            if (!removed.isEmpty()) b.op(new NftOp.DeleteElements(o.name(), removed));
            if (!added.isEmpty()) elementAdds.add(new NftOp.AddElements(o.name(), added));
        }

        // (3) Delete what is remade.
        for (String s : oldSets.keySet()) if (setsRemade.contains(s)) b.op(new NftOp.DeleteSet(s));
        for (String c : old.chains().keySet()) if (chainsRemade.contains(c)) b.op(new NftOp.DeleteChain(c));
        for (NftObject o : old.objects().values()) if (objectsRemade.contains(o.name())) b.op(new NftOp.DeleteObject(o.name(), o.type()));

        // (4) Add chains, objects, sets with their elements, and elements of kept sets.
        for (Chain c : desired.chains().values()) {
            if (chainsNew.contains(c.name()) || chainsRemade.contains(c.name()) || chainsUpdated.contains(c.name())) {
                b.op(new NftOp.AddChain(c));
            }
        }
        for (NftObject o : desired.objects().values()) {
            if (objectsNew.contains(o.name()) || objectsRemade.contains(o.name())) b.op(new NftOp.AddObject(o));
        }
        for (NftSet s : newSets.values()) {
            if (setsNew.contains(s.name()) || setsRemade.contains(s.name())) {
                b.op(new NftOp.AddSet(s));
                if (!s.elements().isEmpty()) b.op(new NftOp.AddElements(s.name(), new ArrayList<>(s.elements())));
            }
        }
        for (NftOp op : elementAdds) b.op(op);

        // (5) Rules: replacements and insertions in kept chains, everything in new and remade chains.
        for (Runnable r : ruleAdds) r.run();
        for (String chain : desired.chains().keySet()) {
            if (!chainsNew.contains(chain) && !chainsRemade.contains(chain)) continue;
            List<Slot> slots = new ArrayList<>();
            int index = 1;
            for (Rule r : desired.rulesOf(chain)) slots.add(Slot.made(b.rule(new NftOp.AddRule(r, null, index++), desired)));
            if (!slots.isEmpty()) b.layout.put(chain, slots);
        }

        // (6) Delete what goes.
        for (String s : oldSets.keySet()) if (setsGone.contains(s)) b.op(new NftOp.DeleteSet(s));
        for (String c : old.chains().keySet()) if (chainsGone.contains(c)) b.op(new NftOp.DeleteChain(c));
        for (NftObject o : old.objects().values()) if (objectsGone.contains(o.name())) b.op(new NftOp.DeleteObject(o.name(), o.type()));

        // Chains in the result keep the order of the desired state.
        Map<String, List<Slot>> ordered = new LinkedHashMap<>();
        for (String chain : desired.chains().keySet()) {
            List<Slot> s = b.layout.get(chain);
            if (s != null && !s.isEmpty()) ordered.put(chain, s);
        }
        return new NftDelta(b.ops, ordered);
    }

    // ---- rules of one kept chain ------------------------------------------------------------------------------------

    /**
     * Aligns the old rules with the new ones (longest common subsequence of equal rules, common prefix and suffix
     * first; rules compare with their anonymous sets' content, see {@link #key}). Between two kept rules, old rules
     * pair up with new ones as replacements by handle, surplus old ones are deleted, surplus new ones are inserted
     * before the next kept rule (or appended). Old rules that refer to something being remade are never kept or
     * replaced, only deleted (so the referenced object can be deleted).
     */
    private static void planChain(Builder b, String chain, List<Rule.LiveRule> old, NftRuleset was, NftRuleset desired,
                                  Refs remade, List<Runnable> later) {
        List<Rule> want = desired.rulesOf(chain);
        int m = old.size();
        int n = want.size();
        boolean[] keepable = new boolean[m];
        for (int i = 0; i < m; i++) keepable[i] = !remade.touches(old.get(i).rule());
        List<Object> oldKeys = new ArrayList<>(m);
        for (Rule.LiveRule r : old) oldKeys.add(key(r.rule(), was));
        List<Object> wantKeys = new ArrayList<>(n);
        for (Rule r : want) wantKeys.add(key(r, desired));
        int[] match = align(oldKeys, wantKeys, keepable); // match[i] = j for kept old rule i, else -1

        List<Slot> slots = new ArrayList<>(Collections.nCopies(n, (Slot) null));
        List<NftOp> deletes = new ArrayList<>();
        List<int[]> replaces = new ArrayList<>(); // {old i, new j}
        List<int[]> inserts = new ArrayList<>(); // {new j, index of next kept old rule or -1}
        int i = 0;
        int j = 0;
        while (i < m || j < n) {
            int ni = i;
            while (ni < m && match[ni] < 0) ni++; // next kept old rule (or m)
            int nj = ni < m ? match[ni] : n;
            List<Integer> gapOld = new ArrayList<>();
            for (int k = i; k < ni; k++) {
                if (keepable[k]) gapOld.add(k);
                else deletes.add(new NftOp.DeleteRule(chain, old.get(k).handle()));
            }
            int pairs = Math.min(gapOld.size(), nj - j);
            for (int k = 0; k < pairs; k++) replaces.add(new int[]{gapOld.get(k), j + k});
            for (int k = pairs; k < gapOld.size(); k++) deletes.add(new NftOp.DeleteRule(chain, old.get(gapOld.get(k)).handle()));
            for (int k = j + pairs; k < nj; k++) inserts.add(new int[]{k, ni < m ? ni : -1});
            if (ni < m) {
                slots.set(nj, Slot.kept(old.get(ni).handle()));
                i = ni + 1;
                j = nj + 1;
            } else {
                i = m;
                j = n;
            }
        }
        for (NftOp d : deletes) b.op(d);
        if (replaces.isEmpty() && inserts.isEmpty()) {
            if (n > 0) b.layout.put(chain, slots);
            return;
        }
        later.add(() -> {
            for (int[] r : replaces) {
                slots.set(r[1], Slot.made(b.rule(new NftOp.ReplaceRule(want.get(r[1]), old.get(r[0]).handle(), r[1] + 1), desired)));
            }
            for (int[] ins : inserts) {
                Long before = ins[1] < 0 ? null : old.get(ins[1]).handle();
                slots.set(ins[0], Slot.made(b.rule(new NftOp.AddRule(want.get(ins[0]), before, ins[0] + 1), desired)));
            }
            b.layout.put(chain, slots);
        });
        if (n > 0) b.layout.put(chain, slots); // filled in by the deferred step
    }

    /** match[i] = index in {@code want} of old rule i when it is kept, else -1 (rules given by their {@link #key}). */
    private static int[] align(List<Object> old, List<Object> want, boolean[] keepable) {
        int m = old.size();
        int n = want.size();
        int[] match = new int[m];
        java.util.Arrays.fill(match, -1);
        int pre = 0;
        while (pre < m && pre < n && keepable[pre] && old.get(pre).equals(want.get(pre))) {
            match[pre] = pre;
            pre++;
        }
        int suf = 0;
        while (suf < m - pre && suf < n - pre && keepable[m - 1 - suf] && old.get(m - 1 - suf).equals(want.get(n - 1 - suf))) {
            match[m - 1 - suf] = n - 1 - suf;
            suf++;
        }
        int mm = m - pre - suf;
        int nn = n - pre - suf;
        if (mm == 0 || nn == 0) return match;
        if ((long) mm * nn > 4_000_000L) return match; // too large to align: replace/insert/delete positionally
        int[][] lcs = new int[mm + 1][nn + 1];
        for (int a = mm - 1; a >= 0; a--) {
            for (int c = nn - 1; c >= 0; c--) {
                boolean eq = keepable[pre + a] && old.get(pre + a).equals(want.get(pre + c));
                lcs[a][c] = eq ? lcs[a + 1][c + 1] + 1 : Math.max(lcs[a + 1][c], lcs[a][c + 1]);
            }
        }
        int a = 0;
        int c = 0;
        while (a < mm && c < nn) {
            boolean eq = keepable[pre + a] && old.get(pre + a).equals(want.get(pre + c));
            if (eq && lcs[a][c] == lcs[a + 1][c + 1] + 1) {
                match[pre + a] = pre + c;
                a++;
                c++;
            } else if (lcs[a + 1][c] >= lcs[a][c + 1]) {
                a++;
            } else {
                c++;
            }
        }
        return match;
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Sets, chains and objects being remade, and whether a rule refers to any of them. */
    private record Refs(Set<String> chains, Set<String> sets, Set<String> objects) {
        boolean touches(Rule r) {
            if (chains.isEmpty() && sets.isEmpty() && objects.isEmpty()) return false;
            for (Expr e : r.exprs()) {
                if (e instanceof Verdict v && v.chain() != null && chains.contains(v.chain())) return true;
                if (e instanceof Lookup l && sets.contains(l.set())) return true;
                if (e instanceof Objref o && objects.contains(o.name())) return true;
            }
            return false;
        }
    }

    /**
     * What a rule is compared by: the rule itself, or, when it refers to anonymous sets of its ruleset, the rule with
     * those names blanked and the sets (unnamed) in reference order. Two rules with equal keys do the same in the
     * kernel, whatever names the kernel gave their anonymous sets.
     */
    static Object key(Rule r, NftRuleset rs) {
        List<NftSet> anon = null;
        Map<String, String> blank = null;
        for (Expr e : r.exprs()) {
            if (e instanceof Lookup l && rs.sets().get(l.set()) instanceof NftSet s && s.isAnonymous()) {
                if (anon == null) {
                    anon = new ArrayList<>();
                    blank = new HashMap<>();
                }
                anon.add(s.withName(""));
                blank.put(l.set(), "");
            }
        }
        return anon == null ? r : new AnonymousKey(NftRuleset.renamed(r, blank), anon);
    }

    private record AnonymousKey(Rule rule, List<NftSet> sets) {
    }

    /** The anonymous sets a rule refers to, in order. */
    private static List<NftSet> anonymousSetsOf(Rule r, NftRuleset rs) {
        Map<String, NftSet> out = new LinkedHashMap<>();
        for (Expr e : r.exprs()) {
            if (e instanceof Lookup l && rs.sets().get(l.set()) instanceof NftSet s && s.isAnonymous()) out.putIfAbsent(s.name(), s);
        }
        return new ArrayList<>(out.values());
    }

    /** Names of the anonymous sets the rules of {@code rs} refer to. */
    private static Set<String> anonymousSetsOfRules(NftRuleset rs) {
        Set<String> out = new HashSet<>();
        for (List<Rule> rules : rs.rules().values()) for (Rule r : rules) for (NftSet s : anonymousSetsOf(r, rs)) out.add(s.name());
        return out;
    }

    /** The named (not anonymous) sets of a ruleset. */
    private static Map<String, NftSet> named(NftRuleset rs) {
        Map<String, NftSet> out = new LinkedHashMap<>();
        for (NftSet s : rs.sets().values()) if (!s.isAnonymous()) out.put(s.name(), s);
        return out;
    }

    private static boolean sameDefinition(NftSet a, NftSet b) {
        return a.keyType() == b.keyType() && a.keyLen() == b.keyLen() && a.flags() == b.flags()
                && Objects.equals(a.dataType(), b.dataType()) && a.dataLen() == b.dataLen();
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.removeAll(b);
        return out;
    }

    /** One pass over two sorted sets (ordered consistently with equals): what only {@code a} has, what only {@code b} has. */
    static void diff(SortedSet<SetElement> a, SortedSet<SetElement> b, List<SetElement> onlyA, List<SetElement> onlyB) {
        if (a instanceof FlatElements x && b instanceof FlatElements y) {
            x.diff(y, onlyA, onlyB);
            return;
        }
        Iterator<SetElement> ia = a.iterator();
        Iterator<SetElement> ib = b.iterator();
        SetElement x = ia.hasNext() ? ia.next() : null;
        SetElement y = ib.hasNext() ? ib.next() : null;
        while (x != null || y != null) {
            int c = x == null ? 1 : y == null ? -1 : x.compareTo(y);
            if (c == 0) {
                x = ia.hasNext() ? ia.next() : null;
                y = ib.hasNext() ? ib.next() : null;
            } else if (c < 0) {
                onlyA.add(x);
                x = ia.hasNext() ? ia.next() : null;
            } else {
                onlyB.add(y);
                y = ib.hasNext() ? ib.next() : null;
            }
        }
    }

    private static final class Builder {
        final List<NftOp> ops = new ArrayList<>();
        final Map<String, List<Slot>> layout = new LinkedHashMap<>();

        int op(NftOp op) {
            ops.add(op);
            return ops.size() - 1;
        }

        /** Adds a rule (an AddRule or ReplaceRule of {@code rs}) after its anonymous sets; returns the rule's op. */
        int rule(NftOp op, NftRuleset rs) {
            Rule r = op instanceof NftOp.AddRule a ? a.rule() : ((NftOp.ReplaceRule) op).rule();
            for (NftSet s : anonymousSetsOf(r, rs)) {
                op(new NftOp.AddSet(s));
                if (!s.elements().isEmpty()) op(new NftOp.AddElements(s.name(), new ArrayList<>(s.elements())));
            }
            return op(op);
        }

        NftDelta build() {
            return new NftDelta(ops, layout);
        }
    }
}
