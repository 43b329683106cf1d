package dev.bulwark.mgmt.api;

import io.vertx.ext.web.RoutingContext;

/**
 * The config's version in HTTP terms: a revision's strong ETag ({@code "42"}) as GET /api/v1/config and every commit
 * send it, and the revision an {@code If-Match} header names, which the engine's writer compares with the newest
 * revision (optimistic concurrency: 412 when the config changed since it was read).
 */
final class ETags {
    private ETags() {
    }

    /** The ETag of a revision. */
    static String of(long revision) {
        return "\"" + revision + "\"";
    }

    /**
     * The revision an If-Match header names: null without the header, or for {@code *} when something is committed
     * ({@code *} with nothing committed is 412).
     */
    static Long ifMatch(RoutingContext ctx, EngineHandle engine) {
        String h = ctx.request().getHeader("If-Match");
        if (h == null) return null;
        h = h.strip();
        if (h.equals("*")) {
            if (engine.get().running().isPresent()) return null; // any current config
            throw new ApiException(412, "precondition-failed", "Nothing is committed yet", "If-Match: * needs a current config; nothing is committed yet");
        }
        if (h.matches("\"[0-9]{1,18}\"")) return Long.parseLong(h.substring(1, h.length() - 1));
        // anything else (a weak tag, a list, garbage) cannot match a strong revision tag
        throw new ApiException(412, "precondition-failed", "The config changed since it was read",
                "If-Match must be one strong ETag as GET /api/v1/config sends it (\"42\") or *; got " + h);
    }
}
