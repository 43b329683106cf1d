package dev.bulwark.dataplane.nft.wire;

import dev.bulwark.dataplane.ffm.LibNftnl;
import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;

/** The ruleset generation ({@code NFT_MSG_NEWGEN}, the answer to GETGEN): a counter the kernel bumps on every commit. */
public final class NftnlGen extends NftnlResource {

    private NftnlGen() {
        super(LibNftnl.GEN_ALLOC, LibNftnl.GEN_FREE, "generation");
    }

    /** The generation id in a NEWGEN message. */
    public static int parseId(NetlinkMessage m) {
        try (NftnlGen g = new NftnlGen()) {
            int r = (int) LibNftnl.GEN_NLMSG_PARSE.invokeExact(g.nativeCopy(m), g.ptr());
            if (r < 0) throw new IllegalStateException("libnftnl could not parse a generation message");
            if (!(boolean) LibNftnl.GEN_IS_SET.invokeExact(g.ptr(), LibNftnl.GEN_ID)) {
                throw new IllegalStateException("generation message without an id");
            }
            return (int) LibNftnl.GEN_GET_U32.invokeExact(g.ptr(), LibNftnl.GEN_ID);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        }
    }
}
