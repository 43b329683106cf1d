package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.config.types.IpAddress;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark conntrack [list|flush]}: the router's connection tracking table, streamed; or flush entries. */
@Command(name = "conntrack",
        description = {"List the router's connection tracking entries as they are read, or flush them.",
                "list prints one row per entry as it arrives (--json: one JSON object per line); flush deletes all entries, or those "
                        + "matching the filters (conntrack -L / conntrack -F, through the API)."},
        exitCodeListHeading = ClientCommand.EXIT_HEADING,
        exitCodeList = {ClientCommand.EXIT_OK, "1:refused (a bad filter, a bad or read-only token)", ClientCommand.EXIT_USAGE,
                "3:cannot reach the API, the connection broke while listing, or it failed (5xx; 501: no conntrack access)"})
final class ConntrackCommand extends ClientCommand {

    static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "icmpv6", "sctp", "udplite", "gre", "dccp");

    enum Action { list, flush }

    @Parameters(paramLabel = "ACTION", arity = "0..1", defaultValue = "list", description = "list (default) or flush.")
    Action action;

    @Option(names = "--address", paramLabel = "A", description = "Entries with this address as source or destination, either direction.")
    String address;

    @Option(names = "--port", paramLabel = "P", description = "Entries with this source or destination port, either direction.")
    Integer port;

    @Option(names = "--protocol", paramLabel = "PROTO", description = "tcp, udp, icmp, icmpv6, sctp, udplite, gre or dccp.")
    String protocol;

    private String query() {
        CommandLine cl = spec.commandLine();
        List<String> q = new ArrayList<>();
        if (address != null) {
            try {
                IpAddress.parse(address.strip());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--address: '" + address + "' is not an IPv4 or IPv6 address");
            }
            q.add("address=" + URLEncoder.encode(address.strip(), StandardCharsets.UTF_8));
        }
        if (port != null) {
            if (port < 0 || port > 65535) throw new CommandLine.ParameterException(cl, "--port is 0 to 65535, got " + port);
            q.add("port=" + port);
        }
        if (protocol != null) {
            String p = protocol.strip().toLowerCase(java.util.Locale.ROOT);
            if (!PROTOCOLS.contains(p)) {
                throw new CommandLine.ParameterException(cl, "--protocol: '" + protocol + "' is not one of tcp, udp, icmp, icmpv6, sctp, udplite, gre, dccp");
            }
            q.add("protocol=" + p);
        }
        return q.isEmpty() ? "" : "?" + String.join("&", q);
    }

    @Override
    int run(ApiClient c) {
        String path = "api/v1/state/conntrack" + query();
        if (action == Action.flush) {
            JsonNode r = c.send("DELETE", path, ApiClient.JSON_TYPE, null, null).json();
            if (api.json) out().print(AnswerText.json(r));
            else {
                long n = r.path("deleted").asLong();
                out().println("deleted " + n + (n == 1 ? " entry" : " entries") + (r.path("filter").asText("").isEmpty() ? "" : " (" + r.get("filter").asText() + ")"));
            }
            return 0;
        }
        if (!api.json) {
            out().println(row("PROTO", "STATE", "TIMEOUT", "ORIGINAL", "REPLY", ""));
            out().flush();
        }
        long n = c.streamLines(path, line -> {
            if (api.json) out().println(line);
            else out().println(format(line));
            out().flush(); // rows appear as they arrive
        });
        if (!api.json) out().println(n + (n == 1 ? " entry" : " entries"));
        return 0;
    }

    private static String format(String line) {
        JsonNode e;
        try {
            e = ApiClient.JSON.readTree(line);
        } catch (IOException x) {
            return line;
        }
        String timeout = e.hasNonNull("timeout") ? e.get("timeout").asLong() + "s" : "-";
        return row(e.path("protocol").asText("?"), AnswerText.text(e.get("state")), timeout, tuple(e.path("original")), tuple(e.get("reply")),
                e.path("assured").asBoolean() ? "[ASSURED]" : "");
    }

    private static String row(String proto, String state, String timeout, String original, String reply, String flags) {
        return String.format("%-7s  %-11s  %7s  %-45s  %-45s  %s", proto, state, timeout, original, reply, flags).stripTrailing();
    }

    private static String tuple(JsonNode t) {
        if (t == null || !t.isObject()) return "-";
        return endpoint(t.path("source").asText(), t.get("sourcePort")) + " → " + endpoint(t.path("destination").asText(), t.get("destinationPort"));
    }

    private static String endpoint(String address, JsonNode port) {
        boolean v6 = address.contains(":");
        if (port == null || port.isNull()) return address;
        return (v6 ? "[" + address + "]" : address) + ":" + port.asInt();
    }
}
