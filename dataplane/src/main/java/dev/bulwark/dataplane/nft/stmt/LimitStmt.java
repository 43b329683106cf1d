package dev.bulwark.dataplane.nft.stmt;

/**
 * {@code limit rate 10/second [burst 20 packets]}: matches while the packet rate is within the limit. nft sends a
 * burst of 5 packets when none is written.
 *
 * @param unit seconds per rate unit: 1, 60, 3600, 86400 or 604800
 */
public record LimitStmt(long rate, long unit, Integer burst) implements Stmt {

    public static final int DEFAULT_BURST = 5;

    public LimitStmt {
        if (rate < 1 || rate > 0xFFFF_FFFFL) throw new IllegalArgumentException("rate " + rate);
        unitName(unit);
        if (burst != null && (burst < 1 || burst > 0xFFFF)) throw new IllegalArgumentException("burst " + burst);
    }

    public static String unitName(long unit) {
        if (unit == 1) return "second";
        if (unit == 60) return "minute";
        if (unit == 3600) return "hour";
        if (unit == 86400) return "day";
        if (unit == 604800) return "week";
        throw new IllegalArgumentException("no rate unit of " + unit + " seconds");
    }

    public int effectiveBurst() {
        return burst != null ? burst : DEFAULT_BURST;
    }

    @Override
    public String render() {
        return "limit rate " + rate + "/" + unitName(unit) + (burst != null ? " burst " + burst + " packets" : "");
    }
}
