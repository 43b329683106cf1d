package dev.bulwark.dataplane.nft.expr;

/**
 * An anonymous counter. Bulwark's rules count through named counter objects ({@link Objref}) so that counts are
 * reported by rule name and the rule itself compares equal whatever its counts; this type exists to read rules
 * that others wrote. Its counts are not part of its identity.
 */
public record Counter() implements Expr {
    @Override
    public String kind() {
        return "counter";
    }
}
