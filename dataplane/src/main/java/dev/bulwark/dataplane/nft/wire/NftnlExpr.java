package dev.bulwark.dataplane.nft.wire;

import static dev.bulwark.dataplane.ffm.LibNftnl.*;

import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftUnsupportedException;
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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * The wire form of rule expressions: each {@link Expr} kind to a libnftnl expression and its {@code NFTNL_EXPR_*}
 * attributes, and back. An expression belongs to its rule once added, so these work on the rule's expression
 * pointers and leave freeing to {@link NftnlRule}.
 */
final class NftnlExpr {
    private NftnlExpr() {
    }

    /**
     * A new libnftnl expression for {@code e}; the caller adds it to a rule (which then owns it) or frees it.
     *
     * @param setIds   the transaction id of a set created in the same batch (for NFTNL_EXPR_LOOKUP_SET_ID), or 0
     * @param setNames the name a lookup sends for a set (the set's own, or a template the kernel does not resolve, so
     *                 that it takes the id)
     */
    static MemorySegment encode(Arena arena, Expr e, ToIntFunction<String> setIds, UnaryOperator<String> setNames) {
        MemorySegment x;
        try {
            x = (MemorySegment) EXPR_ALLOC.invokeExact(arena.allocateFrom(e.kind()));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (x.equals(MemorySegment.NULL)) throw new IllegalStateException("libnftnl does not know expression '" + e.kind() + "'");
        try {
            fill(arena, x, e, setIds, setNames);
            return x;
        } catch (RuntimeException ex) {
            free(x);
            throw ex;
        }
    }

    static void free(MemorySegment x) {
        try {
            EXPR_FREE.invokeExact(x);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void fill(Arena a, MemorySegment x, Expr e, ToIntFunction<String> setIds, UnaryOperator<String> setNames) {
        switch (e) {
            case Meta m -> {
                u32(x, EXPR_META_KEY, m.key());
                u32(x, EXPR_META_DREG, m.dreg());
            }
            case Payload p -> {
                u32(x, EXPR_PAYLOAD_BASE, p.base());
                u32(x, EXPR_PAYLOAD_OFFSET, p.offset());
                u32(x, EXPR_PAYLOAD_LEN, p.len());
                u32(x, EXPR_PAYLOAD_DREG, p.dreg());
            }
            case Cmp c -> {
                u32(x, EXPR_CMP_SREG, c.sreg());
                u32(x, EXPR_CMP_OP, c.op());
                data(a, x, EXPR_CMP_DATA, c.data());
            }
            case Bitwise b -> {
                u32(x, EXPR_BITWISE_SREG, b.sreg());
                u32(x, EXPR_BITWISE_DREG, b.dreg());
                u32(x, EXPR_BITWISE_LEN, b.len());
                data(a, x, EXPR_BITWISE_MASK, b.mask());
                data(a, x, EXPR_BITWISE_XOR, b.xor());
            }
            case Immediate i -> {
                u32(x, EXPR_IMM_DREG, i.dreg());
                data(a, x, EXPR_IMM_DATA, i.data());
            }
            case Verdict v -> {
                u32(x, EXPR_IMM_DREG, Nft.REG_VERDICT);
                u32(x, EXPR_IMM_VERDICT, v.code());
                if (v.chain() != null) str(a, x, EXPR_IMM_CHAIN, v.chain());
            }
            case Lookup l -> {
                u32(x, EXPR_LOOKUP_SREG, l.sreg());
                str(a, x, EXPR_LOOKUP_SET, setNames.apply(l.set()));
                int id = setIds.applyAsInt(l.set());
                if (id != 0) u32(x, EXPR_LOOKUP_SET_ID, id);
                if (l.dreg() != null) u32(x, EXPR_LOOKUP_DREG, l.dreg());
                u32(x, EXPR_LOOKUP_FLAGS, l.flags());
            }
            case Objref o -> {
                u32(x, EXPR_OBJREF_IMM_TYPE, o.type());
                str(a, x, EXPR_OBJREF_IMM_NAME, o.name());
            }
            case Limit l -> {
                u64(x, EXPR_LIMIT_RATE, l.rate());
                u64(x, EXPR_LIMIT_UNIT, l.unit());
                u32(x, EXPR_LIMIT_BURST, l.burst());
                u32(x, EXPR_LIMIT_TYPE, l.type());
                u32(x, EXPR_LIMIT_FLAGS, l.flags());
            }
            case Log l -> {
                if (l.prefix() != null) str(a, x, EXPR_LOG_PREFIX, l.prefix());
                if (l.group() != null) u16(x, EXPR_LOG_GROUP, l.group());
                if (l.level() != null) u32(x, EXPR_LOG_LEVEL, l.level());
            }
            case Reject r -> {
                u32(x, EXPR_REJECT_TYPE, r.type());
                if (r.type() != Nft.REJECT_TCP_RST) u8(x, EXPR_REJECT_CODE, r.code());
            }
            case Nat n -> {
                u32(x, EXPR_NAT_TYPE, n.type());
                u32(x, EXPR_NAT_FAMILY, n.family());
                if (n.regAddrMin() != null) u32(x, EXPR_NAT_REG_ADDR_MIN, n.regAddrMin());
                if (n.regAddrMax() != null) u32(x, EXPR_NAT_REG_ADDR_MAX, n.regAddrMax());
                if (n.regProtoMin() != null) u32(x, EXPR_NAT_REG_PROTO_MIN, n.regProtoMin());
                if (n.regProtoMax() != null) u32(x, EXPR_NAT_REG_PROTO_MAX, n.regProtoMax());
                if (n.flags() != 0) u32(x, EXPR_NAT_FLAGS, n.flags());
            }
            case Masq m -> {
                if (m.flags() != 0) u32(x, EXPR_MASQ_FLAGS, m.flags());
                if (m.regProtoMin() != null) u32(x, EXPR_MASQ_REG_PROTO_MIN, m.regProtoMin());
                if (m.regProtoMax() != null) u32(x, EXPR_MASQ_REG_PROTO_MAX, m.regProtoMax());
            }
            case Ct c -> {
                u32(x, EXPR_CT_KEY, c.key());
                u32(x, EXPR_CT_DREG, c.dreg());
                if (c.direction() != null) u8(x, EXPR_CT_DIR, c.direction());
            }
            case Range r -> {
                u32(x, EXPR_RANGE_SREG, r.sreg());
                u32(x, EXPR_RANGE_OP, r.op());
                data(a, x, EXPR_RANGE_FROM_DATA, r.from());
                data(a, x, EXPR_RANGE_TO_DATA, r.to());
            }
            case Notrack n -> {
            }
            case Counter c -> {
            }
        }
    }

    /** The value of one parsed expression (borrowed from its rule). */
    static Expr decode(Arena a, MemorySegment x, String where) {
        String name = getStr(x, EXPR_NAME);
        if (name == null) throw new NftUnsupportedException(where + ": expression without a name");
        String at = where + ", expression '" + name + "'";
        return switch (name) {
            case "meta" -> {
                if (isSet(x, EXPR_META_SREG)) throw new NftUnsupportedException(at + ": meta statement (meta set) is not supported");
                yield new Meta(i32(a, x, EXPR_META_KEY), i32(a, x, EXPR_META_DREG));
            }
            case "payload" -> {
                if (isSet(x, EXPR_PAYLOAD_SREG)) throw new NftUnsupportedException(at + ": payload write is not supported");
                yield new Payload(i32(a, x, EXPR_PAYLOAD_BASE), i32(a, x, EXPR_PAYLOAD_OFFSET), i32(a, x, EXPR_PAYLOAD_LEN),
                        i32(a, x, EXPR_PAYLOAD_DREG));
            }
            case "cmp" -> new Cmp(i32(a, x, EXPR_CMP_SREG), i32(a, x, EXPR_CMP_OP), data(a, x, EXPR_CMP_DATA));
            case "bitwise" -> {
                if (isSet(x, EXPR_BITWISE_OP) && i32(a, x, EXPR_BITWISE_OP) != 0) {
                    throw new NftUnsupportedException(at + ": bitwise shift is not supported");
                }
                yield new Bitwise(i32(a, x, EXPR_BITWISE_SREG), i32(a, x, EXPR_BITWISE_DREG), i32(a, x, EXPR_BITWISE_LEN),
                        data(a, x, EXPR_BITWISE_MASK), data(a, x, EXPR_BITWISE_XOR));
            }
            case "immediate" -> isSet(x, EXPR_IMM_VERDICT)
                    ? new Verdict(i32(a, x, EXPR_IMM_VERDICT), isSet(x, EXPR_IMM_CHAIN) ? getStr(x, EXPR_IMM_CHAIN) : null)
                    : new Immediate(i32(a, x, EXPR_IMM_DREG), data(a, x, EXPR_IMM_DATA));
            case "lookup" -> new Lookup(i32(a, x, EXPR_LOOKUP_SREG), getStr(x, EXPR_LOOKUP_SET),
                    isSet(x, EXPR_LOOKUP_DREG) ? i32(a, x, EXPR_LOOKUP_DREG) : null,
                    isSet(x, EXPR_LOOKUP_FLAGS) ? i32(a, x, EXPR_LOOKUP_FLAGS) : 0);
            case "objref" -> {
                if (!isSet(x, EXPR_OBJREF_IMM_NAME)) throw new NftUnsupportedException(at + ": object map references are not supported");
                yield new Objref(i32(a, x, EXPR_OBJREF_IMM_TYPE), getStr(x, EXPR_OBJREF_IMM_NAME));
            }
            case "limit" -> new Limit(num(a, x, EXPR_LIMIT_RATE), num(a, x, EXPR_LIMIT_UNIT), i32(a, x, EXPR_LIMIT_BURST),
                    i32(a, x, EXPR_LIMIT_TYPE), isSet(x, EXPR_LIMIT_FLAGS) ? i32(a, x, EXPR_LIMIT_FLAGS) : 0);
            case "log" -> {
                if (isSet(x, EXPR_LOG_FLAGS) && i32(a, x, EXPR_LOG_FLAGS) != 0) throw new NftUnsupportedException(at + ": log flags are not supported");
                if (isSet(x, EXPR_LOG_SNAPLEN) && i32(a, x, EXPR_LOG_SNAPLEN) != 0) throw new NftUnsupportedException(at + ": log snaplen is not supported");
                if (isSet(x, EXPR_LOG_QTHRESHOLD) && i32(a, x, EXPR_LOG_QTHRESHOLD) != 0) throw new NftUnsupportedException(at + ": log queue-threshold is not supported");
                yield new Log(isSet(x, EXPR_LOG_PREFIX) ? getStr(x, EXPR_LOG_PREFIX) : null,
                        isSet(x, EXPR_LOG_LEVEL) ? i32(a, x, EXPR_LOG_LEVEL) : null,
                        isSet(x, EXPR_LOG_GROUP) ? i32(a, x, EXPR_LOG_GROUP) : null);
            }
            case "reject" -> new Reject(i32(a, x, EXPR_REJECT_TYPE), isSet(x, EXPR_REJECT_CODE) ? i32(a, x, EXPR_REJECT_CODE) : 0);
            case "nat" -> new Nat(i32(a, x, EXPR_NAT_TYPE), i32(a, x, EXPR_NAT_FAMILY), opt(a, x, EXPR_NAT_REG_ADDR_MIN),
                    opt(a, x, EXPR_NAT_REG_ADDR_MAX), opt(a, x, EXPR_NAT_REG_PROTO_MIN), opt(a, x, EXPR_NAT_REG_PROTO_MAX),
                    isSet(x, EXPR_NAT_FLAGS) ? i32(a, x, EXPR_NAT_FLAGS) : 0);
            case "masq" -> new Masq(isSet(x, EXPR_MASQ_FLAGS) ? i32(a, x, EXPR_MASQ_FLAGS) : 0,
                    opt(a, x, EXPR_MASQ_REG_PROTO_MIN), opt(a, x, EXPR_MASQ_REG_PROTO_MAX));
            case "ct" -> {
                if (isSet(x, EXPR_CT_SREG)) throw new NftUnsupportedException(at + ": ct statement (ct set) is not supported");
                yield new Ct(i32(a, x, EXPR_CT_KEY), i32(a, x, EXPR_CT_DREG), opt(a, x, EXPR_CT_DIR));
            }
            case "range" -> new Range(i32(a, x, EXPR_RANGE_SREG), i32(a, x, EXPR_RANGE_OP), data(a, x, EXPR_RANGE_FROM_DATA),
                    data(a, x, EXPR_RANGE_TO_DATA));
            case "notrack" -> new Notrack();
            case "counter" -> new Counter();
            default -> throw new NftUnsupportedException(at + ": this expression kind is not supported");
        };
    }

    // ---- attribute access -------------------------------------------------------------------------------------------

    private static void u8(MemorySegment x, short attr, int v) {
        try {
            EXPR_SET_U8.invokeExact(x, attr, (byte) v);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void u16(MemorySegment x, short attr, int v) {
        try {
            EXPR_SET_U16.invokeExact(x, attr, (short) v);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void u32(MemorySegment x, short attr, int v) {
        try {
            EXPR_SET_U32.invokeExact(x, attr, v);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void u64(MemorySegment x, short attr, long v) {
        try {
            EXPR_SET_U64.invokeExact(x, attr, v);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void str(Arena a, MemorySegment x, short attr, String s) {
        try {
            int r = (int) EXPR_SET_STR.invokeExact(x, attr, a.allocateFrom(s));
            if (r < 0) throw new OutOfMemoryError("libnftnl expression attribute " + attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void data(Arena a, MemorySegment x, short attr, Bytes b) {
        byte[] d = b.toArray();
        if (d.length > 64) throw new IllegalArgumentException("expression data of " + d.length + " bytes (the kernel takes at most 64)");
        MemorySegment s = d.length == 0 ? a.allocate(1) : a.allocateFrom(ValueLayout.JAVA_BYTE, d);
        try {
            int r = (int) EXPR_SET.invokeExact(x, attr, s, d.length);
            if (r < 0) throw new IllegalArgumentException("libnftnl refused expression attribute " + attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static boolean isSet(MemorySegment x, short attr) {
        try {
            return (boolean) EXPR_IS_SET.invokeExact(x, attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static String getStr(MemorySegment x, short attr) {
        try {
            return Nftnl.string((MemorySegment) EXPR_GET_STR.invokeExact(x, attr));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static byte[] raw(Arena a, MemorySegment x, short attr) {
        try {
            MemorySegment len = a.allocate(ValueLayout.JAVA_INT);
            return Nftnl.copy((MemorySegment) EXPR_GET.invokeExact(x, attr, len), len);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static Bytes data(Arena a, MemorySegment x, short attr) {
        byte[] b = raw(a, x, attr);
        return b == null ? null : Bytes.of(b);
    }

    private static long num(Arena a, MemorySegment x, short attr) {
        return Nftnl.number(raw(a, x, attr));
    }

    private static int i32(Arena a, MemorySegment x, short attr) {
        return (int) num(a, x, attr);
    }

    private static Integer opt(Arena a, MemorySegment x, short attr) {
        return isSet(x, attr) ? i32(a, x, attr) : null;
    }
}
