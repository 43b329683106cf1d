package dev.bulwark.mgmt.api;

import dev.bulwark.config.types.Names;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.Source;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * What handlers read from a request, checked (400, or 404 for a revision id that cannot be one): the {@code confirm}
 * and {@code message} parameters of a change, a revision id in the path, the body's bytes, the client's address, and
 * the author and message of a commit.
 */
final class RequestInput {
    private RequestInput() {
    }

    /** The commit-confirm window of {@code ?confirm=SECONDS} (1 to 86400), or null without one. */
    static Duration confirm(RoutingContext ctx) {
        String s = ctx.request().getParam("confirm");
        if (s == null || s.isEmpty()) return null;
        Long n = Names.decimal(s, 9);
        if (n == null) throw ApiException.badRequest("confirm must be a number of seconds (ASCII digits), got '" + s + "'");
        long secs = n;
        if (secs < 1 || secs > 86_400) throw ApiException.badRequest("confirm must be 1 to 86400 seconds, got " + secs);
        return Duration.ofSeconds(secs);
    }

    /** The commit message of {@code ?message=} (at most 1000 characters, control characters but tab as spaces), or "". */
    static String message(RoutingContext ctx) {
        String m = ctx.request().getParam("message");
        if (m == null) return "";
        if (m.length() > 1000) throw ApiException.badRequest("message is limited to 1000 characters");
        return m.replaceAll("[\\p{Cntrl}&&[^\\t]]", " ");
    }

    /** A revision id from the path parameter {@code name}: a positive number, else 404. */
    static long revisionId(RoutingContext ctx, String name) {
        String s = ctx.pathParam(name);
        // as revisions are numbered: no sign, no leading zero, no other script's digits ('+1', '01' and '١' are not 1)
        Long id = Names.decimal(s, 18);
        if (id == null || id < 1) {
            throw new ApiException(404, "not-found", "Not found", "'" + s + "' is not a revision id (a positive number, as GET /api/v1/revisions lists them)");
        }
        return id;
    }

    /** The body as read by the route's body handler; 400 when there is none. */
    static byte[] body(RoutingContext ctx) {
        Buffer b = ctx.body() == null ? null : ctx.body().buffer();
        if (b == null || b.length() == 0) throw ApiException.badRequest("the request has no body");
        return b.getBytes();
    }

    /** The client's address, for the log, the audit log and the failed-authentication limit. */
    static String client(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }

    /** Who commits and why: the admitted token's name and the message, from the API. */
    static CommitMeta commitMeta(RoutingContext ctx, String message) {
        Auth.Principal p = AccessControl.principal(ctx);
        return CommitMeta.of(p.name(), message, Source.API);
    }
}
