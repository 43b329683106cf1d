package dev.bulwark.dataplane.nft.wire;

import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_CHAIN;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_DATA;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_FLAGS;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_KEY;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_KEY_END;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_OBJREF;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_TIMEOUT;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ELEM_VERDICT;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_FAMILY;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ID;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_NAME;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_TABLE;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.NftUnsupportedException;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.Table;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of set elements, one NEWSETELEM/DELSETELEM message's worth:
 * {@code nft add element inet bulwark admins '{ 10.0.0.0/8 }'}. libnftnl keeps elements in a set object; this
 * wraps one used only as their container (table, set name, optional transaction set id).
 */
public final class NftnlSetElems extends NftnlResource {

    /** The kernel's largest key or data value (NFT_DATA_VALUE_MAXLEN). */
    public static final int MAX_KEY_BYTES = 64;
    /**
     * Element bytes per message: the element list is one netlink attribute, whose length field has 16 bits, so all
     * elements of one message must fit in 64 KiB; this leaves room for the nest and message headers.
     */
    public static final int MAX_ELEMENT_BYTES_PER_MESSAGE = 60_000;

    private NftnlSetElems() {
        super(LibNftnl.SET_ALLOC, LibNftnl.SET_FREE, "set element list");
    }

    /**
     * Elements of set {@code set} (to add or delete, or none to filter a GETSETELEM dump).
     *
     * @param setId the set's id in this transaction when the same batch creates it, else 0
     */
    public static NftnlSetElems of(Table table, String set, int setId, List<SetElement> elements) {
        NftnlSetElems s = new NftnlSetElems();
        try {
            s.setStr(SET_TABLE, table.name());
            s.setStr(SET_NAME, set);
            s.setU32(SET_FAMILY, table.family());
            if (setId != 0) s.setU32(SET_ID, setId);
            for (SetElement e : elements) s.add(e);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Parses a NEWSETELEM message (a GETSETELEM dump answer). */
    public static NftnlSetElems parse(NetlinkMessage m) {
        NftnlSetElems s = new NftnlSetElems();
        try {
            int r = (int) LibNftnl.SET_ELEMS_NLMSG_PARSE.invokeExact(s.nativeCopy(m), s.ptr());
            if (r < 0) throw new IllegalStateException("libnftnl could not parse a set element message");
            return s;
        } catch (Throwable e) {
            s.close();
            throw Native.rethrow(e);
        }
    }

    /** An upper bound of the netlink bytes one element takes in a NEWSETELEM message. */
    public static int wireSize(SetElement e) {
        int n = 4 + 4 + 4 + align(e.key().length()); // element nest, key nest, value attribute
        if (e.flags() != 0) n += 8;
        if (e.verdict() != null) {
            n += 4 + 4 + 8; // data nest, verdict nest, code
            if (e.verdictChain() != null) n += 4 + align(e.verdictChain().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1);
        }
        return n;
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    private void add(SetElement e) {
        if (e.key().length() > MAX_KEY_BYTES || e.key().length() == 0) {
            throw new IllegalArgumentException("set element key of " + e.key().length() + " bytes (1 to " + MAX_KEY_BYTES + ")");
        }
        MemorySegment el;
        try {
            el = (MemorySegment) LibNftnl.SET_ELEM_ALLOC.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (el.equals(MemorySegment.NULL)) throw new OutOfMemoryError("libnftnl set element");
        try {
            byte[] key = e.key().toArray();
            int r = (int) LibNftnl.SET_ELEM_SET.invokeExact(el, SET_ELEM_KEY, bytes(key), key.length);
            if (r < 0) throw new IllegalArgumentException("libnftnl refused set element key " + e.key());
            if (e.flags() != 0) LibNftnl.SET_ELEM_SET_U32.invokeExact(el, SET_ELEM_FLAGS, e.flags());
            if (e.verdict() != null) {
                LibNftnl.SET_ELEM_SET_U32.invokeExact(el, SET_ELEM_VERDICT, (int) e.verdict());
                if (e.verdictChain() != null) {
                    int rc = (int) LibNftnl.SET_ELEM_SET_STR.invokeExact(el, SET_ELEM_CHAIN, cstr(e.verdictChain()));
                    if (rc < 0) throw new OutOfMemoryError("libnftnl set element chain");
                }
            }
        } catch (Throwable t) {
            try {
                LibNftnl.SET_ELEM_FREE.invokeExact(el);
            } catch (Throwable ignored) {
                // already failing
            }
            throw Native.rethrow(t);
        }
        try {
            LibNftnl.SET_ELEM_ADD.invokeExact(ptr(), el); // the set owns it from here
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The elements parsed from a dump message, in the kernel's order. */
    public List<SetElement> toValues(String setName) {
        List<SetElement> out = new ArrayList<>();
        MemorySegment it;
        try {
            it = (MemorySegment) LibNftnl.SET_ELEMS_ITER_CREATE.invokeExact(ptr());
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (it.equals(MemorySegment.NULL)) throw new OutOfMemoryError("libnftnl set element iterator");
        try {
            while (true) {
                MemorySegment el = (MemorySegment) LibNftnl.SET_ELEMS_ITER_NEXT.invokeExact(it);
                if (el.equals(MemorySegment.NULL)) break;
                out.add(element(el, setName));
            }
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            try {
                LibNftnl.SET_ELEMS_ITER_DESTROY.invokeExact(it);
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        }
        return out;
    }

    private SetElement element(MemorySegment el, String setName) {
        for (short unsupported : new short[]{SET_ELEM_KEY_END, SET_ELEM_DATA, SET_ELEM_OBJREF, SET_ELEM_TIMEOUT}) {
            if (elemIsSet(el, unsupported) && !(unsupported == SET_ELEM_DATA && elemIsSet(el, SET_ELEM_VERDICT))) {
                throw new NftUnsupportedException("set " + setName + ": element with attribute " + unsupported
                        + " (range end key, data value, object or timeout) is not supported");
            }
        }
        Bytes key = Bytes.of(elemData(el, SET_ELEM_KEY));
        int flags = elemIsSet(el, SET_ELEM_FLAGS) ? (int) Nftnl.number(elemData(el, SET_ELEM_FLAGS)) : 0;
        Integer verdict = elemIsSet(el, SET_ELEM_VERDICT) ? (int) Nftnl.number(elemData(el, SET_ELEM_VERDICT)) : null;
        String chain = null;
        if (elemIsSet(el, SET_ELEM_CHAIN)) {
            try {
                chain = Nftnl.string((MemorySegment) LibNftnl.SET_ELEM_GET_STR.invokeExact(el, SET_ELEM_CHAIN));
            } catch (Throwable t) {
                throw Native.rethrow(t);
            }
        }
        return new SetElement(key, flags, verdict, chain);
    }

    private static boolean elemIsSet(MemorySegment el, short attr) {
        try {
            return (boolean) LibNftnl.SET_ELEM_IS_SET.invokeExact(el, attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private byte[] elemData(MemorySegment el, short attr) {
        try {
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            return Nftnl.copy((MemorySegment) LibNftnl.SET_ELEM_GET.invokeExact(el, attr, len), len);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Writes table, set and the element list into the message at {@code nlh}. */
    public void buildPayload(MemorySegment nlh) {
        try {
            LibNftnl.SET_ELEMS_NLMSG_BUILD_PAYLOAD.invokeExact(nlh, ptr());
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setStr(short attr, String s) {
        try {
            int r = (int) LibNftnl.SET_SET_STR.invokeExact(ptr(), attr, cstr(s));
            if (r < 0) throw new OutOfMemoryError("libnftnl set attribute " + attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU32(short attr, int v) {
        try {
            LibNftnl.SET_SET_U32.invokeExact(ptr(), attr, v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
