package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.types.Endpoint;
import java.util.List;

/** The management API. */
@Doc("Management API settings")
public record Management(
        @Doc("Address and port the API listens on.") @Default("127.0.0.1:8080") Endpoint listen,
        @Doc("Zones from which the API must stay reachable (used by anti-lockout).") List<String> zones,
        @Doc("API tokens, stored hashed.") List<ApiToken> tokens,
        @Doc("Refuse configs that would cut the API off from its management zones.") @Default("true") boolean antiLockout,
        @Doc("Serve HTTPS with this certificate and key.") Tls tls) {

    public Management {
        zones = Values.list(zones);
        tokens = Values.list(tokens);
    }
}
