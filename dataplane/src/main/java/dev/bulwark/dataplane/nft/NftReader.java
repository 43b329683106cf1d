package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.wire.NftMsg;
import dev.bulwark.dataplane.nft.wire.NftnlChain;
import dev.bulwark.dataplane.nft.wire.NftnlGen;
import dev.bulwark.dataplane.nft.wire.NftnlObj;
import dev.bulwark.dataplane.nft.wire.NftnlRule;
import dev.bulwark.dataplane.nft.wire.NftnlSet;
import dev.bulwark.dataplane.nft.wire.NftnlSetElems;
import dev.bulwark.dataplane.nft.wire.NftnlTable;
import dev.bulwark.dataplane.nft.wire.NftWire;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads our table back from the kernel over netlink (dumps parsed with libnftnl) into the value types, so that
 * {@code NftReader.read(socket, table).equals(NftRuleset.canonical(desired))} after applying {@code desired}: the
 * table is returned in {@link NftRuleset#canonical} form (anonymous sets renamed by first reference, whatever names
 * the kernel gave them). Rules and set elements, read by the ten thousand, are parsed in Java ({@link NftWire});
 * the rest with libnftnl. Only our table is read
 * (principle 3): the dumps name it where the kernel filters by table, and answers of other tables are skipped
 * where it does not. The equivalent command is {@code nft list table inet bulwark}.
 */
public final class NftReader {
    private NftReader() {
    }

    private static final int ENOENT = 2;
    private static final int ATTEMPTS = 5;

    /** Our table's value, or null when the table does not exist. */
    public static NftRuleset read(NetlinkSocket socket, Table table) {
        NftState s = readState(socket, table);
        return s == null ? null : s.ruleset();
    }

    /**
     * Our table's value with rule handles and the generation it was read at, or null when the table does not
     * exist. The dumps are separate requests, so the generation is read before and after and the read repeated if
     * another writer committed in between: the result is one consistent snapshot.
     */
    public static NftState readState(NetlinkSocket socket, Table table) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int before = generation(socket);
            NftState s = readOnce(socket, table, before);
            if (generation(socket) == before) return s;
        }
        throw new NetlinkException("nft list table " + NftWords.table(table)
                + " (the ruleset kept changing while it was read, " + ATTEMPTS + " attempts)", 11, null);
    }

    /** The ruleset generation id ({@code NFT_MSG_GETGEN}); the kernel bumps it on every commit. */
    public static int generation(NetlinkSocket socket) {
        List<NetlinkMessage> reply = request(socket, NftMsg.GETGEN, 0, NetlinkSocket.NLM_F_ACK, "read nftables ruleset generation", nlh -> { });
        for (NetlinkMessage m : reply) {
            if ((m.type() & 0xFF) == NftMsg.NEWGEN) return NftnlGen.parseId(m);
        }
        throw new NetlinkException("read nftables ruleset generation (no answer)", 61, null);
    }

    /** Whether our table exists ({@code nft list table inet bulwark} succeeds). */
    public static boolean exists(NetlinkSocket socket, Table table) {
        try (NftnlTable t = NftnlTable.of(table)) {
            request(socket, NftMsg.GETTABLE, table.family(), NetlinkSocket.NLM_F_ACK,
                    "nft list table " + NftWords.table(table), t::buildPayload);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == ENOENT) return false;
            throw e;
        }
    }

    /** Packets and bytes of every named counter of our table, by name ({@code nft list counters table ...}). */
    public static Map<String, CounterValue> counters(NetlinkSocket socket, Table table) {
        Map<String, CounterValue> out = new LinkedHashMap<>();
        List<NetlinkMessage> msgs;
        try (NftnlObj filter = NftnlObj.named(table, null, Nft.OBJECT_COUNTER)) {
            msgs = dump(socket, NftMsg.GETOBJ, table.family(), "nft list counters table " + NftWords.table(table),
                    filter::buildPayload);
        } catch (NetlinkException e) {
            if (e.errno() == ENOENT) return out;
            throw e;
        }
        for (NetlinkMessage m : msgs) {
            try (NftnlObj o = NftnlObj.parse(m)) {
                if (!table.name().equals(o.table()) || o.type() != Nft.OBJECT_COUNTER) continue;
                long[] c = o.counter();
                out.put(o.name(), new CounterValue(c[0], c[1]));
            }
        }
        return out;
    }

    private static NftState readOnce(NetlinkSocket socket, Table table, int generation) {
        if (!exists(socket, table)) return null;
        String fam = NftWords.family(table.family());
        String where = NftWords.table(table);

        Map<String, Chain> chains = new LinkedHashMap<>();
        try (NftnlChain filter = NftnlChain.named(table, null)) {
            for (NetlinkMessage m : dump(socket, NftMsg.GETCHAIN, table.family(), "nft list chains " + fam, filter::buildPayload)) {
                try (NftnlChain c = NftnlChain.parse(m)) {
                    if (!table.name().equals(c.table())) continue; // chain dumps are not filtered by table
                    chains.put(c.name(), c.toValue());
                }
            }
        }

        Map<String, NftSet> sets = new LinkedHashMap<>();
        try (NftnlSet filter = NftnlSet.named(table, null)) {
            for (NetlinkMessage m : dump(socket, NftMsg.GETSET, table.family(), "nft list sets table " + where, filter::buildPayload)) {
                try (NftnlSet s = NftnlSet.parse(m)) {
                    if (!table.name().equals(s.table())) continue;
                    // Anonymous sets (the constant sets of rules, "__setN") are read like named ones, under the
                    // kernel's names; the result is made canonical below.
                    NftSet def = s.toValue();
                    sets.put(def.name(), def);
                }
            }
        }
        for (var e : sets.entrySet()) {
            e.setValue(e.getValue().withElements(elements(socket, table, e.getKey())));
        }

        Map<String, NftObject> objects = new LinkedHashMap<>();
        try (NftnlObj filter = NftnlObj.named(table, null, 0)) {
            for (NetlinkMessage m : dump(socket, NftMsg.GETOBJ, table.family(), "nft list objects table " + where, filter::buildPayload)) {
                try (NftnlObj o = NftnlObj.parse(m)) {
                    if (!table.name().equals(o.table())) continue;
                    NftObject v = o.toValue();
                    if (objects.put(v.name(), v) != null) {
                        throw new NftUnsupportedException("table " + where + " has two objects named " + v.name() + " (of different types)");
                    }
                }
            }
        }

        Map<String, List<Rule>> rules = new LinkedHashMap<>();
        Map<String, List<Long>> handles = new LinkedHashMap<>();
        try (NftnlRule filter = NftnlRule.header(table, null)) {
            for (NetlinkMessage m : dump(socket, NftMsg.GETRULE, table.family(), "nft list ruleset table " + where, filter::buildPayload)) {
                NftWire.ParsedRule r = NftWire.parseRule(m.payload());
                if (!table.name().equals(r.table())) continue;
                Rule rule = r.rule();
                rules.computeIfAbsent(rule.chain(), k -> new ArrayList<>()).add(rule);
                handles.computeIfAbsent(rule.chain(), k -> new ArrayList<>()).add(r.handle());
            }
        }
        return new NftState(NftRuleset.canonical(new NftRuleset(table, chains, sets, objects, rules)), handles, generation);
    }

    /** The elements of one set ({@code nft list set inet bulwark NAME}), one dump, parsed message by message. */
    public static TreeSet<SetElement> elements(NetlinkSocket socket, Table table, String set) {
        List<NetlinkMessage> msgs;
        try (NftnlSetElems filter = NftnlSetElems.of(table, set, 0, List.of())) {
            msgs = dump(socket, NftMsg.GETSETELEM, table.family(), "nft list set " + NftWords.table(table) + " " + set,
                    filter::buildPayload);
        }
        List<SetElement> all = new ArrayList<>();
        for (NetlinkMessage m : msgs) NftWire.parseElements(m.payload(), set, all);
        return sorted(all);
    }

    /**
     * {@code elements} as a sorted set, built in linear time from the sorted list (the kernel dumps a set in its own
     * order, which sorts in one pass; inserting 100,000s of elements one by one into a tree costs several times
     * more).
     */
    static TreeSet<SetElement> sorted(List<SetElement> elements) {
        elements.sort(null);
        List<SetElement> distinct = new ArrayList<>(elements.size());
        for (SetElement e : elements) {
            if (distinct.isEmpty() || distinct.getLast().compareTo(e) != 0) distinct.add(e);
        }
        TreeSet<SetElement> out = new TreeSet<>();
        out.addAll(new SortedList(distinct)); // TreeSet.addAll of a SortedSet into an empty set: linear
        return out;
    }

    /** A sorted list of distinct elements seen as a SortedSet: only what TreeSet.addAll reads of it. */
    private static final class SortedList extends java.util.AbstractSet<SetElement> implements java.util.SortedSet<SetElement> {
        private final List<SetElement> list;

        SortedList(List<SetElement> list) {
            this.list = list;
        }

        @Override
        public java.util.Iterator<SetElement> iterator() {
            return list.iterator();
        }

        @Override
        public int size() {
            return list.size();
        }

        @Override
        public java.util.Comparator<? super SetElement> comparator() {
            return null;
        }

        @Override
        public java.util.SortedSet<SetElement> subSet(SetElement from, SetElement to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedSet<SetElement> headSet(SetElement to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.SortedSet<SetElement> tailSet(SetElement from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SetElement first() {
            return list.getFirst();
        }

        @Override
        public SetElement last() {
            return list.getLast();
        }
    }

    // ---- requests -------------------------------------------------------------------------------------------------

    private static List<NetlinkMessage> dump(NetlinkSocket socket, int msg, int family, String operation, Consumer<MemorySegment> payload) {
        return request(socket, msg, family, NetlinkSocket.NLM_F_DUMP, operation, payload);
    }

    private static List<NetlinkMessage> request(NetlinkSocket socket, int msg, int family, int flags, String operation,
                                                Consumer<MemorySegment> payload) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(8192, 8);
            int seq = socket.nextSeq();
            MemorySegment nlh;
            try {
                nlh = (MemorySegment) LibNftnl.NLMSG_BUILD_HDR.invokeExact(buf, (short) msg, (short) family, (short) flags, seq);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
            payload.accept(nlh);
            long len = Integer.toUnsignedLong(buf.get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
            return socket.request(buf, len, seq, operation);
        }
    }
}
