package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import dev.bulwark.control.engine.CommitResult;
import dev.bulwark.control.engine.Engine;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The running config: {@code GET /api/v1/config} (JSON or YAML, with its revision's ETag), {@code PUT} (replace) and
 * {@code PATCH} (JSON Merge Patch) through the engine's commit, and the dry runs {@code POST /api/v1/config/validate}
 * ({@link Engine#check}) and {@code POST /api/v1/config/plan} ({@link Engine#preview}). Config bodies are parsed on a
 * worker; an invalid one is a 422 listing every error with its pointer.
 */
final class ConfigRoutes {
    private final EngineHandle engine;
    private final Workers workers;
    private final AuditedChange audited;

    /** The running revision's config as canonical JSON, written once per revision (revisions never change). */
    private record CachedJson(long revision, String json) {
    }

    private volatile CachedJson configJson;

    ConfigRoutes(EngineHandle engine, Workers workers, AuditedChange audited) {
        this.engine = engine;
        this.workers = workers;
        this.audited = audited;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/config", Access.READ, false, this::getConfig);
        routes.add(HttpMethod.PUT, "/api/v1/config", Access.WRITE, true, this::putConfig);
        routes.add(HttpMethod.PATCH, "/api/v1/config", Access.WRITE, true, this::patchConfig);
        routes.add(HttpMethod.POST, "/api/v1/config/validate", Access.READ, true, this::validate);
        routes.add(HttpMethod.POST, "/api/v1/config/plan", Access.READ, true, this::plan);
    }

    private void getConfig(RoutingContext ctx) {
        Engine.Running r = engine.get().running().orElseThrow(() -> new ApiException(404, "not-found", "Not found",
                "nothing is committed yet: PUT /api/v1/config"));
        String tag = ETags.of(r.revision().id());
        ctx.response().putHeader("ETag", tag).putHeader("X-Bulwark-Revision", Long.toString(r.revision().id()));
        if (tag.equals(ctx.request().getHeader("If-None-Match"))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        if (ContentTypes.wantsYaml(ctx)) {
            Responses.sendText(ctx, 200, ContentTypes.YAML, r.revision().configText());
            return;
        }
        CachedJson c = configJson;
        if (c != null && c.revision() == r.revision().id()) {
            Responses.sendText(ctx, 200, ContentTypes.JSON, c.json());
            return;
        }
        workers.then(ctx, workers.blocking(() -> {
            String json = ConfigWriter.toJson(r.config());
            CachedJson fresh = new CachedJson(r.revision().id(), json.endsWith("\n") ? json : json + "\n");
            configJson = fresh;
            return fresh.json();
        }), json -> Responses.sendText(ctx, 200, ContentTypes.JSON, json));
    }

    private void putConfig(RoutingContext ctx) {
        Engine e = engine.get();
        Long expected = ETags.ifMatch(ctx, engine);
        Duration confirm = RequestInput.confirm(ctx);
        String message = RequestInput.message(ctx);
        Long before = engine.currentRevision();
        CompletableFuture<LoadResult> parsed = parseConfig(ctx);
        List<Problem> warnings = new ArrayList<>();
        CompletableFuture<CommitResult> done = parsed.thenCompose(r -> {
            warnings.addAll(r.warnings());
            return e.commit(r.config(), RequestInput.commitMeta(ctx, message), confirm, expected);
        });
        audited.commit(ctx, "config-replace", before, rec -> AuditedChange.parameters(rec, expected, confirm, message), done, warnings);
    }

    private void patchConfig(RoutingContext ctx) {
        Engine e = engine.get();
        String type = ContentTypes.type(ctx.request().getHeader("Content-Type"));
        if (!ContentTypes.MERGE_PATCH.equals(type)) {
            throw ContentTypes.unsupported(type, ContentTypes.MERGE_PATCH + " (JSON Merge Patch, RFC 7396)").header("Accept-Patch", ContentTypes.MERGE_PATCH);
        }
        Long expected = ETags.ifMatch(ctx, engine);
        Duration confirm = RequestInput.confirm(ctx);
        String message = RequestInput.message(ctx);
        Long before = engine.currentRevision();
        byte[] bytes = RequestInput.body(ctx);
        CompletableFuture<JsonNode> patch = workers.blocking(() -> {
            try {
                JsonNode n = ApiJson.JSON.readTree(bytes);
                if (n == null) throw ApiException.badRequest("the merge patch is empty");
                return n;
            } catch (JsonProcessingException x) {
                var loc = x.getLocation();
                throw new ApiException(400, "malformed-patch", "The merge patch is not JSON", x.getOriginalMessage(), o -> {
                    if (loc != null) {
                        o.put("line", loc.getLineNr());
                        o.put("column", loc.getColumnNr());
                    }
                });
            }
        });
        List<Problem> warnings = new ArrayList<>();
        CompletableFuture<CommitResult> done = patch.thenCompose(p -> e.patch(expected, p, RequestInput.commitMeta(ctx, message), confirm))
                .thenApply(p -> {
                    warnings.addAll(p.configWarnings());
                    return p.commit();
                });
        audited.commit(ctx, "config-patch", before, rec -> AuditedChange.parameters(rec, expected, confirm, message), done, warnings);
    }

    private void validate(RoutingContext ctx) {
        Engine e = engine.get();
        workers.then(ctx, parseConfig(ctx).thenCompose(r -> workers.blocking(() -> {
            e.check(r.config()); // CommitRefusedException: 422 anti-lockout or compile-error, with every problem
            return r;
        })), r -> {
            ObjectNode o = ApiJson.object();
            o.put("valid", true);
            o.set("errors", ApiJson.problems(List.of()));
            o.set("warnings", ApiJson.problems(r.warnings()));
            Responses.send(ctx, 200, o);
        });
    }

    private void plan(RoutingContext ctx) {
        Engine e = engine.get();
        record Planned(LoadResult load, Engine.Preview preview) {
        }
        // on a worker: the compile, and (planned from memory, the future is complete at once) the config diff and the
        // anti-lockout walk would otherwise run on the event loop that completed the parse
        CompletableFuture<Planned> f = parseConfig(ctx).thenCompose(r -> workers.blocking(() -> e.preview(r.config()))
                .thenCompose(p -> p).thenApply(p -> new Planned(r, p)));
        workers.then(ctx, f, p -> {
            ObjectNode o = ApiJson.object();
            Engine.Preview v = p.preview();
            if (v.base() == null) o.putNull("base");
            else o.put("base", v.base());
            o.set("plan", v.plan().json());
            o.put("text", v.plan().text());
            o.set("changes", ApiJson.changes(v.changes()));
            o.set("antiLockout", ApiJson.problems(v.lockout()));
            o.set("configWarnings", ApiJson.problems(p.load().warnings()));
            Responses.send(ctx, 200, o);
        });
    }

    /** Parses a config body (on a worker): the config, or a 422 problem listing every error with its pointer. */
    private CompletableFuture<LoadResult> parseConfig(RoutingContext ctx) {
        Format f = ContentTypes.configFormat(ctx);
        byte[] bytes = RequestInput.body(ctx);
        return workers.blocking(() -> {
            LoadResult r = ConfigLoader.parse(bytes, f);
            if (!r.valid()) throw Problems.invalid(r.errors(), r.warnings());
            return r;
        });
    }
}
