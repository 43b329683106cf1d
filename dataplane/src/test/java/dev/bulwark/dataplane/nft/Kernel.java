package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;

/** A throwaway namespace with a netfilter socket and an applier for our table: what every kernel test needs. */
final class Kernel implements AutoCloseable {
    final TestNamespace ns;
    final NetNamespace handle;
    final NetlinkSocket socket;
    final RememberingApplier applier;

    private Kernel(TestNamespace ns) {
        this.ns = ns;
        NetNamespace h = null;
        NetlinkSocket s = null;
        try {
            h = NetNamespace.named(ns.name());
            s = h.open(NetlinkSocket.NETLINK_NETFILTER);
        } catch (RuntimeException e) {
            if (h != null) h.close();
            ns.close();
            throw e;
        }
        this.handle = h;
        this.socket = s;
        this.applier = new RememberingApplier(s, Rulesets.TABLE);
    }

    static Kernel create(String prefix) {
        return new Kernel(TestNamespace.create(prefix));
    }

    NftRuleset read() {
        return NftReader.read(socket, Rulesets.TABLE);
    }

    NftState readState() {
        return NftReader.readState(socket, Rulesets.TABLE);
    }

    String nft(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "nft";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return ns.exec(cmd);
    }

    /** Runs {@code nft -f -} with {@code text} (through a temporary file). */
    String nftFile(String text) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("bulwark-nft", ".nft");
            try {
                java.nio.file.Files.writeString(f, text);
                return nft("-f", f.toString());
            } finally {
                java.nio.file.Files.deleteIfExists(f);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } finally {
            try {
                handle.close();
            } finally {
                ns.close();
            }
        }
    }
}
