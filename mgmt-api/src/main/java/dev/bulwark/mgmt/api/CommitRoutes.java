package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/**
 * Commit-confirm: {@code GET /api/v1/commit} (the commit waiting for confirmation, if any) and
 * {@code POST /api/v1/commit/confirm} (keep it, before its window runs out and the engine rolls it back).
 */
final class CommitRoutes {
    private final EngineHandle engine;
    private final Clock clock;
    private final AuditedChange audited;

    CommitRoutes(EngineHandle engine, Clock clock, AuditedChange audited) {
        this.engine = engine;
        this.clock = clock;
        this.audited = audited;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/commit", Access.READ, false, this::getCommit);
        routes.add(HttpMethod.POST, "/api/v1/commit/confirm", Access.WRITE, true, this::confirm);
    }

    private void getCommit(RoutingContext ctx) {
        ObjectNode o = ApiJson.object();
        var p = engine.get().pending();
        if (p.isEmpty()) o.putNull("pending");
        else o.set("pending", ApiJson.pending(p.get(), clock.instant()));
        Responses.send(ctx, 200, o);
    }

    private void confirm(RoutingContext ctx) {
        Long before = engine.currentRevision();
        audited.change(ctx, "commit-confirm", before, null, engine.get().confirm(), p -> {
            ObjectNode o = ApiJson.object();
            o.put("confirmed", p.revision());
            o.set("window", ApiJson.pending(p, clock.instant()));
            return o;
        }, p -> p.revision(), null);
    }
}
