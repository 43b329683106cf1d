package dev.bulwark.control.reconcile;

import java.util.Objects;

/**
 * One line of a plan: what changes, as a reviewer reads it.
 *
 * @param sign    {@code +} something is added, {@code -} removed, {@code ~} changed in place
 * @param text    the change, e.g. {@code route default via 203.0.113.1 (table main)}
 * @param command the equivalent command ({@code ip route add ...}, {@code nft add rule ...}), or null
 */
public record Change(String sign, String text, String command) {

    public static final String ADD = "+";
    public static final String REMOVE = "-";
    public static final String CHANGE = "~";

    public Change {
        Objects.requireNonNull(text, "text");
        if (!ADD.equals(sign) && !REMOVE.equals(sign) && !CHANGE.equals(sign)) throw new IllegalArgumentException("sign " + sign);
    }

    @Override
    public String toString() {
        return sign + " " + text;
    }
}
