package dev.bulwark.dataplane.nft.wire;

import static dev.bulwark.dataplane.ffm.LibNftnl.SET_DATA_LEN;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_DATA_TYPE;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_FAMILY;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_FLAGS;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_ID;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_KEY_LEN;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_KEY_TYPE;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_NAME;
import static dev.bulwark.dataplane.ffm.LibNftnl.SET_TABLE;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.Table;
import java.lang.foreign.MemorySegment;
import java.util.TreeSet;

/**
 * The wire form of a set's definition (not its elements, see {@link NftnlSetElems}):
 * {@code nft add set inet bulwark admins '{ type ipv4_addr; flags interval; }'} or a verdict map
 * {@code nft add map inet bulwark zones '{ type ifname : verdict; }'}.
 */
public final class NftnlSet extends NftnlResource {

    private NftnlSet() {
        super(LibNftnl.SET_ALLOC, LibNftnl.SET_FREE, "set");
    }

    /**
     * A set to add.
     *
     * @param setId its id in this transaction (NFTA_SET_ID), so that rules and elements of the same batch can name
     *              it before it is committed; 0 for none
     */
    public static NftnlSet of(Table table, NftSet set, int setId) {
        NftnlSet s = named(table, set.name());
        try {
            s.setU32(SET_FLAGS, set.flags());
            s.setU32(SET_KEY_TYPE, set.keyType());
            s.setU32(SET_KEY_LEN, set.keyLen());
            if (set.dataType() != null) {
                s.setU32(SET_DATA_TYPE, set.dataType());
                s.setU32(SET_DATA_LEN, set.dataLen());
            }
            if (setId != 0) s.setU32(SET_ID, setId);
            byte[] udata = userdata(set);
            if (udata.length > 0) s.setData(LibNftnl.SET_USERDATA, udata);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    // nft's set userdata TLVs (NFTNL_UDATA_SET_*) and byte orders (BYTEORDER_*): nft reads them to print elements.
    private static final int UDATA_KEYBYTEORDER = 0;
    private static final int UDATA_DATABYTEORDER = 1;
    private static final int UDATA_DATA_INTERVAL = 6;
    private static final int BYTEORDER_INVALID = 0;
    private static final int BYTEORDER_HOST = 1;
    private static final int BYTEORDER_BIG = 2;

    /** The byte order nft gives a datatype (null when we do not know the type: then no userdata is written). */
    private static Integer byteorder(int type) {
        return switch (type) {
            case Nft.TYPE_VERDICT, Nft.TYPE_INET_PROTOCOL -> BYTEORDER_INVALID;
            case Nft.TYPE_IPADDR, Nft.TYPE_IP6ADDR, Nft.TYPE_INET_SERVICE, 9 /* ether_addr */ -> BYTEORDER_BIG;
            case Nft.TYPE_IFNAME, 19 /* mark */ -> BYTEORDER_HOST;
            default -> null;
        };
    }

    /**
     * The userdata nft writes for a set: the key's byte order and, for maps, the data's byte order and whether the
     * data is an interval. Without it nft prints e.g. an ifname key as "" (it would guess the wrong byte order).
     */
    static byte[] userdata(NftSet set) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Integer key = byteorder(set.keyType());
        if (key == null) return new byte[0];
        tlv32(out, UDATA_KEYBYTEORDER, key);
        if (set.dataType() != null) {
            Integer data = set.dataType() == Nft.DATA_VERDICT ? Integer.valueOf(BYTEORDER_INVALID) : byteorder(set.dataType());
            if (data != null) tlv32(out, UDATA_DATABYTEORDER, data);
            tlv32(out, UDATA_DATA_INTERVAL, 0);
        }
        return out.toByteArray();
    }

    private static void tlv32(java.io.ByteArrayOutputStream out, int type, int value) {
        out.write(type);
        out.write(4);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(value);
        out.writeBytes(b.array());
    }

    /** Table, family and (when not null) name only: to delete a set or filter a dump. */
    public static NftnlSet named(Table table, String name) {
        NftnlSet s = new NftnlSet();
        try {
            s.setStr(SET_TABLE, table.name());
            s.setU32(SET_FAMILY, table.family());
            if (name != null) s.setStr(SET_NAME, name);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Parses a NEWSET message (a GETSET dump answer). */
    public static NftnlSet parse(NetlinkMessage m) {
        NftnlSet s = new NftnlSet();
        try {
            int r = (int) LibNftnl.SET_NLMSG_PARSE.invokeExact(s.nativeCopy(m), s.ptr());
            if (r < 0) throw new IllegalStateException("libnftnl could not parse a set message");
            return s;
        } catch (Throwable e) {
            s.close();
            throw Native.rethrow(e);
        }
    }

    /** The set's definition, without elements (they are read with {@link NftnlSetElems}). */
    public NftSet toValue() {
        Integer dataType = isSet(SET_DATA_TYPE) ? (int) num(SET_DATA_TYPE) : null;
        int dataLen = isSet(SET_DATA_LEN) ? (int) num(SET_DATA_LEN) : 0;
        return new NftSet(name(), (int) num(SET_KEY_TYPE), (int) num(SET_KEY_LEN),
                isSet(SET_FLAGS) ? (int) num(SET_FLAGS) : 0, dataType, dataLen, new TreeSet<>());
    }

    public String table() {
        return str(SET_TABLE);
    }

    public String name() {
        return str(SET_NAME);
    }

    public int family() {
        return (int) num(SET_FAMILY);
    }

    public void buildPayload(MemorySegment nlh) {
        try {
            LibNftnl.SET_NLMSG_BUILD_PAYLOAD.invokeExact(nlh, ptr());
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private boolean isSet(short attr) {
        try {
            return (boolean) LibNftnl.SET_IS_SET.invokeExact(ptr(), attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private String str(short attr) {
        try {
            return Nftnl.string((MemorySegment) LibNftnl.SET_GET_STR.invokeExact(ptr(), attr));
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private long num(short attr) {
        try {
            MemorySegment len = lenOut();
            return Nftnl.number(Nftnl.copy((MemorySegment) LibNftnl.SET_GET_DATA.invokeExact(ptr(), attr, len), len));
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

    private void setData(short attr, byte[] d) {
        try {
            int r = (int) LibNftnl.SET_SET_DATA.invokeExact(ptr(), attr, bytes(d), d.length);
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
