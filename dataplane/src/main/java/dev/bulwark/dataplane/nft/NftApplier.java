package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.netlink.Attributes;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.wire.NftBatch;
import dev.bulwark.dataplane.nft.wire.NftMsg;
import dev.bulwark.dataplane.nft.wire.NftnlChain;
import dev.bulwark.dataplane.nft.wire.NftnlObj;
import dev.bulwark.dataplane.nft.wire.NftnlRule;
import dev.bulwark.dataplane.nft.wire.NftnlSet;
import dev.bulwark.dataplane.nft.wire.NftnlSetElems;
import dev.bulwark.dataplane.nft.wire.NftnlTable;
import dev.bulwark.dataplane.nft.wire.NftWire;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Sends changes of our table to the kernel, one atomic batch per call, and says what the table is after it (with
 * every rule's handle, learned from the kernel's echo, or for a full apply predicted and checked by a few echoes: see
 * {@link #predictHandles}), so that the caller can plan the next change as a delta without re-reading the kernel
 * (principle 2). The applier remembers no table state: the caller (control's reconciler) keeps the one memory and
 * passes it in. Not thread-safe: control's single writer calls it.
 *
 * <p>Every batch starts with the ruleset generation read just before it; if another writer commits in between, the
 * kernel refuses the whole batch ({@link NftConflictException}) instead of applying it on a stale assumption.
 *
 * <p>Anonymous sets are created as nft creates them: named {@link NftSet#ANONYMOUS_TEMPLATE} with a set id that the
 * elements and the rule's lookup refer to, so the kernel picks a free name. The applier does not learn those names:
 * the state it returns is in {@link NftRuleset#canonical} form, the form {@link NftReader} reads the table in.
 */
public final class NftApplier {

    private final NetlinkSocket socket;
    private final Table table;
    private final byte[] tableName;
    /** Table and chain names of rule messages, by chain, encoded once. */
    private final Map<String, NftWire.RuleTarget> targets = new HashMap<>();

    public NftApplier(NetlinkSocket socket, Table table) {
        this.socket = socket;
        this.table = table;
        this.tableName = table.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private NftWire.RuleTarget target(String chain) {
        return targets.computeIfAbsent(chain, c -> NftWire.RuleTarget.of(table.name(), c));
    }

    /** The table this applier writes. */
    public Table table() {
        return table;
    }

    /**
     * Replaces our table with {@code desired} in one batch ({@code nft -f} of "add table; delete table; table ...
     * {...}"): whatever was in it goes, foreign tables stay. Named counters start from zero. Returns the table as it is
     * now, with handles (null when an echo went missing: then read it back).
     */
    public NftState applyFull(NftRuleset desired) {
        return send(NftDelta.full(desired), desired, null);
    }

    /**
     * Brings our table from {@code base} (what the caller knows of it: read back or returned by the last apply; null
     * when unknown, which makes this a full apply) to {@code desired} with only the difference. Sends nothing and
     * returns {@code base} when nothing differs.
     */
    public NftState apply(NftState base, NftRuleset desired) {
        if (base == null) return applyFull(desired);
        NftDelta d = NftDelta.between(base, desired);
        if (d.isEmpty()) return base;
        return send(d, desired, base.ruleset());
    }

    /**
     * Sends {@code delta}, which brings our table from {@code before} (null: no table, or a delta that replaces it
     * whole) to {@code desired}, as one batch. Returns the table as it is after, with handles, or null when that
     * cannot be told (an echo went missing): the caller then reads it back. Throws, having changed nothing, when the
     * kernel refuses the batch.
     */
    public NftState send(NftDelta delta, NftRuleset desired, NftRuleset before) {
        check(desired);
        Sent sent = send(delta);
        Map<String, List<Long>> handles = new LinkedHashMap<>();
        for (var e : delta.layout().entrySet()) {
            List<Long> hs = new ArrayList<>(e.getValue().size());
            for (NftDelta.Slot s : e.getValue()) {
                Long h = s.handle() != null ? s.handle() : sent.handleOf(s.op());
                if (h == null) return null; // an echo went missing: the caller reads the table back
                hs.add(h);
            }
            handles.put(e.getKey(), hs);
        }
        try {
            return new NftState(NftRuleset.canonical(inKernelOrder(desired, before, delta)), handles, sent.generation);
        } catch (IllegalArgumentException mismatch) {
            return null; // the layout does not fit the desired rules: never trust it
        }
    }

    /** Deletes our table ({@code nft delete table inet bulwark}); nothing else is touched. */
    public void remove() {
        send(NftDelta.remove());
    }

    private void check(NftRuleset desired) {
        if (!desired.table().equals(table)) {
            throw new IllegalArgumentException("this applier owns table " + NftWords.table(table) + ", not " + NftWords.table(desired.table()));
        }
    }

    /**
     * {@code desired} with its chains in the order the kernel lists them after {@code d}: the kernel appends a chain it
     * creates (also one deleted and created again), so chains kept stay first, in their order. Canonical anonymous set
     * names follow chain order, so the state remembered must have the kernel's order to equal the table read back.
     */
    private static NftRuleset inKernelOrder(NftRuleset desired, NftRuleset before, NftDelta d) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        if (before != null) order.addAll(before.chains().keySet());
        for (NftOp op : d.ops()) {
            switch (op) {
                case NftOp.DeleteTable t -> order.clear();
                case NftOp.DeleteChain c -> order.remove(c.chain());
                case NftOp.AddChain c -> order.add(c.chain().name()); // no move when it exists (a policy update)
                default -> { }
            }
        }
        order.retainAll(desired.chains().keySet());
        if (List.copyOf(order).equals(List.copyOf(desired.chains().keySet()))) return desired;
        Map<String, Chain> chains = new LinkedHashMap<>();
        for (String c : order) chains.put(c, desired.chains().get(c));
        chains.putAll(desired.chains()); // (none left when the delta is right)
        return new NftRuleset(desired.table(), chains, desired.sets(), desired.objects(), desired.rules());
    }

    /**
     * What a sent batch taught us: the generation after it and the handle of every rule it added, from the kernel's
     * echo ({@code handleBySeq}) or, where the batch made the table anew, {@code predicted} and checked by echoes.
     */
    private record Sent(int generation, Map<Integer, Integer> seqByOp, Map<Integer, Long> handleBySeq, Map<Integer, Long> predicted) {
        Long handleOf(int op) {
            if (predicted != null) return predicted.get(op);
            Integer seq = seqByOp.get(op);
            return seq == null ? null : handleBySeq.get(seq);
        }
    }

    /**
     * Whether rule handles of a batch that makes the table anew are predicted instead of echoed; turned off for good
     * (echoing every rule again) as soon as one prediction is found wrong.
     */
    private boolean predictHandles = true;

    private Sent send(NftDelta d) {
        int generation = NftReader.generation(socket);
        List<NftOp> ops = d.ops();
        Map<Integer, Long> predicted = predictHandles ? predictHandles(ops) : null;
        Set<Integer> echoed = predicted == null ? null : checkpoints(d);
        Map<Integer, Integer> seqByOp = new HashMap<>();
        Map<Integer, Long> handleBySeq = new HashMap<>();
        Map<String, Integer> setIds = new HashMap<>();
        Set<String> anonymous = new HashSet<>();
        try (NftBatch batch = new NftBatch(socket, generation)) {
            int nextSetId = 1;
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i) instanceof NftOp.AddSet s) {
                    setIds.put(s.set().name(), nextSetId++); // what follows (elements, lookups) refers to the latest
                    if (s.set().isAnonymous()) anonymous.add(s.set().name());
                }
                int seq = encode(batch, ops.get(i), setIds, anonymous, echoed == null || echoed.contains(i));
                seqByOp.put(i, seq);
            }
            batch.send((NetlinkMessage m) -> {
                if (m.type() == NftMsg.type(NftMsg.NEWRULE)) {
                    Attributes a = Attributes.parse(m.payload(), 4);
                    if (a.has(NftMsg.NFTA_RULE_HANDLE)) handleBySeq.put(m.seq(), a.be64(NftMsg.NFTA_RULE_HANDLE, -1));
                }
            });
        }
        if (predicted != null) {
            for (int op : echoed) {
                Long h = handleBySeq.get(seqByOp.get(op));
                if (!predicted.get(op).equals(h)) {
                    predictHandles = false; // the kernel numbers otherwise: echo every rule from now on
                    predicted = Map.of(); // and trust none of this batch's (send() then returns null: the caller reads back)
                    break;
                }
            }
        }
        int after = generation + 1 == 0 ? 1 : generation + 1; // the kernel skips 0
        return new Sent(after, seqByOp, handleBySeq, predicted);
    }

    /**
     * The handles the kernel gives the rules of a batch that deletes our table and adds it again (a full apply), by op
     * index; null for any other batch. The kernel numbers the chains, sets, objects and rules of a table from 1 in the
     * order it creates them ({@code ++table->hgenerator}), and a table added after its deletion in the same batch is
     * a new one, numbered from 1 again. So the rules' handles are known without an echo of each (10,000 echoes cost the
     * kernel a notification each, and us their reading); {@link #checkpoints} are echoed to check the count.
     */
    static Map<Integer, Long> predictHandles(List<NftOp> ops) {
        int fresh = -1;
        for (int i = 1; i < ops.size(); i++) {
            if (ops.get(i) instanceof NftOp.AddTable && ops.get(i - 1) instanceof NftOp.DeleteTable) fresh = i;
        }
        if (fresh < 0) return null;
        Map<Integer, Long> out = new HashMap<>();
        long handle = 0;
        for (int i = fresh + 1; i < ops.size(); i++) {
            switch (ops.get(i)) {
                case NftOp.AddChain c -> handle++;
                case NftOp.AddSet s -> handle++;
                case NftOp.AddObject o -> handle++;
                case NftOp.AddRule r -> {
                    if (r.before() != null) return null;
                    out.put(i, ++handle);
                }
                case NftOp.AddElements e -> {
                }
                default -> {
                    return null; // (not in a full apply) numbering unknown: echo
                }
            }
        }
        return out;
    }

    /**
     * The rules whose echo checks the predicted handles: the first rule of the batch and the last of each chain. The
     * handle counter only grows, one per object created, so each checkpoint that matches proves the count of every
     * object created before it.
     */
    private static Set<Integer> checkpoints(NftDelta d) {
        Set<Integer> out = new HashSet<>();
        int first = Integer.MAX_VALUE;
        for (List<NftDelta.Slot> slots : d.layout().values()) {
            for (NftDelta.Slot s : slots) if (s.handle() == null) first = Math.min(first, s.op());
            for (int i = slots.size() - 1; i >= 0; i--) {
                if (slots.get(i).handle() == null) {
                    out.add(slots.get(i).op());
                    break;
                }
            }
        }
        if (first != Integer.MAX_VALUE) out.add(first);
        return out;
    }

    /**
     * Adds the message(s) of one operation; returns the sequence number of the (last) message. Sets of
     * {@code anonymous} (anonymous sets this batch creates) are named {@link NftSet#ANONYMOUS_TEMPLATE} on the wire and
     * found by their id.
     */
    private int encode(NftBatch batch, NftOp op, Map<String, Integer> setIds, Set<String> anonymous, boolean echo) {
        int fam = table.family();
        UnaryOperator<String> sent = name -> anonymous.contains(name) ? NftSet.ANONYMOUS_TEMPLATE : name;
        String what = op.describe(table);
        int create = NetlinkSocket.NLM_F_CREATE;
        return switch (op) {
            case NftOp.AddTable t -> {
                try (NftnlTable w = NftnlTable.of(table)) {
                    yield batch.add(NftMsg.NEWTABLE, fam, create, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.DeleteTable t -> {
                try (NftnlTable w = NftnlTable.of(table)) {
                    yield batch.add(NftMsg.DELTABLE, fam, 0, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.AddChain c -> {
                try (NftnlChain w = NftnlChain.of(table, c.chain())) {
                    yield batch.add(NftMsg.NEWCHAIN, fam, create, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.FlushChain c -> {
                try (NftnlRule w = NftnlRule.header(table, c.chain())) {
                    yield batch.add(NftMsg.DELRULE, fam, 0, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.DeleteChain c -> {
                try (NftnlChain w = NftnlChain.named(table, c.chain())) {
                    yield batch.add(NftMsg.DELCHAIN, fam, 0, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.AddSet s -> {
                NftSet set = s.set().withName(sent.apply(s.set().name()));
                try (NftnlSet w = NftnlSet.of(table, set, setIds.getOrDefault(s.set().name(), 0))) {
                    yield batch.add(NftMsg.NEWSET, fam, create, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.DeleteSet s -> {
                try (NftnlSet w = NftnlSet.named(table, s.set())) {
                    yield batch.add(NftMsg.DELSET, fam, 0, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.AddElements e -> elements(batch, NftMsg.NEWSETELEM, create, what, e.set(), sent.apply(e.set()), e.elements(), setIds);
            case NftOp.DeleteElements e -> elements(batch, NftMsg.DELSETELEM, 0, what, e.set(), e.set(), e.elements(), Map.of());
            case NftOp.AddObject o when o.object() instanceof NftObject.CounterObject c ->
                    batch.addWire(NftMsg.NEWOBJ, fam, create, what, 512 + 3L * c.name().length(), NftBatch.Kind.OTHER, 0,
                            w -> NftWire.counter(w, tableName, c.name()));
            case NftOp.AddObject o -> {
                try (NftnlObj w = NftnlObj.of(table, o.object())) {
                    yield batch.add(NftMsg.NEWOBJ, fam, create, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.DeleteObject o -> {
                try (NftnlObj w = NftnlObj.named(table, o.name(), o.type())) {
                    yield batch.add(NftMsg.DELOBJ, fam, 0, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
            case NftOp.AddRule r -> {
                int flags = create | (echo ? NftMsg.NLM_F_ECHO : 0);
                if (r.before() == null) flags |= NetlinkSocket.NLM_F_APPEND;
                yield batch.addWire(NftMsg.NEWRULE, fam, flags, what, ruleBytes(r.rule()), NftBatch.Kind.RULE, 0,
                        w -> NftWire.rule(w, target(r.rule().chain()), r.rule(), null, r.before(), name -> setIds.getOrDefault(name, 0), sent));
            }
            case NftOp.ReplaceRule r -> batch.addWire(NftMsg.NEWRULE, fam, NetlinkSocket.NLM_F_REPLACE | NftMsg.NLM_F_ECHO, what,
                    ruleBytes(r.rule()), NftBatch.Kind.RULE, 0,
                    w -> NftWire.rule(w, target(r.rule().chain()), r.rule(), r.handle(), null, name -> setIds.getOrDefault(name, 0), sent));
            case NftOp.DeleteRule r -> {
                try (NftnlRule w = NftnlRule.header(table, r.chain())) {
                    w.handle(r.handle());
                    yield batch.add(NftMsg.DELRULE, fam, 0, what, 4096, NftBatch.Kind.OTHER, 0, w::buildPayload);
                }
            }
        };
    }

    /**
     * Element messages of at most {@link NftnlSetElems#MAX_ELEMENT_BYTES_PER_MESSAGE} bytes of elements each (the
     * element list is one attribute with a 16-bit length), named with the range of elements they carry.
     */
    private int elements(NftBatch batch, int msg, int flags, String what, String set, String sentName, List<SetElement> all,
                         Map<String, Integer> setIds) {
        int setId = setIds.getOrDefault(set, 0);
        int seq = -1;
        int from = 0;
        while (from < all.size()) {
            int to = from;
            long bytes = 0;
            while (to < all.size()) {
                int size = NftnlSetElems.wireSize(all.get(to));
                if (to > from && bytes + size > NftnlSetElems.MAX_ELEMENT_BYTES_PER_MESSAGE) break;
                bytes += size;
                to++;
            }
            String op = what + (all.size() == 1 ? "" : " (elements " + (from + 1) + "-" + to + " of " + all.size() + ")");
            List<SetElement> chunk = all.subList(from, to);
            seq = batch.addWire(msg, table.family(), flags, op, bytes + 4096, NftBatch.Kind.ELEMENTS, from,
                    w -> NftWire.elements(w, tableName, sentName, setId, chunk));
            from = to;
        }
        return seq;
    }

    /** An upper bound of a rule message: headers, names, up to ~600 bytes per expression, the comment. */
    private static long ruleBytes(Rule r) {
        return 2048 + 1024L * r.exprs().size() + (r.comment() == null ? 0 : 4L * r.comment().length());
    }
}
