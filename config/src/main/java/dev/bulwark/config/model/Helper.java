package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.bind.Scalar;
import dev.bulwark.config.types.Names;
import dev.bulwark.config.types.PortRange;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A conntrack helper: {@code ftp}, or {@code {type: ftp, port: 2121, zones: [wan]}}. */
@Doc("A conntrack helper")
@Scalar(shorthand = true, expected = "a helper name (ftp, tftp, sip, irc, h323, pptp, snmp, amanda, netbios-ns, sane) or {type, port, zones}", examples = {"ftp"})
public record Helper(
        @Doc("Which helper.") @Required HelperType type,
        @Doc("Port it watches (default: the protocol's well-known port).") PortRange port,
        @Doc("Zones whose incoming traffic gets the helper (default: all zones).") List<String> zones) {

    public Helper {
        zones = Values.list(zones);
    }

    public static Helper parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        for (HelperType t : HelperType.values()) {
            if (Names.enumName(t).equals(s)) return new Helper(t, null, List.of());
        }
        List<String> names = Arrays.stream(HelperType.values()).map(Names::enumName).toList();
        String close = Names.closest(s, names);
        throw new IllegalArgumentException("unknown helper '" + text + "'" + (close != null ? "; did you mean '" + close + "'?" : "; known helpers: " + String.join(", ", names)));
    }

    /** The port the helper is attached to. */
    public PortRange effectivePort() {
        return port != null ? port : type.defaultPort();
    }
}
