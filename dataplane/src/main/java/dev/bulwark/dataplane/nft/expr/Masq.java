package dev.bulwark.dataplane.nft.expr;

/** Masquerade to the outgoing interface's address: {@code [ masq ]}. */
public record Masq(int flags, Integer regProtoMin, Integer regProtoMax) implements Expr {

    /** The kernel's form: a missing max port register is the min register (the kernel reports it so). */
    public Masq {
        if (regProtoMin != null && regProtoMax == null) regProtoMax = regProtoMin;
    }
    @Override
    public String kind() {
        return "masq";
    }
}
