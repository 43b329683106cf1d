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

    EveryRequest(Vertx vertx, Duration timeout, ApiMetrics metrics) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.metrics = metrics;
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
