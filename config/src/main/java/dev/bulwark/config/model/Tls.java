package dev.bulwark.config.model;

import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.bind.Required;

/** PEM files for the HTTPS listener. */
@Doc("TLS certificate and key")
public record Tls(
        @Doc("Path of the PEM certificate chain.") @Required String certificate,
        @Doc("Path of the PEM private key.") @Required String key) {
}
