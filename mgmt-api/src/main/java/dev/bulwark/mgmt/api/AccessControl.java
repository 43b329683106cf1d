package dev.bulwark.mgmt.api;

import dev.bulwark.config.model.ApiToken;
import dev.bulwark.control.engine.Engine;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Authorization of every route that is not {@link Access#OPEN}: the {@code Authorization: Bearer TOKEN} header against
 * {@code management.tokens} of the running config ({@link Auth}; 401 without or with a wrong one), the role against
 * the route's access level (403 for a read-only token on a change), and the failed-authentication limit per client
 * address ({@link AuthLimiter}; 429 with Retry-After). The admitted token's {@link #principal} stays on the request.
 */
final class AccessControl {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getPackageName());
    private static final String PRINCIPAL = "bulwark.principal";

    private final EngineHandle engine;
    private final AuthLimiter limiter;

    AccessControl(EngineHandle engine, AuthLimiter limiter) {
        this.engine = engine;
        this.limiter = limiter;
    }

    /** Who made the request: the admitted token's name and role; null on an open route or before admission. */
    static Auth.Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    /** Checks the bearer token (synchronously, from the running config in memory); answers and returns false on refusal. */
    boolean admit(RoutingContext ctx, Access access) {
        Engine e = engine.orNull();
        if (e == null) {
            Responses.problem(ctx, Problems.unavailable("starting: the startup reconcile is running"));
            return false;
        }
        String client = RequestInput.client(ctx);
        List<String> authorization = ctx.request().headers().getAll("Authorization");
        if (authorization.size() > 1) {
            // which one would count is up to whoever reads it (a proxy may take the last): refuse instead of guessing
            Responses.problem(ctx, ApiException.badRequest("the request has " + authorization.size()
                    + " Authorization headers; send exactly one: Authorization: Bearer <token>"));
            return false;
        }
        List<ApiToken> tokens = e.running().map(r -> r.config().management().tokens()).orElse(List.of());
        Auth.Outcome o = Auth.check(ctx.request().getHeader("Authorization"), tokens);
        // The failed-authentication limit holds back guessing, never a valid token (issue 19): an attacker's guesses
        // from the admin's address must not lock the admin out.
        long wait = o instanceof Auth.Valid ? 0 : limiter.retryAfter(client);
        if (wait > 0) {
            Responses.problem(ctx, new ApiException(429, "too-many-auth-failures", "Too many failed authentications",
                    "too many failed authentications from " + client + "; try again in " + wait + " s (a valid token is always let in)")
                    .header("Retry-After", Long.toString(wait)));
            return false;
        }
        switch (o) {
            case Auth.Missing m -> {
                Responses.problem(ctx, new ApiException(401, "unauthorized", "Authentication required",
                        "send Authorization: Bearer <token>; tokens are configured in management.tokens (make one with: bulwark token new)")
                        .header("WWW-Authenticate", "Bearer realm=\"bulwark\""));
                return false;
            }
            case Auth.Invalid i -> {
                limiter.failed(client);
                LOG.log(System.Logger.Level.WARNING, "event=auth-failed from=" + client + " path=" + EveryRequest.quoteIfNeeded(ctx.request().path()));
                Responses.problem(ctx, new ApiException(401, "unauthorized", "Invalid token", i.why())
                        .header("WWW-Authenticate", "Bearer realm=\"bulwark\", error=\"invalid_token\""));
                return false;
            }
            case Auth.Valid v -> {
                ctx.put(PRINCIPAL, v.principal());
                if (access == Access.WRITE && !v.principal().mayWrite()) {
                    Responses.problem(ctx, new ApiException(403, "forbidden", "Read-only token",
                            "token '" + v.principal().name() + "' is read-only; changes need an admin token"));
                    return false;
                }
                return true;
            }
        }
    }
}
