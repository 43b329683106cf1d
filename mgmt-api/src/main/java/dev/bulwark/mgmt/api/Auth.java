package dev.bulwark.mgmt.api;

import dev.bulwark.config.model.ApiToken;
import dev.bulwark.config.model.Role;
import java.util.List;
import java.util.Locale;

/**
 * Bearer tokens against {@code management.tokens} of the running config. Every token's hash is compared (in constant
 * time, {@link dev.bulwark.config.types.TokenHash#matches}) with no early exit, so the time taken does not tell which
 * token, or how much of one, matched.
 */
final class Auth {
    private Auth() {
    }

    /** Who made a request: the token's name and role. */
    record Principal(String name, Role role) {
        boolean mayWrite() {
            return role == Role.ADMIN;
        }
    }

    /** What the Authorization header held. */
    sealed interface Outcome permits Missing, Invalid, Valid {
    }

    record Missing() implements Outcome {
    }

    /** A token (or a malformed header) that matches no configured token. */
    record Invalid(String why) implements Outcome {
    }

    record Valid(Principal principal) implements Outcome {
    }

    static Outcome check(String authorization, List<ApiToken> tokens) {
        if (authorization == null || authorization.isBlank()) return new Missing();
        String h = authorization.strip();
        int sp = h.indexOf(' ');
        if (sp < 0 || !h.substring(0, sp).toLowerCase(Locale.ROOT).equals("bearer")) {
            return new Invalid("the Authorization header must be 'Bearer <token>'");
        }
        String token = h.substring(sp + 1).strip();
        if (token.isEmpty() || token.length() > 4096) return new Invalid("the bearer token is empty or too long");
        ApiToken found = null;
        for (ApiToken t : tokens) {
            boolean m = t.hash().matches(token); // every token, always
            if (m && found == null) found = t;
        }
        if (found == null) return new Invalid("the token matches none of management.tokens");
        return new Valid(new Principal(found.name(), found.role() == null ? Role.READ_ONLY : found.role()));
    }
}
