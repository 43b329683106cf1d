package dev.bulwark.dataplane.nft.wire;

import static dev.bulwark.dataplane.ffm.LibNftnl.CTTIMEOUT_ARRAY_MAX;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CTR_BYTES;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CTR_PKTS;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CT_HELPER_L3PROTO;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CT_HELPER_L4PROTO;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CT_HELPER_NAME;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CT_TIMEOUT_ARRAY;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CT_TIMEOUT_L3PROTO;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_CT_TIMEOUT_L4PROTO;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_FAMILY;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_NAME;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_TABLE;
import static dev.bulwark.dataplane.ffm.LibNftnl.OBJ_TYPE;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftObject;
import dev.bulwark.dataplane.nft.NftUnsupportedException;
import dev.bulwark.dataplane.nft.Table;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire form of a stateful object ({@link NftObject}): {@code nft add counter inet bulwark NAME},
 * {@code nft add ct helper inet bulwark NAME '{ type "ftp" protocol tcp; l3proto inet; }'},
 * {@code nft add ct timeout inet bulwark NAME '{ protocol tcp; l3proto ip; policy = { established: 3600 }; }'}.
 */
public final class NftnlObj extends NftnlResource {

    private NftnlObj() {
        super(LibNftnl.OBJ_ALLOC, LibNftnl.OBJ_FREE, "object");
    }

    /** An object to add. */
    public static NftnlObj of(Table table, NftObject object) {
        NftnlObj o = named(table, object.name(), object.type());
        try {
            switch (object) {
                case NftObject.CounterObject c -> {
                }
                case NftObject.CtHelper h -> {
                    o.setStr(OBJ_CT_HELPER_NAME, h.helper());
                    o.setU16(OBJ_CT_HELPER_L3PROTO, h.l3proto());
                    o.setU8(OBJ_CT_HELPER_L4PROTO, h.l4proto());
                }
                case NftObject.CtTimeout t -> {
                    if (t.l4proto() != 6 && t.l4proto() != 17) {
                        throw new IllegalArgumentException("ct timeout " + t.name() + ": libnftnl encodes timeout policies for tcp and udp only, not protocol " + t.l4proto());
                    }
                    o.setU16(OBJ_CT_TIMEOUT_L3PROTO, t.l3proto());
                    o.setU8(OBJ_CT_TIMEOUT_L4PROTO, t.l4proto());
                    int[] array = new int[CTTIMEOUT_ARRAY_MAX];
                    t.timeouts().forEach((state, seconds) -> {
                        if (state < 0 || state >= CTTIMEOUT_ARRAY_MAX) {
                            throw new IllegalArgumentException("ct timeout " + t.name() + ": no conntrack state " + state);
                        }
                        array[state] = seconds;
                    });
                    o.setData(OBJ_CT_TIMEOUT_ARRAY, o.arena.allocateFrom(ValueLayout.JAVA_INT, array), array.length * 4);
                }
            }
            return o;
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Table, family, name and type only: to delete an object ({@code nft delete counter inet bulwark NAME}). */
    public static NftnlObj named(Table table, String name, int type) {
        NftnlObj o = new NftnlObj();
        try {
            o.setStr(OBJ_TABLE, table.name());
            o.setU32(OBJ_FAMILY, table.family());
            if (name != null) o.setStr(OBJ_NAME, name);
            if (type != 0) o.setU32(OBJ_TYPE, type);
            return o;
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** Parses a NEWOBJ message (a GETOBJ dump answer). */
    public static NftnlObj parse(NetlinkMessage m) {
        NftnlObj o = new NftnlObj();
        try {
            int r = (int) LibNftnl.OBJ_NLMSG_PARSE.invokeExact(o.nativeCopy(m), o.ptr());
            if (r < 0) throw new IllegalStateException("libnftnl could not parse an object message");
            return o;
        } catch (Throwable e) {
            o.close();
            throw Native.rethrow(e);
        }
    }

    public String table() {
        return str(OBJ_TABLE);
    }

    public String name() {
        return str(OBJ_NAME);
    }

    public int type() {
        return (int) num(OBJ_TYPE);
    }

    /** Packets and bytes of a counter object. */
    public long[] counter() {
        return new long[]{isSet(OBJ_CTR_PKTS) ? num(OBJ_CTR_PKTS) : 0, isSet(OBJ_CTR_BYTES) ? num(OBJ_CTR_BYTES) : 0};
    }

    public NftObject toValue() {
        String name = name();
        return switch (type()) {
            case Nft.OBJECT_COUNTER -> new NftObject.CounterObject(name);
            case Nft.OBJECT_CT_HELPER -> new NftObject.CtHelper(name, str(OBJ_CT_HELPER_NAME), (int) num(OBJ_CT_HELPER_L3PROTO),
                    (int) num(OBJ_CT_HELPER_L4PROTO));
            case Nft.OBJECT_CT_TIMEOUT -> {
                int l4 = (int) num(OBJ_CT_TIMEOUT_L4PROTO);
                int states = l4 == 6 ? 11 : l4 == 17 ? 2 : 0;
                byte[] raw = data(OBJ_CT_TIMEOUT_ARRAY);
                Map<Integer, Integer> timeouts = new TreeMap<>();
                if (raw != null) {
                    MemorySegment s = MemorySegment.ofArray(raw);
                    for (int i = 0; i < states && (i + 1) * 4 <= raw.length; i++) {
                        timeouts.put(i, s.get(ValueLayout.JAVA_INT_UNALIGNED, i * 4L));
                    }
                }
                yield new NftObject.CtTimeout(name, (int) num(OBJ_CT_TIMEOUT_L3PROTO), l4, timeouts);
            }
            default -> throw new NftUnsupportedException("object " + name + " of type " + type() + " is not supported");
        };
    }

    public void buildPayload(MemorySegment nlh) {
        try {
            LibNftnl.OBJ_NLMSG_BUILD_PAYLOAD.invokeExact(nlh, ptr());
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private boolean isSet(short attr) {
        try {
            return (boolean) LibNftnl.OBJ_IS_SET.invokeExact(ptr(), attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private String str(short attr) {
        try {
            return Nftnl.string((MemorySegment) LibNftnl.OBJ_GET_STR.invokeExact(ptr(), attr));
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private byte[] data(short attr) {
        try {
            MemorySegment len = lenOut();
            return Nftnl.copy((MemorySegment) LibNftnl.OBJ_GET_DATA.invokeExact(ptr(), attr, len), len);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private long num(short attr) {
        return Nftnl.number(data(attr));
    }

    private void setStr(short attr, String s) {
        try {
            LibNftnl.OBJ_SET_STR.invokeExact(ptr(), attr, cstr(s));
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU8(short attr, int v) {
        try {
            LibNftnl.OBJ_SET_U8.invokeExact(ptr(), attr, (byte) v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU16(short attr, int v) {
        try {
            LibNftnl.OBJ_SET_U16.invokeExact(ptr(), attr, (short) v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU32(short attr, int v) {
        try {
            LibNftnl.OBJ_SET_U32.invokeExact(ptr(), attr, v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setData(short attr, MemorySegment d, int len) {
        try {
            LibNftnl.OBJ_SET_DATA.invokeExact(ptr(), attr, d, len);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
