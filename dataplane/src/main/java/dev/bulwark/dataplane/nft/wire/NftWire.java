package dev.bulwark.dataplane.nft.wire;

import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.SetElement;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * The payloads of the messages a large apply sends by the thousand (rules, counter objects, set elements), written
 * in Java with {@link NlWriter}: the same attributes in the same order as libnftnl's {@code *_nlmsg_build_payload}
 * (NftWireTest compares the bytes with libnftnl's for every expression kind), without a libnftnl object, a native
 * allocation and a dozen foreign calls per rule and per expression. The kernel's {@code NFTA_*} numbers are used here,
 * not libnftnl's {@code NFTNL_*} ones.
 */
public final class NftWire {
    private NftWire() {
    }

    // linux/netfilter/nf_tables.h
    private static final int NFTA_LIST_ELEM = 1;
    private static final int NFTA_DATA_VALUE = 1, NFTA_DATA_VERDICT = 2;
    private static final int NFTA_VERDICT_CODE = 1, NFTA_VERDICT_CHAIN = 2;
    private static final int NFTA_RULE_TABLE = 1, NFTA_RULE_CHAIN = 2, NFTA_RULE_HANDLE = 3, NFTA_RULE_EXPRESSIONS = 4,
            NFTA_RULE_POSITION = 6, NFTA_RULE_USERDATA = 7;
    private static final int NFTA_EXPR_NAME = 1, NFTA_EXPR_DATA = 2;
    private static final int NFTA_OBJ_TABLE = 1, NFTA_OBJ_NAME = 2, NFTA_OBJ_TYPE = 3, NFTA_OBJ_DATA = 4;
    private static final int NFTA_SET_ELEM_LIST_TABLE = 1, NFTA_SET_ELEM_LIST_SET = 2, NFTA_SET_ELEM_LIST_ELEMENTS = 3,
            NFTA_SET_ELEM_LIST_SET_ID = 4;
    private static final int NFTA_SET_ELEM_KEY = 1, NFTA_SET_ELEM_DATA = 2, NFTA_SET_ELEM_FLAGS = 3;

    /** Table and chain of a rule message, their names as NUL-less bytes (sent with every rule: encoded once). */
    public record RuleTarget(byte[] table, byte[] chain) {
        public static RuleTarget of(String table, String chain) {
            return new RuleTarget(table.getBytes(StandardCharsets.UTF_8), chain.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A rule to add or replace (as {@link NftnlRule#of} with {@link NftnlRule#handle}/{@link NftnlRule#position}):
     * table, chain, handle, position, comment, expressions.
     *
     * @param handle   the rule to replace, or null
     * @param position the rule to add before/after, or null
     */
    public static void rule(NlWriter w, RuleTarget target, Rule rule, Long handle, Long position, ToIntFunction<String> setIds,
                            UnaryOperator<String> setNames) {
        w.strz(NFTA_RULE_TABLE, target.table());
        w.strz(NFTA_RULE_CHAIN, target.chain());
        if (handle != null) w.be64(NFTA_RULE_HANDLE, handle);
        if (position != null) w.be64(NFTA_RULE_POSITION, position);
        if (rule.comment() != null) w.bytes(NFTA_RULE_USERDATA, NftnlRule.commentUserdata(rule.comment()));
        List<Expr> exprs = rule.exprs();
        if (!exprs.isEmpty()) {
            long list = w.nest(NFTA_RULE_EXPRESSIONS);
            for (Expr e : exprs) {
                long elem = w.nest(NFTA_LIST_ELEM);
                expr(w, e, setIds, setNames);
                w.end(elem);
            }
            w.end(list);
        }
    }

    private static void expr(NlWriter w, Expr e, ToIntFunction<String> setIds, UnaryOperator<String> setNames) {
        w.strz(NFTA_EXPR_NAME, e.kind());
        if (e instanceof Notrack) return; // libnftnl's notrack has no build function: no data nest
        long data = w.nest(NFTA_EXPR_DATA);
        switch (e) {
            case Meta m -> w.be32(2, m.key()).be32(1, m.dreg()); // KEY, DREG
            case Payload p -> w.be32(1, p.dreg()).be32(2, p.base()).be32(3, p.offset()).be32(4, p.len());
            case Cmp c -> {
                w.be32(1, c.sreg()).be32(2, c.op());
                value(w, 3, c.data());
            }
            case Bitwise b -> {
                w.be32(1, b.sreg()).be32(2, b.dreg()).be32(3, b.len());
                value(w, 4, b.mask());
                value(w, 5, b.xor());
            }
            case Immediate i -> {
                w.be32(1, i.dreg());
                value(w, 2, i.data());
            }
            case Verdict v -> {
                w.be32(1, Nft.REG_VERDICT);
                long d = w.nest(2); // NFTA_IMMEDIATE_DATA
                long vn = w.nest(NFTA_DATA_VERDICT);
                w.be32(NFTA_VERDICT_CODE, v.code());
                if (v.chain() != null) w.strz(NFTA_VERDICT_CHAIN, v.chain());
                w.end(vn);
                w.end(d);
            }
            case Lookup l -> {
                w.be32(2, l.sreg()); // SREG
                if (l.dreg() != null) w.be32(3, l.dreg());
                w.strz(1, setNames.apply(l.set())); // SET
                int id = setIds.applyAsInt(l.set());
                if (id != 0) w.be32(4, id); // SET_ID
                w.be32(5, l.flags());
            }
            case Objref o -> w.be32(1, o.type()).str(2, o.name()); // libnftnl: mnl_attr_put_str, no NUL
            case Limit l -> w.be64(1, l.rate()).be64(2, l.unit()).be32(3, l.burst()).be32(4, l.type()).be32(5, l.flags());
            case Log l -> {
                if (l.prefix() != null) w.strz(2, l.prefix());
                if (l.group() != null) w.be16(1, l.group());
                if (l.level() != null) w.be32(5, l.level());
            }
            case Reject r -> {
                w.be32(1, r.type());
                if (r.type() != Nft.REJECT_TCP_RST) w.u8(2, r.code());
            }
            case Nat n -> {
                w.be32(1, n.type()).be32(2, n.family());
                if (n.regAddrMin() != null) w.be32(3, n.regAddrMin());
                if (n.regAddrMax() != null) w.be32(4, n.regAddrMax());
                if (n.regProtoMin() != null) w.be32(5, n.regProtoMin());
                if (n.regProtoMax() != null) w.be32(6, n.regProtoMax());
                if (n.flags() != 0) w.be32(7, n.flags());
            }
            case Masq m -> {
                if (m.flags() != 0) w.be32(1, m.flags());
                if (m.regProtoMin() != null) w.be32(2, m.regProtoMin());
                if (m.regProtoMax() != null) w.be32(3, m.regProtoMax());
            }
            case Ct c -> {
                w.be32(2, c.key()).be32(1, c.dreg());
                if (c.direction() != null) w.u8(3, c.direction());
            }
            case Range r -> {
                w.be32(1, r.sreg()).be32(2, r.op());
                value(w, 3, r.from());
                value(w, 4, r.to());
            }
            case Counter c -> {
            }
            case Notrack n -> throw new AssertionError();
        }
        w.end(data);
    }

    /** A data attribute: a nest holding NFTA_DATA_VALUE. */
    private static void value(NlWriter w, int type, Bytes b) {
        if (b.length() > 64) throw new IllegalArgumentException("expression data of " + b.length() + " bytes (the kernel takes at most 64)");
        long n = w.nest(type);
        w.bytes(NFTA_DATA_VALUE, b);
        w.end(n);
    }

    /** A named counter object ({@code nft add counter inet bulwark NAME}), as {@link NftnlObj#of}. */
    public static void counter(NlWriter w, byte[] table, String name) {
        w.strz(NFTA_OBJ_TABLE, table).strz(NFTA_OBJ_NAME, name).be32(NFTA_OBJ_TYPE, Nft.OBJECT_COUNTER);
        w.end(w.nest(NFTA_OBJ_DATA));
    }

    // ---- reading ----------------------------------------------------------------------------------------------------

    private static final java.lang.foreign.ValueLayout.OfShort U16 =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.nativeOrder());
    private static final java.lang.foreign.ValueLayout.OfInt BE32 =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final int NFTA_SET_ELEM_TIMEOUT = 4, NFTA_SET_ELEM_OBJREF = 8, NFTA_SET_ELEM_KEY_END = 9;

    /**
     * The elements of one NEWSETELEM message of a GETSETELEM dump, parsed in Java (what {@link NftnlSetElems#parse} and
     * {@link NftnlSetElems#toValues} give, without a libnftnl element and a dozen foreign calls per element): key,
     * flags, verdict and chain. Elements with a range end key, a data value, an object or a timeout are not supported,
     * as there.
     *
     * @param payload the message after its netlink header (nfgenmsg, then the attributes)
     */
    public static void parseElements(java.lang.foreign.MemorySegment payload, String setName, List<SetElement> out) {
        long end = payload.byteSize();
        for (long pos = 4; pos + 4 <= end; ) {
            int len = attrLen(payload, pos, end);
            if ((type(payload, pos)) == NFTA_SET_ELEM_LIST_ELEMENTS) {
                for (long e = pos + 4; e + 4 <= pos + len; ) {
                    int elen = attrLen(payload, e, pos + len);
                    out.add(element(payload, e + 4, e + elen, setName));
                    e += (elen + 3) & ~3;
                }
            }
            pos += (len + 3) & ~3;
        }
    }

    private static SetElement element(java.lang.foreign.MemorySegment m, long from, long to, String setName) {
        Bytes key = null;
        int flags = 0;
        Integer verdict = null;
        String chain = null;
        for (long pos = from; pos + 4 <= to; ) {
            int len = attrLen(m, pos, to);
            int unsupported = -1;
            switch (type(m, pos)) {
                case NFTA_SET_ELEM_KEY -> key = Bytes.of(value(m, pos + 4, pos + len, NFTA_DATA_VALUE));
                case NFTA_SET_ELEM_FLAGS -> flags = m.get(BE32, pos + 4);
                case NFTA_SET_ELEM_DATA -> {
                    long v = find(m, pos + 4, pos + len, NFTA_DATA_VERDICT);
                    if (v < 0) {
                        unsupported = dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_DATA;
                    } else {
                        int vlen = attrLen(m, v, pos + len);
                        long code = find(m, v + 4, v + vlen, NFTA_VERDICT_CODE);
                        if (code >= 0) verdict = m.get(BE32, code + 4);
                        byte[] c = value(m, v + 4, v + vlen, NFTA_VERDICT_CHAIN);
                        if (c != null) chain = cString(c);
                    }
                }
                case NFTA_SET_ELEM_KEY_END -> unsupported = dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_KEY_END;
                case NFTA_SET_ELEM_OBJREF -> unsupported = dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_OBJREF;
                case NFTA_SET_ELEM_TIMEOUT -> unsupported = dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_TIMEOUT;
                default -> {
                }
            }
            if (unsupported >= 0) {
                throw new dev.bulwark.dataplane.nft.NftUnsupportedException("set " + setName + ": element with attribute " + unsupported
                        + " (range end key, data value, object or timeout) is not supported");
            }
            pos += (len + 3) & ~3;
        }
        if (key == null) throw new IllegalStateException("set " + setName + ": element without a key in the kernel's answer");
        return new SetElement(key, flags, verdict, chain);
    }

    private static int type(java.lang.foreign.MemorySegment m, long pos) {
        return Short.toUnsignedInt(m.get(U16, pos + 2)) & 0x3FFF;
    }

    /** The length of the attribute at {@code pos}, checked against the region's end. */
    private static int attrLen(java.lang.foreign.MemorySegment m, long pos, long end) {
        int len = Short.toUnsignedInt(m.get(U16, pos));
        if (len < 4 || pos + len > end) throw new IllegalStateException("malformed netlink attribute in a set element message");
        return len;
    }

    /** The offset of the first attribute of {@code type} in [from, to), or -1. */
    private static long find(java.lang.foreign.MemorySegment m, long from, long to, int type) {
        for (long pos = from; pos + 4 <= to; ) {
            int len = attrLen(m, pos, to);
            if (type(m, pos) == type) return pos;
            pos += (len + 3) & ~3;
        }
        return -1;
    }

    /** The payload of the first attribute of {@code type} in [from, to), or null. */
    private static byte[] value(java.lang.foreign.MemorySegment m, long from, long to, int type) {
        long at = find(m, from, to, type);
        if (at < 0) return null;
        int len = attrLen(m, at, to);
        return m.asSlice(at + 4, len - 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** Elements of a set to add or delete, as {@link NftnlSetElems#of}. */
    public static void elements(NlWriter w, byte[] table, String set, int setId, List<SetElement> elements) {
        w.strz(NFTA_SET_ELEM_LIST_SET, set);
        if (setId != 0) w.be32(NFTA_SET_ELEM_LIST_SET_ID, setId);
        w.strz(NFTA_SET_ELEM_LIST_TABLE, table);
        if (elements.isEmpty()) return;
        long list = w.nest(NFTA_SET_ELEM_LIST_ELEMENTS);
        int i = 0;
        for (SetElement e : elements) {
            if (e.key().length() > NftnlSetElems.MAX_KEY_BYTES || e.key().length() == 0) {
                throw new IllegalArgumentException("set element key of " + e.key().length() + " bytes (1 to " + NftnlSetElems.MAX_KEY_BYTES + ")");
            }
            long el = w.nest(++i);
            if (e.flags() != 0) w.be32(NFTA_SET_ELEM_FLAGS, e.flags());
            long key = w.nest(NFTA_SET_ELEM_KEY);
            w.bytes(NFTA_DATA_VALUE, e.key());
            w.end(key);
            if (e.verdict() != null) {
                long d = w.nest(NFTA_SET_ELEM_DATA);
                long v = w.nest(NFTA_DATA_VERDICT);
                w.be32(NFTA_VERDICT_CODE, e.verdict());
                if (e.verdictChain() != null) w.strz(NFTA_VERDICT_CHAIN, e.verdictChain());
                w.end(v);
                w.end(d);
            }
            w.end(el);
        }
        w.end(list);
    }
}
