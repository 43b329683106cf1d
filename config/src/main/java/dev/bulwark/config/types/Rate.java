package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;
import java.util.Locale;

/** A packet rate: {@code 10/second}, {@code 100/minute}, {@code 1000/hour}, {@code 5000/day}. */
@Scalar(expected = "a rate such as 10/second (units: second, minute, hour, day)", examples = {"10/second", "100/minute"})
public record Rate(long count, Unit unit) {

    public enum Unit { SECOND, MINUTE, HOUR, DAY }

    public Rate {
        if (count < 1 || count > 4_294_967_295L) {
            throw new IllegalArgumentException("rate count " + count + " is out of range 1-4294967295");
        }
    }

    public static Rate parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a rate: write count/unit, e.g. 10/second");
        }
        String n = s.substring(0, slash).strip();
        if (n.isEmpty() || n.length() > 10 || !Names.allAsciiDigits(n)) {
            throw new IllegalArgumentException("'" + text + "' is not a rate: '" + n + "' is not a whole number");
        }
        String u = s.substring(slash + 1).strip().toLowerCase(Locale.ROOT);
        Unit unit = switch (u) {
            case "second", "s", "sec" -> Unit.SECOND;
            case "minute", "m", "min" -> Unit.MINUTE;
            case "hour", "h" -> Unit.HOUR;
            case "day", "d" -> Unit.DAY;
            default -> throw new IllegalArgumentException("'" + text + "': unknown time unit '" + u + "'; use second, minute, hour or day");
        };
        return new Rate(Long.parseLong(n), unit);
    }

    @Override
    public String toString() {
        return count + "/" + unit.name().toLowerCase(Locale.ROOT);
    }
}
