package dev.bulwark.dataplane.nft.expr;

/**
 * Source or destination NAT to the addresses and ports held in registers (null: not given):
 * {@code [ nat dnat ip addr_min reg 1 proto_min reg 2 ]}.
 */
public record Nat(int type, int family, Integer regAddrMin, Integer regAddrMax, Integer regProtoMin, Integer regProtoMax,
                  int flags) implements Expr {
    @Override
    public String kind() {
        return "nat";
    }
}
