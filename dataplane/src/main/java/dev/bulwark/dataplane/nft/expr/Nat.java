package dev.bulwark.dataplane.nft.expr;

/**
 * Source or destination NAT to the addresses and ports held in registers (null: not given):
 * {@code [ nat dnat ip addr_min reg 1 proto_min reg 2 ]}.
 */
public record Nat(int type, int family, Integer regAddrMin, Integer regAddrMax, Integer regProtoMin, Integer regProtoMax,
                  int flags) implements Expr {

    /** NF_NAT_RANGE_MAP_IPS: the kernel sets it when an address register is given. */
    public static final int RANGE_MAP_IPS = 0x1;
    /** NF_NAT_RANGE_PROTO_SPECIFIED: the kernel sets it when a port register is given. */
    public static final int RANGE_PROTO_SPECIFIED = 0x2;

    /**
     * The kernel's form: a missing max register is the min register, and the flags say which ranges are given (the
     * kernel reports them so whatever was sent), so that what we send and what we read back are equal.
     */
    public Nat {
        if (regAddrMin != null) {
            if (regAddrMax == null) regAddrMax = regAddrMin;
            flags |= RANGE_MAP_IPS;
        }
        if (regProtoMin != null) {
            if (regProtoMax == null) regProtoMax = regProtoMin;
            flags |= RANGE_PROTO_SPECIFIED;
        }
    }
    @Override
    public String kind() {
        return "nat";
    }
}
