package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** A port or an inclusive range of ports, 1-65535: {@code 22} or {@code 8000-8100}. */
@Scalar(expected = "a port (1-65535) or port range such as 8000-8100", examples = {"22", "8000-8100"}, numbers = true)
public record PortRange(int from, int to) implements PortMatch, SetElement {

    public PortRange {
        if (from < 1 || from > 65535 || to < 1 || to > 65535) {
            throw new IllegalArgumentException("port " + (from < 1 || from > 65535 ? from : to) + " is out of range 1-65535");
        }
        if (from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " ends before it starts; write " + to + "-" + from);
        }
    }

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    public static PortRange parse(String text) {
        String s = text.strip();
        int dash = s.indexOf('-', 1);
        if (dash < 0) {
            int p = number(s, text);
            return new PortRange(p, p);
        }
        return new PortRange(number(s.substring(0, dash).strip(), text), number(s.substring(dash + 1).strip(), text));
    }

    private static int number(String s, String original) {
        if (s.isEmpty() || s.length() > 6 || !Names.allAsciiDigits(s)) {
            if (!s.isEmpty() && Names.isIdentifier(s)) {
                throw new IllegalArgumentException("'" + original + "' is not a port: service names are not resolved; write the number (e.g. 443 for https)");
            }
            throw new IllegalArgumentException("'" + original + "' is not a port or port range (write e.g. 22 or 8000-8100)");
        }
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is out of range 1-65535");
        }
        return p;
    }

    public boolean single() {
        return from == to;
    }

    @Override
    public String toString() {
        return single() ? Integer.toString(from) : from + "-" + to;
    }
}
