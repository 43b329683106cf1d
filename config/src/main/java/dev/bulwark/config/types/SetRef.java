package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;

/** A reference to a named set of the config, written {@code @name}. */
@Scalar(expected = "a set reference such as @blocklist", examples = {"@admins"})
public record SetRef(String name) implements AddressMatch, PortMatch {

    public SetRef {
        if (name == null || !Names.isIdentifier(name)) {
            throw new IllegalArgumentException("'@" + name + "' is not a valid set reference: " + Names.IDENTIFIER_RULE);
        }
    }

    public static SetRef parse(String text) {
        if (!text.startsWith("@")) {
            throw new IllegalArgumentException("'" + text + "' is not a set reference: write @name");
        }
        return new SetRef(text.substring(1));
    }

    @Override
    public Family family() {
        return null;
    }

    @Override
    public String toString() {
        return "@" + name;
    }
}
