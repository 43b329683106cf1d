package dev.bulwark.mgmt.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The router's first handler, around every request: the request timeout (503 when no answer has started in time), and
 * once the response has ended, the request's metric (by route template and status, {@link ApiMetrics#request}) and its
 * log line ({@code event=http}).
 */
final class EveryRequest implements Handler<RoutingContext> {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getPackageName());

    private final Vertx vertx;
    private final Duration timeout;
    private final ApiMetrics metrics;
    private final AuditLog audit;
    private final java.time.Clock clock;

    EveryRequest(Vertx vertx, Duration timeout, ApiMetrics metrics, AuditLog audit, java.time.Clock clock) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.metrics = metrics;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * A write refused before it became a change (401, 403, 400, 412, 413, 415 on a route that changes something) is
     * audited too: who tried what, from where, and the answer. Changes themselves are audited by {@link AuditedChange}.
     */
    private void auditRefusal(RoutingContext ctx, String route, int status, Auth.Principal p) {
        HttpMethod m = ctx.request().method();
        if (RouteTable.access(ctx) != Access.WRITE || status < 400 || ctx.get(AuditedChange.AUDITED) != null) return;
        var rec = AuditLog.entry();
        rec.put("time", clock.instant().toString());
        rec.put("who", p == null ? "-" : p.name());
        if (p == null) rec.putNull("role");
        else rec.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        rec.put("from", RequestInput.client(ctx));
        rec.put("action", "refused");
        rec.put("method", m.name());
        rec.put("uri", ctx.request().uri());
        rec.put("route", route);
        rec.put("status", status);
        audit.append(rec);
    }

    @Override
    public void handle(RoutingContext ctx) {
        long t0 = System.nanoTime();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            HttpServerResponse r = ctx.response();
            if (!r.headWritten() && !r.ended() && !r.closed()) {
                Responses.problem(ctx, Problems.unavailable("no answer within " + timeout.toSeconds()
                        + " s; a change still in progress completes and is written to the audit log (see GET /api/v1/revisions)"));
            }
        });
        ctx.addEndHandler(ar -> {
            vertx.cancelTimer(timer);
            long nanos = System.nanoTime() - t0;
            String route = RouteTable.template(ctx);
            int status = ctx.response().getStatusCode();
            metrics.request(ctx.request().method().name(), route, status, nanos);
            Auth.Principal p = AccessControl.principal(ctx);
            auditRefusal(ctx, route, status, p);
            // Successful reads (GET/HEAD: config, status, metrics scrapes, health probes) only at DEBUG: at INFO a busy
            // API would write a log line per read on the event loop; changes, refusals and failures stay at INFO and
            // up (changes are also in the audit log).
            boolean read = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
            System.Logger.Level level = status >= 500 ? System.Logger.Level.WARNING
                    : read && status < 400 ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            if (!LOG.isLoggable(level)) return;
            LOG.log(level,
                    "event=http method=" + ctx.request().method() + " path=" + quoteIfNeeded(ctx.request().path()) + " route=" + route
                            + " status=" + status + " ms=" + TimeUnit.NANOSECONDS.toMillis(nanos) + " from=" + RequestInput.client(ctx)
                            + " who=" + (p == null ? "-" : p.name()));
        });
        ctx.next();
    }

    /** A request path as a logfmt value: as it is when it has no space, quote or control character, else quoted. */
    static String quoteIfNeeded(String s) {
        return s.matches("[\\x21-\\x7e&&[^\"]]*") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
