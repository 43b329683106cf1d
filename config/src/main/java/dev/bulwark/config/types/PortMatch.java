package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** What a rule matches a port against: a port, a port range, or a named port set ({@code @name}). */
@Scalar(expected = "a port, port range or @set", examples = {"22", "8000-8100", "@web-ports"}, numbers = true)
public sealed interface PortMatch permits PortRange, SetRef {

    static PortMatch parse(String text) {
        String s = text.strip();
        return s.startsWith("@") ? SetRef.parse(s) : PortRange.parse(s);
    }
}
