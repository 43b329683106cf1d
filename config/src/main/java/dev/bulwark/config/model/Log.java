package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Scalar;

/**
 * Logging of matched packets: {@code log: true}, {@code log: "prefix"}, or an object. With {@code group} the packets
 * go to that nflog group instead of the kernel log.
 */
@Doc("Packet logging")
@Scalar(shorthand = true, booleans = true, expected = "true, a log prefix string, or {prefix, level, group}", examples = {"true", "ssh-admin: "})
public record Log(
        @Doc("Text put before each log line (at most 127 characters).") String prefix,
        @Doc("Syslog level.") @Default("warn") LogLevel level,
        @Doc("nflog group (0-65535) to send packets to instead of the kernel log.") Integer group) {

    public static Log parse(String text) {
        if (text.equals("true")) return new Log(null, LogLevel.WARN, null);
        if (text.equals("false")) {
            throw new IllegalArgumentException("to turn logging off, leave 'log' out");
        }
        return new Log(text, LogLevel.WARN, null);
    }
}
