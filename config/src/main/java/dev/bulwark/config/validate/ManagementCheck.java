package dev.bulwark.config.validate;

import dev.bulwark.config.model.ApiToken;
import dev.bulwark.config.model.Management;
import dev.bulwark.config.types.Endpoint;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.TokenHash;
import java.util.HashMap;
import java.util.Map;

/** Management: a listen port, known zones, unique token names and hashes, TLS files named. */
final class ManagementCheck implements Check {

    @Override
    public void check(Context ctx) {
        Management m = ctx.config.management();
        if (m.listen().port() == null) {
            ctx.error("/management/listen", "the listen address needs a port, e.g. " + new Endpoint(m.listen().address(), 8080));
        }
        for (int i = 0; i < m.zones().size(); i++) ctx.zoneRef(Context.at("/management/zones", i), m.zones().get(i), false);
        Map<String, String> names = new HashMap<>();
        Map<TokenHash, ApiToken> hashes = new HashMap<>();
        for (int i = 0; i < m.tokens().size(); i++) {
            ApiToken t = m.tokens().get(i);
            String p = Context.at("/management/tokens", i);
            Matches.uniqueName(ctx, names, t.name(), p + "/name", "token");
            ApiToken first = hashes.putIfAbsent(t.hash(), t);
            if (first != null) {
                ctx.error(p + "/hash", "this hash is already used by token '" + first.name() + "'; give each holder a token of their own");
            }
        }
        boolean loopback = isLoopback(m.listen().address());
        if (!loopback && m.tokens().isEmpty()) {
            ctx.warning("/management/tokens", "the API listens on " + m.listen() + " but no token is configured, so every request will be refused");
        }
        if (!loopback && m.antiLockout() && m.zones().isEmpty()) {
            ctx.warning("/management/zones", "anti-lockout is on but no management zone is named, so there is nothing for it to protect");
        }
        if (m.tls() != null) {
            if (m.tls().certificate().isBlank()) ctx.error("/management/tls/certificate", "the certificate path is empty");
            if (m.tls().key().isBlank()) ctx.error("/management/tls/key", "the key path is empty");
        }
    }

    private static boolean isLoopback(IpAddress a) {
        return a.family() == Family.IPV4 ? (a.lo() >>> 24) == 127 : a.hi() == 0 && a.lo() == 1;
    }
}
