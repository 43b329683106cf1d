package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.control.engine.Engine;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The kernel as it is: {@code GET /api/v1/state} (links, routes, rule counters and the conntrack count, read back from
 * the kernel) and {@code GET /api/v1/drift} (how the kernel differs from the committed config now, the drift records
 * and the standing drift).
 */
final class StateRoutes {
    private final EngineHandle engine;
    private final Workers workers;

    StateRoutes(EngineHandle engine, Workers workers) {
        this.engine = engine;
        this.workers = workers;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/state", Access.READ, false, this::state);
        routes.add(HttpMethod.GET, "/api/v1/drift", Access.READ, false, this::drift);
    }

    private void state(RoutingContext ctx) {
        workers.then(ctx, engine.get().live(), s -> Responses.send(ctx, 200, ApiJson.live(s)));
    }

    private void drift(RoutingContext ctx) {
        Engine e = engine.get();
        workers.then(ctx, e.differences(), diff -> {
            ObjectNode o = ApiJson.object();
            o.put("inSync", diff.isEmpty());
            o.set("differences", diff.json());
            o.put("text", diff.text());
            var recs = o.putArray("records");
            e.drift().forEach(d -> recs.add(ApiJson.drift(d)));
            Engine.Status s = e.status();
            if (s.drift() == null) o.putNull("standing");
            else o.set("standing", ApiJson.drift(s.drift()));
            Responses.send(ctx, 200, o);
        });
    }
}
