package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;
import dev.bulwark.config.types.TokenHash;

/** An API token: who it is for, its hash, and its role. */
@Doc("An API token")
public record ApiToken(
        @Doc("Unique name of the token's holder; it appears in the audit log.") @Required String name,
        @Doc("sha256:<hex> of the token.") @Required TokenHash hash,
        @Doc("admin (read and write) or read-only.") @Default("read-only") Role role) {
}
