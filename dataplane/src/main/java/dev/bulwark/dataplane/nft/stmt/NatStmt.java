package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;

/**
 * Source or destination NAT to an address, an address range (pool) or, with {@code prefix}, a whole prefix mapped
 * host-by-host (NETMAP: {@code dnat ip prefix to 10.0.0.0/24}); optionally to a port (which needs a TCP/UDP match
 * before it): {@code snat ip to 198.51.100.3-198.51.100.6}, {@code dnat ip to 192.168.1.20:8443},
 * {@code dnat ip6 to [fd00::20]:8443}.
 *
 * @param type    Nft.NAT_SNAT or Nft.NAT_DNAT
 * @param addrMax the last address of a range or prefix, else null
 * @param port    the port to translate to, or null
 * @param prefix  map the prefix addrMin..addrMax onto the packet's prefix (NF_NAT_RANGE_NETMAP)
 */
public record NatStmt(int type, boolean v6, Bytes addrMin, Bytes addrMax, Integer port, boolean prefix) implements Stmt {

    public NatStmt {
        if (type != Nft.NAT_SNAT && type != Nft.NAT_DNAT) throw new IllegalArgumentException("nat type " + type);
        int len = v6 ? 16 : 4;
        if (addrMin.length() != len || (addrMax != null && addrMax.length() != len)) throw new IllegalArgumentException("address length");
        if (prefix && (addrMax == null || new Intervals.Interval(addrMin, addrMax).prefixLength() < 0)) {
            throw new IllegalArgumentException("a prefix mapping needs a whole prefix");
        }
        if (port != null && (port < 1 || port > 65535)) throw new IllegalArgumentException("port " + port);
        if (prefix && port != null) throw new IllegalArgumentException("a prefix mapping keeps the ports");
    }

    public static NatStmt snat(boolean v6, Bytes address) {
        return new NatStmt(Nft.NAT_SNAT, v6, address, null, null, false);
    }

    public static NatStmt dnat(boolean v6, Bytes address, Integer port) {
        return new NatStmt(Nft.NAT_DNAT, v6, address, null, port, false);
    }

    public int family() {
        return v6 ? Nft.NFPROTO_IPV6 : Nft.NFPROTO_IPV4;
    }

    public int flags() {
        return (port != null ? Symbols.NAT_RANGE_PROTO_SPECIFIED : 0) | (prefix ? Symbols.NAT_RANGE_NETMAP : 0);
    }

    @Override
    public String render() {
        String kw = (type == Nft.NAT_SNAT ? "snat " : "dnat ") + (v6 ? "ip6 " : "ip ");
        if (prefix) {
            return kw + "prefix to " + InetText.address(addrMin) + "/" + new Intervals.Interval(addrMin, addrMax).prefixLength();
        }
        String addr = InetText.address(addrMin) + (addrMax != null ? "-" + InetText.address(addrMax) : "");
        if (port == null) return kw + "to " + addr;
        return kw + "to " + (v6 ? "[" + addr + "]" : addr) + ":" + port;
    }
}
