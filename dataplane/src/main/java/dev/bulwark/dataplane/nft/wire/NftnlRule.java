package dev.bulwark.dataplane.nft.wire;

import static dev.bulwark.dataplane.ffm.LibNftnl.RULE_CHAIN;
import static dev.bulwark.dataplane.ffm.LibNftnl.RULE_FAMILY;
import static dev.bulwark.dataplane.ffm.LibNftnl.RULE_HANDLE;
import static dev.bulwark.dataplane.ffm.LibNftnl.RULE_POSITION;
import static dev.bulwark.dataplane.ffm.LibNftnl.RULE_TABLE;
import static dev.bulwark.dataplane.ffm.LibNftnl.RULE_USERDATA;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.Rule;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.nft.expr.Expr;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * The wire form of a {@link Rule}: {@code nft add rule inet bulwark input tcp dport 22 accept comment "ssh"}. The
 * expressions are added to the libnftnl rule, which owns and frees them; the comment is nft's rule userdata TLV
 * (NFTNL_UDATA_RULE_COMMENT, NUL-terminated) so that {@code nft list} shows it.
 */
public final class NftnlRule extends NftnlResource {

    /** NFTNL_UDATA_RULE_COMMENT: the TLV type nft stores a rule comment under. */
    static final int UDATA_RULE_COMMENT = 0;
    /** nft's NFTNL_UDATA_COMMENT_MAXLEN (including the NUL): nft refuses longer comments, so we do too. */
    public static final int COMMENT_MAX_BYTES = 128;

    private NftnlRule() {
        super(LibNftnl.RULE_ALLOC, LibNftnl.RULE_FREE, "rule");
    }

    /**
     * A rule to add in {@code table}, with its expressions and comment.
     *
     * @param setIds transaction id of a set created in the same batch, or 0 (see {@link NftnlSet#of})
     */
    public static NftnlRule of(Table table, Rule rule, ToIntFunction<String> setIds) {
        return of(table, rule, setIds, UnaryOperator.identity());
    }

    /**
     * A rule to add, whose lookups send {@code setNames.apply(set)} as the set's name: an anonymous set created in the
     * same batch is sent as {@code __set%d} with its id, as nft does (the kernel looks a set up by name first, and
     * would find a live set that happens to have the name the desired state gives the new one).
     */
    public static NftnlRule of(Table table, Rule rule, ToIntFunction<String> setIds, UnaryOperator<String> setNames) {
        NftnlRule r = header(table, rule.chain());
        try {
            for (Expr e : rule.exprs()) {
                MemorySegment x = NftnlExpr.encode(r.arena, e, setIds, setNames);
                try {
                    LibNftnl.RULE_ADD_EXPR.invokeExact(r.ptr(), x);
                } catch (Throwable t) {
                    NftnlExpr.free(x);
                    throw Native.rethrow(t);
                }
            }
            if (rule.comment() != null) r.setData(RULE_USERDATA, commentUserdata(rule.comment()));
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Table, family and chain only: to delete by handle, flush a chain ({@code nft flush chain}) or filter a dump. */
    public static NftnlRule header(Table table, String chain) {
        NftnlRule r = new NftnlRule();
        try {
            r.setStr(RULE_TABLE, table.name());
            r.setU32(RULE_FAMILY, table.family());
            if (chain != null) r.setStr(RULE_CHAIN, chain);
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** Parses a NEWRULE message (a GETRULE dump answer or an echo). */
    public static NftnlRule parse(NetlinkMessage m) {
        NftnlRule r = new NftnlRule();
        try {
            int rc = (int) LibNftnl.RULE_NLMSG_PARSE.invokeExact(r.nativeCopy(m), r.ptr());
            if (rc < 0) throw new IllegalStateException("libnftnl could not parse a rule message");
            return r;
        } catch (Throwable e) {
            r.close();
            throw Native.rethrow(e);
        }
    }

    /** Names the rule to replace or delete ({@code nft replace rule ... handle N}). */
    public NftnlRule handle(long handle) {
        setU64(RULE_HANDLE, handle);
        return this;
    }

    /** The rule to insert before (or, with NLM_F_APPEND, after): {@code nft add rule ... position N}. */
    public NftnlRule position(long handle) {
        setU64(RULE_POSITION, handle);
        return this;
    }

    public String table() {
        return str(RULE_TABLE);
    }

    public String chain() {
        return str(RULE_CHAIN);
    }

    public int family() {
        return (int) Nftnl.number(data(LibNftnl.RULE_FAMILY));
    }

    public long handle() {
        return Nftnl.number(data(RULE_HANDLE));
    }

    /** The rule's value: chain, expressions in order, comment. */
    public Rule toValue() {
        String chain = chain();
        String where = "rule in chain " + chain + (isSet(RULE_HANDLE) ? " (handle " + handle() + ")" : "");
        List<Expr> exprs = new ArrayList<>();
        MemorySegment it;
        try {
            it = (MemorySegment) LibNftnl.EXPR_ITER_CREATE.invokeExact(ptr());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (it.equals(MemorySegment.NULL)) throw new OutOfMemoryError("libnftnl expression iterator");
        try {
            while (true) {
                MemorySegment x = (MemorySegment) LibNftnl.EXPR_ITER_NEXT.invokeExact(it);
                if (x.equals(MemorySegment.NULL)) break;
                exprs.add(NftnlExpr.decode(arena, x, where));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            try {
                LibNftnl.EXPR_ITER_DESTROY.invokeExact(it);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        }
        String comment = isSet(RULE_USERDATA) ? commentOf(data(RULE_USERDATA)) : null;
        return new Rule(chain, exprs, comment);
    }

    public void buildPayload(MemorySegment nlh) {
        try {
            LibNftnl.RULE_NLMSG_BUILD_PAYLOAD.invokeExact(nlh, ptr());
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    /** libnftnl's rendering of the rule ({@code nft --debug=netlink} style), for debugging and error messages. */
    @Override
    public String toString() {
        MemorySegment buf = arena.allocate(8192);
        try {
            int n = (int) LibNftnl.RULE_SNPRINTF.invokeExact(buf, 8192L, ptr(), 0, 0);
            return n < 0 ? "rule" : buf.getString(0);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    // ---- comment userdata ---------------------------------------------------------------------------------------

    /** nft's rule userdata for a comment: TLV {type u8 = 0, length u8, the text and a NUL}. */
    static byte[] commentUserdata(String comment) {
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        if (text.length + 1 > COMMENT_MAX_BYTES || comment.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("rule comment must be at most " + (COMMENT_MAX_BYTES - 1)
                    + " bytes of UTF-8 without NUL (nft's limit): \"" + comment + "\"");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(UDATA_RULE_COMMENT);
        out.write(text.length + 1);
        out.writeBytes(text);
        out.write(0);
        return out.toByteArray();
    }

    /** The comment TLV of rule userdata, or null (other TLVs, e.g. nft's ebtables policy, are skipped). */
    static String commentOf(byte[] udata) {
        if (udata == null) return null;
        for (int i = 0; i + 2 <= udata.length; ) {
            int type = Byte.toUnsignedInt(udata[i]);
            int len = Byte.toUnsignedInt(udata[i + 1]);
            if (i + 2 + len > udata.length) break;
            if (type == UDATA_RULE_COMMENT) {
                int n = len;
                while (n > 0 && udata[i + 2 + n - 1] == 0) n--;
                return new String(udata, i + 2, n, StandardCharsets.UTF_8);
            }
            i += 2 + len;
        }
        return null;
    }

    // ---- attribute access ---------------------------------------------------------------------------------------

    private boolean isSet(short attr) {
        try {
            return (boolean) LibNftnl.RULE_IS_SET.invokeExact(ptr(), attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private String str(short attr) {
        try {
            return Nftnl.string((MemorySegment) LibNftnl.RULE_GET_STR.invokeExact(ptr(), attr));
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private byte[] data(short attr) {
        try {
            MemorySegment len = lenOut();
            return Nftnl.copy((MemorySegment) LibNftnl.RULE_GET_DATA.invokeExact(ptr(), attr, len), len);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setStr(short attr, String s) {
        try {
            int r = (int) LibNftnl.RULE_SET_STR.invokeExact(ptr(), attr, cstr(s));
            if (r < 0) throw new OutOfMemoryError("libnftnl rule attribute " + attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU32(short attr, int v) {
        try {
            LibNftnl.RULE_SET_U32.invokeExact(ptr(), attr, v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU64(short attr, long v) {
        try {
            LibNftnl.RULE_SET_U64.invokeExact(ptr(), attr, v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setData(short attr, byte[] d) {
        try {
            int r = (int) LibNftnl.RULE_SET_DATA.invokeExact(ptr(), attr, bytes(d), d.length);
            if (r < 0) throw new OutOfMemoryError("libnftnl rule attribute " + attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
