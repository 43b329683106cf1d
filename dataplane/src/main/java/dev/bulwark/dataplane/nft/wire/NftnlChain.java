package dev.bulwark.dataplane.nft.wire;

import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_FAMILY;
import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_HANDLE;
import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_HOOKNUM;
import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_NAME;
import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_POLICY;
import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_PRIO;
import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_TABLE;
import static dev.bulwark.dataplane.ffm.LibNftnl.CHAIN_TYPE;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.nft.Chain;
import dev.bulwark.dataplane.nft.Table;
import java.lang.foreign.MemorySegment;

/**
 * The wire form of a {@link Chain}: {@code nft add chain inet bulwark input '{ type filter hook input priority 0;
 * policy drop; }'} for a base chain, {@code nft add chain inet bulwark NAME} for a regular one.
 */
public final class NftnlChain extends NftnlResource {

    private NftnlChain() {
        super(LibNftnl.CHAIN_ALLOC, LibNftnl.CHAIN_FREE, "chain");
    }

    /** A chain to add (all of it) in {@code table}. */
    public static NftnlChain of(Table table, Chain chain) {
        NftnlChain c = named(table, chain.name());
        try {
            if (chain.isBase()) {
                c.setStr(CHAIN_TYPE, chain.type());
                c.setU32(CHAIN_HOOKNUM, chain.hook());
                c.setU32(CHAIN_PRIO, chain.priority());
                c.setU32(CHAIN_POLICY, chain.policy());
            }
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Only table, family and name: to delete a chain, flush it, or filter a dump. */
    public static NftnlChain named(Table table, String name) {
        NftnlChain c = new NftnlChain();
        try {
            c.setStr(CHAIN_TABLE, table.name());
            c.setU32(CHAIN_FAMILY, table.family());
            if (name != null) c.setStr(CHAIN_NAME, name);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Parses a NEWCHAIN message (a GETCHAIN dump answer). */
    public static NftnlChain parse(NetlinkMessage m) {
        NftnlChain c = new NftnlChain();
        try {
            int r = (int) LibNftnl.CHAIN_NLMSG_PARSE.invokeExact(c.nativeCopy(m), c.ptr());
            if (r < 0) throw new IllegalStateException("libnftnl could not parse a chain message");
            return c;
        } catch (Throwable e) {
            c.close();
            throw Native.rethrow(e);
        }
    }

    public Chain toValue() {
        String name = str(CHAIN_NAME);
        if (!isSet(CHAIN_HOOKNUM)) return Chain.regular(name);
        String type = isSet(CHAIN_TYPE) ? str(CHAIN_TYPE) : null;
        Integer policy = isSet(CHAIN_POLICY) ? (int) num(CHAIN_POLICY) : null;
        return new Chain(name, (int) num(CHAIN_HOOKNUM), type, (int) num(CHAIN_PRIO), policy);
    }

    public String table() {
        return str(CHAIN_TABLE);
    }

    public int family() {
        return (int) num(CHAIN_FAMILY);
    }

    public String name() {
        return str(CHAIN_NAME);
    }

    public long handle() {
        return num(CHAIN_HANDLE);
    }

    public void buildPayload(MemorySegment nlh) {
        try {
            LibNftnl.CHAIN_NLMSG_BUILD_PAYLOAD.invokeExact(nlh, ptr());
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private boolean isSet(short attr) {
        try {
            return (boolean) LibNftnl.CHAIN_IS_SET.invokeExact(ptr(), attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private String str(short attr) {
        try {
            return Nftnl.string((MemorySegment) LibNftnl.CHAIN_GET_STR.invokeExact(ptr(), attr));
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private long num(short attr) {
        try {
            MemorySegment len = lenOut();
            MemorySegment p = (MemorySegment) LibNftnl.CHAIN_GET_DATA.invokeExact(ptr(), attr, len);
            return Nftnl.number(Nftnl.copy(p, len));
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setStr(short attr, String s) {
        try {
            int r = (int) LibNftnl.CHAIN_SET_STR.invokeExact(ptr(), attr, cstr(s));
            if (r < 0) throw new OutOfMemoryError("libnftnl chain attribute " + attr);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }

    private void setU32(short attr, int v) {
        try {
            LibNftnl.CHAIN_SET_U32.invokeExact(ptr(), attr, v);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
