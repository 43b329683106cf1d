package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.expr.Bitwise;
import dev.bulwark.dataplane.nft.expr.Cmp;
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
import dev.bulwark.dataplane.nft.stmt.Intervals.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Lowers the statements of one rule to kernel expressions the way nft 1.0.6 does in an inet table (src/evaluate.c,
 * src/rule.c stmt_reduce, src/netlink_linearize.c):
 * <ul>
 * <li>a payload match whose protocol is not yet known gets a dependency match before it: {@code meta nfproto} for the
 * network header, {@code meta l4proto} for the transport header (ICMP also needs its family first when nothing is
 * known); an explicit {@code meta nfproto}/{@code meta l4proto} or an earlier dependency makes later ones unnecessary;
 * <li>a TCP reset or a family ICMP reject puts its dependency at the front of the rule;
 * <li>a prefix of whole bytes loads only those bytes; any other prefix loads the field and masks it; a range is
 * {@code cmp gte} and {@code cmp lte} (negated: a {@code range neq});
 * <li>after evaluation, adjacent payload compares of constant values with the same operator merge into one load
 * when they fit nft's rules (e.g. {@code tcp sport 1 tcp dport 2} becomes one 4-byte compare), ordered by offset.
 * </ul>
 * All matches load into register 1, as nft does.
 */
final class Lowerer {

    /** The expressions of a rule and its anonymous sets in creation order. */
    record Result(List<Expr> exprs, List<AnonSet> anonSets) {
    }

    private static final int REG = Nft.REG_1;

    private final Function<AnonSet, String> namer;
    private Integer nfproto;
    private Integer l4proto;
    private final List<Node> nodes = new ArrayList<>();
    private final List<AnonSet> anonSets = new ArrayList<>();

    private Lowerer(Function<AnonSet, String> namer) {
        this.namer = namer;
    }

    static Result lower(List<Stmt> stmts, Function<AnonSet, String> namer) {
        Lowerer l = new Lowerer(namer);
        for (Stmt s : stmts) l.add(s);
        l.reduce();
        List<Expr> out = new ArrayList<>();
        for (Node n : l.nodes) if (!n.deleted) out.addAll(n.exprs());
        return new Result(List.copyOf(out), List.copyOf(l.anonSets));
    }

    // ---- pieces of a rule: nft's statements after evaluation

    private enum Kind {
        /** A relational expression statement (match) that stmt_reduce leaves alone. */
        MATCH,
        /** A payload compare against a constant with == or !=: stmt_reduce may merge it. */
        PAYLOAD,
        /** Any other statement (verdict, counter, log, nat ...): payload merging does not cross it. */
        OTHER
    }

    private static final class Node {
        final Kind kind;
        final List<Expr> exprs;
        int base, offset, len, op;
        Bytes value;
        boolean deleted;

        Node(Kind kind, List<Expr> exprs) {
            this.kind = kind;
            this.exprs = exprs;
        }

        static Node payload(int base, int offset, int op, Bytes value) {
            Node n = new Node(Kind.PAYLOAD, null);
            n.base = base;
            n.offset = offset;
            n.len = value.length();
            n.op = op;
            n.value = value;
            return n;
        }

        List<Expr> exprs() {
            if (kind != Kind.PAYLOAD) return exprs;
            return List.of(new Payload(base, offset, len, REG), new Cmp(REG, op, value));
        }
    }

    private void match(Expr... e) {
        nodes.add(new Node(Kind.MATCH, List.of(e)));
    }

    private void other(Expr... e) {
        nodes.add(new Node(Kind.OTHER, List.of(e)));
    }

    // ---- dependencies

    private static Node metaCmp(int key, int value) {
        return new Node(Kind.MATCH, List.of(new Meta(key, REG), new Cmp(REG, Nft.CMP_EQ, Bytes.of((byte) value))));
    }

    private void needNetwork(int family, boolean atFront) {
        if (nfproto == null) {
            Node dep = metaCmp(Nft.META_NFPROTO, family);
            if (atFront) nodes.addFirst(dep);
            else nodes.add(dep);
            nfproto = family;
        } else if (nfproto != family) {
            throw new IllegalArgumentException("conflicting protocols specified: " + Symbols.nfprotoName(nfproto)
                    + " vs. " + Symbols.nfprotoName(family));
        }
    }

    private void needTransport(int proto, boolean atFront) {
        if (l4proto == null) {
            Node dep = metaCmp(Nft.META_L4PROTO, proto);
            if (atFront) nodes.addFirst(dep);
            else nodes.add(dep);
            l4proto = proto;
        } else if (l4proto != proto) {
            throw new IllegalArgumentException("conflicting protocols specified: " + Symbols.l4protoName(l4proto)
                    + " vs. " + Symbols.l4protoName(proto));
        }
    }

    /** ICMP's special case: with no transport protocol known, its family comes first (if unknown), then l4proto. */
    private void needIcmp(boolean v6) {
        int proto = v6 ? Symbols.IPPROTO_ICMPV6 : Symbols.IPPROTO_ICMP;
        if (l4proto == null) needNetwork(v6 ? Nft.NFPROTO_IPV6 : Nft.NFPROTO_IPV4, false);
        needTransport(proto, false);
    }

    private String anon(AnonSet set) {
        anonSets.add(set);
        return namer.apply(set);
    }

    // ---- statements

    private void add(Stmt s) {
        switch (s) {
            case IfnameMatch m -> match(new Meta(m.dir().metaKey(), REG),
                    new Cmp(REG, m.negate() ? Nft.CMP_NEQ : Nft.CMP_EQ, Bytes.ifname(m.name())));
            case IfnameSetMatch m -> match(new Meta(m.dir().metaKey(), REG), lookup(m.set(), m.negate()));
            case NfprotoMatch m -> {
                match(new Meta(Nft.META_NFPROTO, REG), new Cmp(REG, Nft.CMP_EQ, Bytes.of((byte) m.nfproto())));
                nfproto = m.nfproto();
            }
            case L4protoMatch m -> {
                if (m.protocols().size() == 1) {
                    match(new Meta(Nft.META_L4PROTO, REG), new Cmp(REG, Nft.CMP_EQ, Bytes.of((byte) (int) m.protocols().getFirst())));
                    l4proto = m.protocols().getFirst();
                } else {
                    SortedSet<SetElement> el = new TreeSet<>();
                    for (int p : m.protocols()) el.add(SetElement.of(Bytes.of((byte) p)));
                    String name = anon(new AnonSet(Nft.TYPE_INET_PROTOCOL, 1, false, el));
                    match(new Meta(Nft.META_L4PROTO, REG), lookup(name, false));
                }
            }
            case AddrMatch m -> addr(m);
            case PortMatch m -> port(m);
            case IcmpTypeMatch m -> {
                needIcmp(m.v6());
                if (m.types().size() == 1) {
                    nodes.add(Node.payload(Nft.PAYLOAD_TRANSPORT_HEADER, 0, Nft.CMP_EQ, Bytes.of((byte) (int) m.types().getFirst())));
                } else {
                    SortedSet<SetElement> el = new TreeSet<>();
                    for (int t : m.types()) el.add(SetElement.of(Bytes.of((byte) t)));
                    String name = anon(new AnonSet(m.v6() ? Symbols.TYPE_ICMP6_TYPE : Symbols.TYPE_ICMP_TYPE, 1, false, el));
                    match(new Payload(Nft.PAYLOAD_TRANSPORT_HEADER, 0, 1, REG), lookup(name, false));
                }
            }
            case CtStateMatch m -> flags(Nft.CT_STATE, m.mask());
            case CtStatusMatch m -> flags(Nft.CT_STATUS, m.mask());
            case LimitStmt m -> other(new Limit(m.rate(), m.unit(), m.effectiveBurst(), Nft.LIMIT_PKTS, 0));
            case LogStmt m -> other(new Log(m.prefix(), m.level(), m.group()));
            case CounterStmt m -> other(new Objref(Nft.OBJECT_COUNTER, m.name()));
            case VerdictStmt m -> other(new Verdict(m.code(), m.chain()));
            case VmapStmt m -> other(new Meta(m.dir().metaKey(), REG), new Lookup(REG, m.map(), Nft.REG_VERDICT, 0));
            case RejectStmt m -> {
                switch (m.type()) {
                    case Nft.REJECT_TCP_RST -> needTransport(Symbols.IPPROTO_TCP, true);
                    case Nft.REJECT_ICMP_UNREACH -> needNetwork(m.family(), true);
                    default -> {
                    }
                }
                other(new Reject(m.type(), m.code()));
            }
            case NatStmt m -> nat(m);
            case MasqueradeStmt m -> other(new Masq(0, null, null));
            case NotrackStmt m -> other(new Notrack());
            case CtHelperSetStmt m -> other(new Objref(Nft.OBJECT_CT_HELPER, m.name()));
            case CtTimeoutSetStmt m -> other(new Objref(Nft.OBJECT_CT_TIMEOUT, m.name()));
        }
    }

    private static Lookup lookup(String set, boolean negate) {
        return new Lookup(REG, set, null, negate ? Nft.LOOKUP_F_INV : 0);
    }

    /** A bitmask type (ct state, ct status): {@code (reg & mask) != 0}, in host byte order. */
    private void flags(int ctKey, int mask) {
        match(new Ct(ctKey, REG, null),
                new Bitwise(REG, REG, 4, Bytes.host32(mask), Bytes.host32(0)),
                new Cmp(REG, Nft.CMP_NEQ, Bytes.host32(0)));
    }

    private void addr(AddrMatch m) {
        AddrField f = m.field();
        needNetwork(f.nfproto(), false);
        int op = m.negate() ? Nft.CMP_NEQ : Nft.CMP_EQ;
        Payload full = new Payload(Nft.PAYLOAD_NETWORK_HEADER, f.offset(), f.length(), REG);
        switch (m.value()) {
            case AddrValue.Single s -> nodes.add(Node.payload(Nft.PAYLOAD_NETWORK_HEADER, f.offset(), op, s.address()));
            case AddrValue.Prefix p -> {
                if (p.length() > 0 && p.length() % 8 == 0) {
                    int n = p.length() / 8;
                    byte[] net = new byte[n];
                    System.arraycopy(p.network().toArray(), 0, net, 0, n);
                    match(new Payload(Nft.PAYLOAD_NETWORK_HEADER, f.offset(), n, REG), new Cmp(REG, op, Bytes.of(net)));
                } else {
                    match(full, new Bitwise(REG, REG, f.length(), Intervals.mask(p.length(), f.length()), Bytes.of(new byte[f.length()])),
                            new Cmp(REG, op, p.network()));
                }
            }
            case AddrValue.Range r -> range(full, r.from(), r.to(), m.negate());
            case AddrValue.Named n -> match(full, lookup(n.set(), m.negate()));
            case AddrValue.Anonymous a -> {
                String name = anon(anonSet(f.keyType(), f.length(), a.interval(), a.intervals()));
                match(full, lookup(name, m.negate()));
            }
        }
    }

    private void port(PortMatch m) {
        needTransport(m.l4proto(), false);
        int op = m.negate() ? Nft.CMP_NEQ : Nft.CMP_EQ;
        int off = m.field().offset();
        Payload load = new Payload(Nft.PAYLOAD_TRANSPORT_HEADER, off, 2, REG);
        switch (m.value()) {
            case PortValue.Single s -> nodes.add(Node.payload(Nft.PAYLOAD_TRANSPORT_HEADER, off, op, PortValue.key(s.port())));
            case PortValue.Range r -> range(load, PortValue.key(r.from()), PortValue.key(r.to()), m.negate());
            case PortValue.Named n -> match(load, lookup(n.set(), m.negate()));
            case PortValue.Anonymous a -> {
                String name = anon(anonSet(Nft.TYPE_INET_SERVICE, 2, a.interval(), a.intervals()));
                match(load, lookup(name, m.negate()));
            }
        }
    }

    private void range(Payload load, Bytes from, Bytes to, boolean negate) {
        if (negate) match(load, new Range(REG, Nft.RANGE_NEQ, from, to));
        else match(load, new Cmp(REG, Nft.CMP_GTE, from), new Cmp(REG, Nft.CMP_LTE, to));
    }

    static AnonSet anonSet(int keyType, int keyLen, boolean interval, List<Interval> intervals) {
        if (interval) return new AnonSet(keyType, keyLen, true, Intervals.elements(intervals));
        SortedSet<SetElement> el = new TreeSet<>();
        for (Interval i : intervals) el.add(SetElement.of(i.from()));
        return new AnonSet(keyType, keyLen, false, el);
    }

    private void nat(NatStmt m) {
        List<Expr> e = new ArrayList<>();
        int reg = REG;
        int min = reg++;
        e.add(new Immediate(min, m.addrMin()));
        Integer max = null;
        if (m.addrMax() != null) {
            max = reg++;
            e.add(new Immediate(max, m.addrMax()));
        }
        Integer proto = null;
        if (m.port() != null) {
            if (l4proto == null || (l4proto != Symbols.IPPROTO_TCP && l4proto != Symbols.IPPROTO_UDP)) {
                throw new IllegalArgumentException("transport protocol mapping is only valid after transport protocol match");
            }
            proto = reg;
            e.add(new Immediate(proto, PortValue.key(m.port())));
        }
        e.add(new Nat(m.type(), m.family(), min, max, proto, null, m.flags()));
        other(e.toArray(Expr[]::new));
    }

    // ---- stmt_reduce: merge adjacent payload compares

    private void reduce() {
        List<Node> sa = new ArrayList<>();
        for (Node n : nodes) {
            if (n.kind == Kind.OTHER) {
                if (sa.size() < 2) continue; // as nft: a lone compare stays a candidate across the statement
                merge(sa);
                sa.clear();
                continue;
            }
            if (n.kind == Kind.PAYLOAD) sa.add(n);
        }
        if (sa.size() > 1) merge(sa);
    }

    private static void merge(List<Node> sa) {
        List<Node> sorted = new ArrayList<>(sa);
        sorted.sort(Comparator.<Node>comparingInt(n -> n.base).thenComparingInt(n -> n.offset));
        Node last = sorted.getFirst();
        for (int i = 1; i < sorted.size(); i++) {
            Node cur = sorted.get(i);
            if (!canMerge(last, cur) || last.op != cur.op) {
                last = cur;
                continue;
            }
            byte[] v = new byte[last.len + cur.len];
            System.arraycopy(last.value.toArray(), 0, v, 0, last.len);
            System.arraycopy(cur.value.toArray(), 0, v, last.len, cur.len);
            last.value = Bytes.of(v);
            last.len = v.length;
            cur.deleted = true;
        }
    }

    /** payload_can_merge of nft 1.0.6 (src/payload.c), in bytes. */
    private static boolean canMerge(Node a, Node b) {
        if (a.base != b.base || a.offset + a.len != b.offset) return false;
        int total = a.len + b.len;
        if (total > 16) return false;
        if (total <= 4) return true;
        if (a.base == Nft.PAYLOAD_LL_HEADER) return true;
        return a.len > 4 || b.len > 4;
    }
}
