package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.engine.Engine;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * The routes that operate the daemon rather than the config: {@code GET /healthz} (the process answers),
 * {@code GET /readyz} (the startup reconcile is done), {@code GET /metrics} (Prometheus text), {@code GET
 * /api/v1/openapi} (the OpenAPI document) and {@code GET /api/v1/status} (the engine's status).
 */
final class OpsRoutes {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getPackageName());

    private final EngineHandle engine;
    private final ApiMetrics metrics;
    private final JsonNode openapi;
    private final Clock clock;
    private final Workers workers;

    OpsRoutes(EngineHandle engine, ApiMetrics metrics, JsonNode openapi, Clock clock, Workers workers) {
        this.engine = engine;
        this.metrics = metrics;
        this.openapi = openapi;
        this.clock = clock;
        this.workers = workers;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/healthz", Access.OPEN, false, this::healthz);
        routes.add(HttpMethod.GET, "/readyz", Access.OPEN, false, this::readyz);
        routes.add(HttpMethod.GET, "/metrics", Access.READ, false, this::metrics);
        routes.add(HttpMethod.GET, "/api/v1/openapi", Access.OPEN, false, ctx -> Responses.send(ctx, 200, openapi));
        routes.add(HttpMethod.GET, "/api/v1/status", Access.READ, false, ctx -> Responses.send(ctx, 200, ApiJson.status(engine.get(), clock.instant())));
    }

    private void healthz(RoutingContext ctx) {
        ObjectNode o = ApiJson.object();
        o.put("status", "ok");
        Responses.send(ctx, 200, o);
    }

    private void readyz(RoutingContext ctx) {
        Engine e = engine.orNull();
        ObjectNode o = ApiJson.object();
        if (e == null) {
            o.put("ready", false);
            o.put("status", "starting: the startup reconcile is running");
            Responses.send(ctx, 503, o);
            return;
        }
        Engine.Status s = e.status();
        o.put("ready", true);
        o.put("status", s.converged() ? "converged" : "not converged");
        o.put("converged", s.converged());
        if (s.lastError() == null) o.putNull("lastError");
        else o.put("lastError", s.lastError());
        Responses.send(ctx, 200, o);
    }

    /** Reads the kernel's counters (off the event loop) into the meters, then scrapes. */
    private void metrics(RoutingContext ctx) {
        workers.then(ctx, engine.get().counters().handle((c, err) -> {
            if (err != null) LOG.log(System.Logger.Level.WARNING, "event=metrics-kernel-read-failed error=\"" + Problems.from(err).getMessage() + "\"");
            else metrics.update(c);
            return null;
        }).thenCompose(x -> workers.blocking(metrics::scrape)), text -> Responses.sendText(ctx, 200, ContentTypes.PROMETHEUS, text));
    }
}
