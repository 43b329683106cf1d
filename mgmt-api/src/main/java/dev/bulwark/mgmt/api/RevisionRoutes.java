package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.revision.DamagedRevision;
import dev.bulwark.control.revision.Revision;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The stored revisions: {@code GET /api/v1/revisions} (newest first, with the damaged ones and the current one),
 * {@code GET /api/v1/revisions/:id} (one, with its config and ETag), {@code GET /api/v1/revisions/:a/diff/:b} (what
 * changed between two) and {@code POST /api/v1/revisions/:id/rollback} (commit an earlier revision's config again).
 */
final class RevisionRoutes {
    private final EngineHandle engine;
    private final Workers workers;
    private final AuditedChange audited;

    RevisionRoutes(EngineHandle engine, Workers workers, AuditedChange audited) {
        this.engine = engine;
        this.workers = workers;
        this.audited = audited;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/revisions", Access.READ, false, this::revisions);
        routes.add(HttpMethod.GET, "/api/v1/revisions/:id", Access.READ, false, this::revision);
        routes.add(HttpMethod.GET, "/api/v1/revisions/:a/diff/:b", Access.READ, false, this::diff);
        routes.add(HttpMethod.POST, "/api/v1/revisions/:id/rollback", Access.WRITE, true, this::rollback);
    }

    private void revisions(RoutingContext ctx) {
        Engine e = engine.get();
        List<Revision> all = e.store().list();
        ObjectNode o = ApiJson.object();
        var a = o.putArray("revisions");
        for (int i = all.size() - 1; i >= 0; i--) a.add(ApiJson.revision(all.get(i)));
        var d = o.putArray("damaged");
        for (DamagedRevision x : e.store().damaged()) {
            ObjectNode n = d.addObject();
            n.put("id", x.id());
            n.put("problem", x.toString());
        }
        Long cur = engine.currentRevision();
        if (cur == null) o.putNull("current");
        else o.put("current", cur);
        Responses.send(ctx, 200, o);
    }

    private void revision(RoutingContext ctx) {
        long id = RequestInput.revisionId(ctx, "id");
        Revision r = engine.get().store().get(id);
        workers.then(ctx, workers.blocking(() -> ConfigWriter.toTree(r.config())), tree -> {
            ObjectNode o = ApiJson.revision(r);
            o.set("config", tree);
            ctx.response().putHeader("ETag", ETags.of(r.id()));
            Responses.send(ctx, 200, o);
        });
    }

    private void diff(RoutingContext ctx) {
        long a = RequestInput.revisionId(ctx, "a");
        long b = RequestInput.revisionId(ctx, "b");
        Engine e = engine.get();
        workers.then(ctx, workers.blocking(() -> e.store().diff(a, b)), changes -> Responses.send(ctx, 200, ApiJson.diff(a, b, changes)));
    }

    private void rollback(RoutingContext ctx) {
        long id = RequestInput.revisionId(ctx, "id");
        Long expected = ETags.ifMatch(ctx, engine);
        String message = RequestInput.message(ctx);
        Long before = engine.currentRevision();
        audited.commit(ctx, "rollback", before, rec -> {
            rec.put("target", id);
            AuditedChange.parameters(rec, expected, null, message);
        }, engine.get().rollback(id, RequestInput.commitMeta(ctx, message.isEmpty() ? "rollback to revision " + id : message), expected), List.of());
    }
}
