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

    /** A rule as a GETRULE dump lists it: its table, its handle and its value. */
    public record ParsedRule(String table, long handle, Rule rule) {
    }

    /**
     * One NEWRULE message of a GETRULE dump (or an echo), parsed in Java: what {@link NftnlRule#parse} and
     * {@link NftnlRule#toValue} give, expression by expression with the same checks (payload and meta writes, ct set,
     * object maps, log flags, bitwise shifts and unknown kinds are not supported), without a libnftnl rule, a copy of
     * the message into native memory and a foreign call per attribute. NftWireEncodingTest compares it with libnftnl's
     * parse; the kernel round-trip tests read back through it.
     *
     * @param payload the message after its netlink header (nfgenmsg, then the attributes)
     */
    public static ParsedRule parseRule(java.lang.foreign.MemorySegment payload) {
        long end = payload.byteSize();
        String table = null, chain = null;
        Long handle = null;
        byte[] udata = null;
        long exprs = -1;
        int exprsLen = 0;
        for (long pos = 4; pos + 4 <= end; ) {
            int len = attrLen(payload, pos, end);
            switch (type(payload, pos)) {
                case NFTA_RULE_TABLE -> table = string(payload, pos, len);
                case NFTA_RULE_CHAIN -> chain = string(payload, pos, len);
                case NFTA_RULE_HANDLE -> handle = payload.get(BE64R, pos + 4);
                case NFTA_RULE_USERDATA -> udata = payload.asSlice(pos + 4, len - 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                case NFTA_RULE_EXPRESSIONS -> {
                    exprs = pos;
                    exprsLen = len;
                }
                default -> {
                }
            }
            pos += (len + 3) & ~3;
        }
        if (chain == null) throw new IllegalStateException("a rule message without a chain");
        String where = "rule in chain " + chain + (handle != null ? " (handle " + handle + ")" : "");
        List<Expr> out = new java.util.ArrayList<>();
        if (exprs >= 0) {
            for (long e = exprs + 4; e + 4 <= exprs + exprsLen; ) {
                int elen = attrLen(payload, e, exprs + exprsLen);
                out.add(parseExpr(payload, e + 4, e + elen, where));
                e += (elen + 3) & ~3;
            }
        }
        String comment = udata == null ? null : NftnlRule.commentOf(udata);
        if (handle == null) throw new IllegalStateException(where + ": no handle in the kernel's answer");
        return new ParsedRule(table, handle, new Rule(chain, out, comment));
    }

    private static final java.lang.foreign.ValueLayout.OfLong BE64R =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfShort BE16R =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** The attributes of one expression's data nest, by type (at most 16 types), as offsets of their headers. */
    private static final class Attrs {
        final java.lang.foreign.MemorySegment m;
        final long[] at = new long[17];
        final int[] len = new int[17];

        Attrs(java.lang.foreign.MemorySegment m, long from, long to) {
            this.m = m;
            java.util.Arrays.fill(at, -1);
            for (long pos = from; pos + 4 <= to; ) {
                int l = attrLen(m, pos, to);
                int t = type(m, pos);
                if (t < at.length) {
                    at[t] = pos;
                    len[t] = l;
                }
                pos += (l + 3) & ~3;
            }
        }

        boolean has(int t) {
            return at[t] >= 0;
        }

        /** A number of the width the kernel sent (u8, be16, be32, be64), as libnftnl would hand it over. */
        long num(int t) {
            if (!has(t)) throw new IllegalStateException("attribute not set");
            long p = at[t] + 4;
            return switch (len[t] - 4) {
                case 1 -> Byte.toUnsignedLong(m.get(java.lang.foreign.ValueLayout.JAVA_BYTE, p));
                case 2 -> Short.toUnsignedLong(m.get(BE16R, p));
                case 4 -> Integer.toUnsignedLong(m.get(BE32, p));
                case 8 -> m.get(BE64R, p);
                default -> throw new IllegalStateException("unexpected numeric attribute of " + (len[t] - 4) + " bytes");
            };
        }

        int i32(int t) {
            return (int) num(t);
        }

        Integer opt(int t) {
            return has(t) ? i32(t) : null;
        }

        int or0(int t) {
            return has(t) ? i32(t) : 0;
        }

        String str(int t) {
            return has(t) ? string(m, at[t], len[t]) : null;
        }

        /** A data nest's NFTA_DATA_VALUE, or null. */
        Bytes data(int t) {
            if (!has(t)) return null;
            byte[] v = value(m, at[t] + 4, at[t] + len[t], NFTA_DATA_VALUE);
            return v == null ? null : Bytes.of(v);
        }
    }

    private static Expr parseExpr(java.lang.foreign.MemorySegment m, long from, long to, String where) {
        String name = null;
        long data = -1;
        int dataLen = 0;
        for (long pos = from; pos + 4 <= to; ) {
            int len = attrLen(m, pos, to);
            int t = type(m, pos);
            if (t == NFTA_EXPR_NAME) name = string(m, pos, len);
            else if (t == NFTA_EXPR_DATA) {
                data = pos;
                dataLen = len;
            }
            pos += (len + 3) & ~3;
        }
        if (name == null) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(where + ": expression without a name");
        String at = where + ", expression '" + name + "'";
        Attrs x = data < 0 ? new Attrs(m, 0, 0) : new Attrs(m, data + 4, data + dataLen);
        return switch (name) {
            case "meta" -> {
                if (x.has(3)) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": meta statement (meta set) is not supported");
                yield new Meta(x.i32(2), x.i32(1));
            }
            case "payload" -> {
                if (x.has(5)) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": payload write is not supported");
                yield new Payload(x.i32(2), x.i32(3), x.i32(4), x.i32(1));
            }
            case "cmp" -> new Cmp(x.i32(1), x.i32(2), x.data(3));
            case "bitwise" -> {
                if (x.has(6) && x.i32(6) != 0) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": bitwise shift is not supported");
                yield new Bitwise(x.i32(1), x.i32(2), x.i32(3), x.data(4), x.data(5));
            }
            case "immediate" -> {
                long v = x.has(2) ? find(m, x.at[2] + 4, x.at[2] + x.len[2], NFTA_DATA_VERDICT) : -1;
                if (v >= 0) {
                    Attrs vd = new Attrs(m, v + 4, v + attrLen(m, v, x.at[2] + x.len[2]));
                    yield new Verdict(vd.i32(NFTA_VERDICT_CODE), vd.str(NFTA_VERDICT_CHAIN));
                }
                yield new Immediate(x.i32(1), x.data(2));
            }
            case "lookup" -> new Lookup(x.i32(2), x.str(1), x.opt(3), x.or0(5));
            case "objref" -> {
                if (!x.has(2)) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": object map references are not supported");
                yield new Objref(x.i32(1), x.str(2));
            }
            case "limit" -> new Limit(x.num(1), x.num(2), x.i32(3), x.i32(4), x.or0(5));
            case "log" -> {
                if (x.has(6) && x.i32(6) != 0) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": log flags are not supported");
                if (x.has(3) && x.i32(3) != 0) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": log snaplen is not supported");
                if (x.has(4) && x.i32(4) != 0) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": log queue-threshold is not supported");
                yield new Log(x.str(2), x.opt(5), x.opt(1));
            }
            case "reject" -> new Reject(x.i32(1), x.or0(2));
            case "nat" -> new Nat(x.i32(1), x.i32(2), x.opt(3), x.opt(4), x.opt(5), x.opt(6), x.or0(7));
            case "masq" -> new Masq(x.or0(1), x.opt(2), x.opt(3));
            case "ct" -> {
                if (x.has(4)) throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": ct statement (ct set) is not supported");
                yield new Ct(x.i32(2), x.i32(1), x.opt(3));
            }
            case "range" -> new Range(x.i32(1), x.i32(2), x.data(3), x.data(4));
            case "notrack" -> new Notrack();
            case "counter" -> new Counter();
            default -> throw new dev.bulwark.dataplane.nft.NftUnsupportedException(at + ": this expression kind is not supported");
        };
    }

    /** The NUL-terminated string of the attribute at {@code pos} (of length {@code len}). */
    private static String string(java.lang.foreign.MemorySegment m, long pos, int len) {
        byte[] b = m.asSlice(pos + 4, len - 4).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        return cString(b);
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
