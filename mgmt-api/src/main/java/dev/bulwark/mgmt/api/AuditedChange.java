package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.Problem;
import dev.bulwark.control.engine.CommitResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How every change is answered (a commit, a rollback, a confirmation, a conntrack flush): once the engine is done, its
 * {@link AuditLog} record (who, from where, what, the outcome, the revision before and after) is written and durable
 * before the answer (the result, or the problem) is sent, and the change is logged ({@code event=ACTION}).
 */
final class AuditedChange {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getPackageName());

    private final Vertx vertx;
    private final Clock clock;
    private final AuditLog audit;

    AuditedChange(Vertx vertx, Clock clock, AuditLog audit) {
        this.vertx = vertx;
        this.clock = clock;
        this.audit = audit;
    }

    /** Set on a request whose outcome this class audits (so that {@link EveryRequest} does not record it again). */
    static final String AUDITED = "bulwark.audited";

    /**
     * Finishes a change: writes the audit record (durable before the answer), then answers with {@code render} of the
     * result, or the problem.
     *
     * @param action  the audit record's action ("config-replace", "rollback", ...)
     * @param before  the running revision before the change, or null
     * @param what    adds the change's details to the audit record, or null
     * @param after   the revision the result leaves running (for the record), or null
     * @param headers sets response headers from the result, or null
     */
    <T> void change(RoutingContext ctx, String action, Long before, Consumer<ObjectNode> what, CompletionStage<T> stage,
                    Function<T, JsonNode> render, Function<T, Long> after, BiConsumer<RoutingContext, T> headers) {
        Context loop = vertx.getOrCreateContext();
        ctx.put(AUDITED, Boolean.TRUE);
        Auth.Principal p = AccessControl.principal(ctx);
        String from = RequestInput.client(ctx);
        String uri = ctx.request().uri();
        String method = ctx.request().method().name();
        stage.whenComplete((v, err) -> {
            ApiException problem = err == null ? null : Problems.from(err);
            ObjectNode rec = AuditLog.entry();
            rec.put("time", clock.instant().toString());
            rec.put("who", p.name());
            rec.put("role", p.role().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            rec.put("from", from);
            rec.put("action", action);
            rec.put("method", method);
            rec.put("uri", uri);
            rec.put("status", problem == null ? 200 : problem.status);
            if (before == null) rec.putNull("revisionBefore");
            else rec.put("revisionBefore", before);
            Long a = problem == null && after != null ? after.apply(v) : null;
            if (a == null) rec.putNull("revisionAfter");
            else rec.put("revisionAfter", a);
            if (what != null) what.accept(rec);
            if (problem != null) {
                rec.put("error", problem.title);
                rec.put("detail", problem.getMessage());
            }
            LOG.log(System.Logger.Level.INFO, "event=" + action + " who=" + p.name() + " from=" + from + " status=" + rec.get("status")
                    + " revision=" + (a == null ? "-" : a) + (problem == null ? "" : " error=\"" + problem.title + "\""));
            audit.append(rec).whenComplete((x, auditErr) -> loop.runOnContext(z -> {
                if (problem != null) {
                    Responses.problem(ctx, problem);
                    return;
                }
                try {
                    if (headers != null) headers.accept(ctx, v);
                    Responses.send(ctx, 200, render.apply(v));
                } catch (RuntimeException e) {
                    Responses.problem(ctx, Problems.from(e));
                }
            }));
        });
    }

    /**
     * Finishes a commit (a config replaced or patched, a rollback) as {@link #change} does: the answer is the commit
     * with the config's warnings, and its ETag is the new revision's.
     */
    void commit(RoutingContext ctx, String action, Long before, Consumer<ObjectNode> what, CompletionStage<CommitResult> stage,
                List<Problem> configWarnings) {
        change(ctx, action, before, what, stage, r -> {
            ObjectNode o = ApiJson.commit(r, clock.instant());
            o.set("configWarnings", ApiJson.problems(configWarnings));
            return o;
        }, r -> r.revision().id(), (c, r) -> c.response().putHeader("ETag", ETags.of(r.revision().id())));
    }

    /** A change's parameters in its audit record: {@code ifMatch}, {@code confirmSeconds}, {@code message}. */
    static void parameters(ObjectNode rec, Long expected, Duration confirm, String message) {
        if (expected == null) rec.putNull("ifMatch");
        else rec.put("ifMatch", expected);
        if (confirm == null) rec.putNull("confirmSeconds");
        else rec.put("confirmSeconds", confirm.toSeconds());
        rec.put("message", message);
    }
}
