package dev.bulwark.dataplane.nft.wire;

import static dev.bulwark.dataplane.ffm.LibNftnl.TABLE_FAMILY;
import static dev.bulwark.dataplane.ffm.LibNftnl.TABLE_NAME;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.Table;
import java.lang.foreign.MemorySegment;

/** The wire form of a {@link Table} ({@code nft add table inet bulwark}): a libnftnl table. */
public final class NftnlTable extends NftnlResource {

    private NftnlTable() {
        super(LibNftnl.TABLE_ALLOC, LibNftnl.TABLE_FREE, "table");
    }

    /** A table to add, delete or get: family and name. */
    public static NftnlTable of(Table table) {
        NftnlTable t = new NftnlTable();
        try {
            t.setStr(TABLE_NAME, table.name());
            t.setU32(TABLE_FAMILY, table.family());
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** Parses a NEWTABLE message (a GETTABLE answer). */
    public static NftnlTable parse(NetlinkMessage m) {
        NftnlTable t = new NftnlTable();
        try {
            int r = (int) LibNftnl.TABLE_NLMSG_PARSE.invokeExact(t.nativeCopy(m), t.ptr());
            if (r < 0) throw new IllegalStateException("libnftnl could not parse a table message");
            return t;
        } catch (Throwable e) {
            t.close();
            throw Native.rethrow(e);
        }
    }

    public Table toValue() {
        return new Table(family(), name());
    }

    public String name() {
        try {
            return Nftnl.string((MemorySegment) LibNftnl.TABLE_GET_STR.invokeExact(ptr(), TABLE_NAME));
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    public int family() {
        try {
            return (int) LibNftnl.TABLE_GET_U32.invokeExact(ptr(), TABLE_FAMILY);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    /** Writes the table's attributes into the message at {@code nlh}. */
    public void buildPayload(MemorySegment nlh) {
        try {
            LibNftnl.TABLE_NLMSG_BUILD_PAYLOAD.invokeExact(nlh, ptr());
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setStr(short attr, String s) {
        try {
            int r = (int) LibNftnl.TABLE_SET_STR.invokeExact(ptr(), attr, cstr(s));
            if (r < 0) throw new OutOfMemoryError("libnftnl table attribute " + attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU32(short attr, int v) {
        try {
            LibNftnl.TABLE_SET_U32.invokeExact(ptr(), attr, v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
