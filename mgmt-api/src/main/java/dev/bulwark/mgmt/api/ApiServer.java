package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.Format;
import dev.bulwark.config.InvalidConfigException;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import dev.bulwark.config.model.ApiToken;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.control.compile.CompileException;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.conntrack.ConntrackEntry;
import dev.bulwark.control.conntrack.ConntrackFilter;
import dev.bulwark.control.conntrack.ConntrackTable;
import dev.bulwark.control.engine.CommitResult;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.lockout.AntiLockout;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.revision.CommitMeta;
import dev.bulwark.control.revision.DamagedRevision;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.Source;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The REST API v1 on Vert.x: one {@link Router}, every route registered through {@link #route} (which tags it for
 * metrics, checks its access level, and adds the body handler where a body is taken), answers in JSON or YAML, errors
 * as RFC 9457 problems. No business logic: each handler parses the request, calls the {@link Engine} (whose futures
 * never block the event loop; parsing and kernel reads run on worker threads or the engine's writer) and renders the
 * result.
 *
 * <h2>Access</h2>
 * {@code /healthz}, {@code /readyz} and {@code /api/v1/openapi} are open. Every other route needs
 * {@code Authorization: Bearer TOKEN} matching one of {@code management.tokens} of the running config (401 without,
 * 403 for a read-only token on a change); {@code /metrics} takes any valid token. After
 * {@link Options#authFailures()} failed authentications within {@link Options#authWindow()}, a client address gets
 * 429 with Retry-After on every authenticated route until the window has passed.
 */
public final class ApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.mgmt.api");
    private static final String ROUTE = "bulwark.route";
    private static final String PRINCIPAL = "bulwark.principal";
    /** The config size limit: the loader refuses more anyway. */
    public static final long DEFAULT_BODY_LIMIT = 32L * 1024 * 1024;

    /**
     * How the API listens and what it allows.
     *
     * @param host           listen address
     * @param port           listen port (0: any free one; see {@link #port()})
     * @param tlsCertificate PEM certificate chain, or null for plain HTTP
     * @param tlsKey         PEM private key, or null
     * @param bodyLimit      largest request body, bytes (413 above)
     * @param requestTimeout longest wait for an answer (503 after; a change still in progress completes and is audited)
     * @param idleTimeout    an idle connection is closed after this long (at least the request timeout + 5 s, so that
     *                       a connection waiting for a slow answer is not taken for idle)
     * @param authFailures   failed authentications per client address within authWindow before 429
     * @param authWindow     the sliding window of authFailures
     */
    public record Options(String host, int port, Path tlsCertificate, Path tlsKey, long bodyLimit, Duration requestTimeout,
                          Duration idleTimeout, int authFailures, Duration authWindow) {
        public static Options of(String host, int port) {
            return new Options(host, port, null, null, DEFAULT_BODY_LIMIT, Duration.ofSeconds(120), Duration.ofSeconds(60), 10, Duration.ofMinutes(1));
        }

        public Options withTls(Path certificate, Path key) {
            return new Options(host, port, certificate, key, bodyLimit, requestTimeout, idleTimeout, authFailures, authWindow);
        }

        public Options withAuthLimit(int failures, Duration window) {
            return new Options(host, port, tlsCertificate, tlsKey, bodyLimit, requestTimeout, idleTimeout, failures, window);
        }

        public Options withTimeouts(Duration request, Duration idle) {
            return new Options(host, port, tlsCertificate, tlsKey, bodyLimit, request, idle, authFailures, authWindow);
        }

        public Options withBodyLimit(long bytes) {
            return new Options(host, port, tlsCertificate, tlsKey, bytes, requestTimeout, idleTimeout, authFailures, authWindow);
        }

        public boolean tls() {
            return tlsCertificate != null && tlsKey != null;
        }
    }

    private enum Access { OPEN, READ, WRITE }

    private record Template(HttpMethod method, String path, Pattern pattern) {
    }

    private final Vertx vertx;
    private final Options options;
    private final Router router;
    private final ApiMetrics metrics = new ApiMetrics();
    private final AuthLimiter limiter;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();
    private final JsonNode openapi;
    private final List<Template> templates = new ArrayList<>();
    private volatile Engine engine;
    private HttpServer server;

    private ApiServer(Vertx vertx, Options options, Path stateDir) throws IOException {
        this.vertx = vertx;
        this.options = options;
        this.limiter = new AuthLimiter(options.authFailures(), options.authWindow(), System::nanoTime);
        this.audit = new AuditLog(stateDir);
        this.openapi = loadOpenApi();
        this.router = Router.router(vertx);
        build();
    }

    /**
     * Starts listening; returns once the socket is bound. Until {@link #ready} hands it the engine, the API routes
     * answer 503 and {@code /readyz} says "starting".
     *
     * @param stateDir where the audit log {@value AuditLog#FILE} goes (the engine's state directory)
     */
    public static ApiServer start(Vertx vertx, Options options, Path stateDir) throws IOException {
        ApiServer api = new ApiServer(vertx, options, stateDir);
        HttpServerOptions so = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                // a connection waiting for its answer sends and receives nothing, so an idle timeout shorter than the
                // request timeout would cut off the answer of a slow commit (a million-element config, a cold JVM)
                .setIdleTimeout((int) Math.max(1, Math.max(options.idleTimeout().toSeconds(), options.requestTimeout().toSeconds() + 5)))
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxHeaderSize(16 * 1024)
                .setMaxFormAttributeSize(1024);
        if (options.tls()) {
            so.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(options.tlsCertificate().toString())
                    .setKeyPath(options.tlsKey().toString()));
        }
        try {
            api.server = vertx.createHttpServer(so).requestHandler(api.router).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            api.audit.close();
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + (options.tls() ? " (TLS)" : "") + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            api.audit.close();
            throw new IOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e, e);
        }
        return api;
    }

    /** The engine is up (its startup reconcile done): the API serves from now on. */
    public void ready(Engine e) {
        metrics.bind(e);
        engine = e;
    }

    /** The port listened on. */
    public int port() {
        return server.actualPort();
    }

    public boolean tls() {
        return options.tls();
    }

    /** The router, for the OpenAPI completeness test. */
    public Router router() {
        return router;
    }

    /** The OpenAPI 3.1 document served at {@code /api/v1/openapi}. */
    public JsonNode openapi() {
        return openapi;
    }

    /** The audit log file. */
    public Path auditFile() {
        return audit.file();
    }

    /** Stops listening (requests in progress are cut) and closes the audit log. */
    @Override
    public void close() {
        try {
            if (server != null) server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "event=http-close-failed error=\"" + e + "\"");
        } finally {
            audit.close();
        }
    }

    private static JsonNode loadOpenApi() {
        try (InputStream in = ApiServer.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) throw new IllegalStateException("openapi.yaml is missing from the jar");
            return Responses.YAML_MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ the routes

    private void build() {
        router.route().handler(this::everyRequest);

        route(HttpMethod.GET, "/healthz", Access.OPEN, false, this::healthz);
        route(HttpMethod.GET, "/readyz", Access.OPEN, false, this::readyz);
        route(HttpMethod.GET, "/metrics", Access.READ, false, this::metrics);
        route(HttpMethod.GET, "/api/v1/openapi", Access.OPEN, false, ctx -> Responses.send(ctx, 200, openapi));
        route(HttpMethod.GET, "/api/v1/status", Access.READ, false, ctx -> Responses.send(ctx, 200, ApiJson.status(engine, clock.instant())));

        route(HttpMethod.GET, "/api/v1/config", Access.READ, false, this::getConfig);
        route(HttpMethod.PUT, "/api/v1/config", Access.WRITE, true, this::putConfig);
        route(HttpMethod.PATCH, "/api/v1/config", Access.WRITE, true, this::patchConfig);
        route(HttpMethod.POST, "/api/v1/config/validate", Access.READ, true, this::validate);
        route(HttpMethod.POST, "/api/v1/config/plan", Access.READ, true, this::plan);

        route(HttpMethod.GET, "/api/v1/commit", Access.READ, false, this::getCommit);
        route(HttpMethod.POST, "/api/v1/commit/confirm", Access.WRITE, true, this::confirm);

        route(HttpMethod.GET, "/api/v1/revisions", Access.READ, false, this::revisions);
        route(HttpMethod.GET, "/api/v1/revisions/:id", Access.READ, false, this::revision);
        route(HttpMethod.GET, "/api/v1/revisions/:a/diff/:b", Access.READ, false, this::diff);
        route(HttpMethod.POST, "/api/v1/revisions/:id/rollback", Access.WRITE, true, this::rollback);

        route(HttpMethod.GET, "/api/v1/state", Access.READ, false, this::state);
        route(HttpMethod.GET, "/api/v1/state/conntrack", Access.READ, false, this::listConntrack);
        route(HttpMethod.DELETE, "/api/v1/state/conntrack", Access.WRITE, true, this::flushConntrack);
        route(HttpMethod.GET, "/api/v1/drift", Access.READ, false, this::drift);

        router.errorHandler(400, ctx -> Responses.problem(ctx, failure(ctx, ApiException.badRequest("the request could not be read"))));
        router.errorHandler(404, ctx -> Responses.problem(ctx, new ApiException(404, "not-found", "Not found",
                "no route " + ctx.request().method() + " " + ctx.request().path() + "; GET /api/v1/openapi lists them")));
        router.errorHandler(405, ctx -> Responses.problem(ctx, new ApiException(405, "method-not-allowed", "Method not allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()).header("Allow", String.join(", ", allowed(ctx.request().path())))));
        router.errorHandler(413, ctx -> Responses.problem(ctx, new ApiException(413, "body-too-large", "Request body too large",
                "the body exceeds " + options.bodyLimit() + " bytes")));
        router.errorHandler(415, ctx -> Responses.problem(ctx, ContentTypes.unsupported(ContentTypes.type(ctx.request().getHeader("Content-Type")), ContentTypes.JSON + " or " + ContentTypes.YAML)));
        router.errorHandler(500, ctx -> Responses.problem(ctx, Problems.from(ctx.failure() == null ? new IllegalStateException("internal error") : ctx.failure())));
    }

    private static ApiException failure(RoutingContext ctx, ApiException fallback) {
        return ctx.failure() == null ? fallback : Problems.from(ctx.failure());
    }

    /** Registers one route: tags it for metrics, checks access, reads the body where it takes one, then the handler. */
    private void route(HttpMethod method, String path, Access access, boolean takesBody, java.util.function.Consumer<RoutingContext> handler) {
        Route r = router.route(method, path).putMetadata("access", access.name().toLowerCase(java.util.Locale.ROOT));
        templates.add(new Template(method, path, Pattern.compile(path.replaceAll(":[a-z]+", "[^/]+"))));
        // A platform handler, like the body handler: it runs (synchronously) before the body is read, so a client
        // without a valid token cannot make the server buffer a body.
        r.handler((io.vertx.ext.web.handler.PlatformHandler) ctx -> {
            ctx.put(ROUTE, path);
            if (access == Access.OPEN || authorize(ctx, access)) ctx.next();
        });
        if (takesBody) r.handler(BodyHandler.create(false).setBodyLimit(options.bodyLimit()).setHandleFileUploads(false));
        r.handler(ctx -> {
            try {
                handler.accept(ctx);
            } catch (RuntimeException e) {
                Responses.problem(ctx, Problems.from(e));
            }
        });
    }

    private List<String> allowed(String path) {
        Set<String> m = new LinkedHashSet<>();
        for (Template t : templates) if (t.pattern().matcher(path).matches()) m.add(t.method().name());
        return new ArrayList<>(m);
    }

    /** First for every request: the request timeout, and metrics and a log line when it ends. */
    private void everyRequest(RoutingContext ctx) {
        long t0 = System.nanoTime();
        long timer = vertx.setTimer(options.requestTimeout().toMillis(), id -> {
            HttpServerResponse r = ctx.response();
            if (!r.headWritten() && !r.ended() && !r.closed()) {
                Responses.problem(ctx, Problems.unavailable("no answer within " + options.requestTimeout().toSeconds()
                        + " s; a change still in progress completes and is written to the audit log (see GET /api/v1/revisions)"));
            }
        });
        ctx.addEndHandler(ar -> {
            vertx.cancelTimer(timer);
            long nanos = System.nanoTime() - t0;
            String route = ctx.get(ROUTE) == null ? "unmatched" : ctx.get(ROUTE);
            int status = ctx.response().getStatusCode();
            metrics.request(ctx.request().method().name(), route, status, nanos);
            Auth.Principal p = ctx.get(PRINCIPAL);
            // Successful reads (GET/HEAD: config, status, metrics scrapes, health probes) only at DEBUG: at INFO a busy
            // API would write a log line per read on the event loop; changes, refusals and failures stay at INFO and
            // up (changes are also in the audit log).
            boolean read = ctx.request().method() == HttpMethod.GET || ctx.request().method() == HttpMethod.HEAD;
            System.Logger.Level level = status >= 500 ? System.Logger.Level.WARNING
                    : read && status < 400 ? System.Logger.Level.DEBUG : System.Logger.Level.INFO;
            if (!LOG.isLoggable(level)) return;
            LOG.log(level,
                    "event=http method=" + ctx.request().method() + " path=" + quoteIfNeeded(ctx.request().path()) + " route=" + route
                            + " status=" + status + " ms=" + TimeUnit.NANOSECONDS.toMillis(nanos) + " from=" + client(ctx)
                            + " who=" + (p == null ? "-" : p.name()));
        });
        ctx.next();
    }

    private static String quoteIfNeeded(String s) {
        return s.matches("[\\x21-\\x7e&&[^\"]]*") ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String client(RoutingContext ctx) {
        var a = ctx.request().remoteAddress();
        return a == null ? "unknown" : a.hostAddress();
    }

    /** Checks the bearer token (synchronously, from the running config in memory); answers and returns false on refusal. */
    private boolean authorize(RoutingContext ctx, Access access) {
        Engine e = engine;
        if (e == null) {
            Responses.problem(ctx, Problems.unavailable("starting: the startup reconcile is running"));
            return false;
        }
        String client = client(ctx);
        long wait = limiter.retryAfter(client);
        if (wait > 0) {
            Responses.problem(ctx, new ApiException(429, "too-many-auth-failures", "Too many failed authentications",
                    "too many failed authentications from " + client + "; try again in " + wait + " s").header("Retry-After", Long.toString(wait)));
            return false;
        }
        List<ApiToken> tokens = e.running().map(r -> r.config().management().tokens()).orElse(List.of());
        Auth.Outcome o = Auth.check(ctx.request().getHeader("Authorization"), tokens);
        switch (o) {
            case Auth.Missing m -> {
                Responses.problem(ctx, new ApiException(401, "unauthorized", "Authentication required",
                        "send Authorization: Bearer <token>; tokens are configured in management.tokens (make one with: bulwark token new)")
                        .header("WWW-Authenticate", "Bearer realm=\"bulwark\""));
                return false;
            }
            case Auth.Invalid i -> {
                limiter.failed(client);
                LOG.log(System.Logger.Level.WARNING, "event=auth-failed from=" + client + " path=" + quoteIfNeeded(ctx.request().path()));
                Responses.problem(ctx, new ApiException(401, "unauthorized", "Invalid token", i.why())
                        .header("WWW-Authenticate", "Bearer realm=\"bulwark\", error=\"invalid_token\""));
                return false;
            }
            case Auth.Valid v -> {
                ctx.put(PRINCIPAL, v.principal());
                if (access == Access.WRITE && !v.principal().mayWrite()) {
                    Responses.problem(ctx, new ApiException(403, "forbidden", "Read-only token",
                            "token '" + v.principal().name() + "' is read-only; changes need an admin token"));
                    return false;
                }
                return true;
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs blocking or CPU-heavy work (parsing, rendering, kernel reads through ConntrackTable) on a worker thread. */
    private <T> CompletableFuture<T> blocking(Callable<T> c) {
        return vertx.executeBlocking(c, false).toCompletionStage().toCompletableFuture();
    }

    /** Continues on the request's event loop when {@code stage} completes: {@code ok} with its value, or a problem. */
    private <T> void then(RoutingContext ctx, CompletionStage<T> stage, Consumer<T> ok) {
        Context loop = vertx.getOrCreateContext();
        stage.whenComplete((v, err) -> loop.runOnContext(x -> {
            if (err != null) {
                Responses.problem(ctx, Problems.from(err));
                return;
            }
            try {
                ok.accept(v);
            } catch (RuntimeException e) {
                Responses.problem(ctx, Problems.from(e));
            }
        }));
    }

    private Engine engine() {
        Engine e = engine;
        if (e == null) throw Problems.unavailable("starting");
        return e;
    }

    private static String etag(long id) {
        return "\"" + id + "\"";
    }

    /**
     * The revision an If-Match header names, which the engine's writer compares with the newest revision: null without
     * the header, or for {@code *} when something is committed ({@code *} with nothing committed is 412).
     */
    private Long ifMatch(RoutingContext ctx) {
        String h = ctx.request().getHeader("If-Match");
        if (h == null) return null;
        h = h.strip();
        if (h.equals("*")) {
            if (engine().running().isPresent()) return null; // any current config
            throw new ApiException(412, "precondition-failed", "Nothing is committed yet", "If-Match: * needs a current config; nothing is committed yet");
        }
        if (h.matches("\"[0-9]{1,18}\"")) return Long.parseLong(h.substring(1, h.length() - 1));
        // anything else (a weak tag, a list, garbage) cannot match a strong revision tag
        throw new ApiException(412, "precondition-failed", "The config changed since it was read",
                "If-Match must be one strong ETag as GET /api/v1/config sends it (\"42\") or *; got " + h);
    }

    private static Duration confirmParam(RoutingContext ctx) {
        String s = ctx.request().getParam("confirm");
        if (s == null || s.isEmpty()) return null;
        long secs;
        try {
            secs = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("confirm must be a number of seconds, got '" + s + "'");
        }
        if (secs < 1 || secs > 86_400) throw ApiException.badRequest("confirm must be 1 to 86400 seconds, got " + secs);
        return Duration.ofSeconds(secs);
    }

    private static String messageParam(RoutingContext ctx) {
        String m = ctx.request().getParam("message");
        if (m == null) return "";
        if (m.length() > 1000) throw ApiException.badRequest("message is limited to 1000 characters");
        return m.replaceAll("[\\p{Cntrl}&&[^\\t]]", " ");
    }

    private static long idParam(RoutingContext ctx, String name) {
        String s = ctx.pathParam(name);
        try {
            long id = Long.parseLong(s);
            if (id < 1) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw new ApiException(404, "not-found", "Not found", "'" + s + "' is not a revision id (a positive number)");
        }
    }

    private CommitMeta meta(RoutingContext ctx, String message) {
        Auth.Principal p = ctx.get(PRINCIPAL);
        return CommitMeta.of(p.name(), message, Source.API);
    }

    private static byte[] bodyBytes(RoutingContext ctx) {
        Buffer b = ctx.body() == null ? null : ctx.body().buffer();
        if (b == null || b.length() == 0) throw ApiException.badRequest("the request has no body");
        return b.getBytes();
    }

    /** Parses a config body (on a worker): the config, or a 422 problem listing every error with its pointer. */
    private CompletableFuture<LoadResult> parseConfig(RoutingContext ctx) {
        Format f = ContentTypes.configFormat(ctx);
        byte[] bytes = bodyBytes(ctx);
        return blocking(() -> {
            LoadResult r = ConfigLoader.parse(bytes, f);
            if (!r.valid()) throw Problems.invalid(r.errors(), r.warnings());
            return r;
        });
    }

    private Long currentRevision() {
        Engine e = engine;
        return e == null ? null : e.running().map(r -> r.revision().id()).orElse(null);
    }

    /**
     * Finishes a change: writes the audit record (durable before the answer), then answers with {@code render} of the
     * result, or the problem.
     */
    private <T> void change(RoutingContext ctx, String action, Long before, Consumer<ObjectNode> what, CompletionStage<T> stage,
                            java.util.function.Function<T, JsonNode> render, java.util.function.Function<T, Long> after,
                            java.util.function.BiConsumer<RoutingContext, T> headers) {
        Context loop = vertx.getOrCreateContext();
        Auth.Principal p = ctx.get(PRINCIPAL);
        String from = client(ctx);
        String uri = ctx.request().uri();
        String method = ctx.request().method().name();
        stage.whenComplete((v, err) -> {
            ApiException problem = err == null ? null : Problems.from(err);
            ObjectNode rec = AuditLog.entry();
            rec.put("time", clock.instant().toString());
            rec.put("who", p.name());
            rec.put("role", p.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
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

    private void commitDone(RoutingContext ctx, String action, Long before, Consumer<ObjectNode> what, CompletionStage<CommitResult> stage,
                            List<Problem> configWarnings) {
        change(ctx, action, before, what, stage, r -> {
            ObjectNode o = ApiJson.commit(r, clock.instant());
            o.set("configWarnings", ApiJson.problems(configWarnings));
            return o;
        }, r -> r.revision().id(), (c, r) -> c.response().putHeader("ETag", etag(r.revision().id())));
    }

    // ------------------------------------------------------------------ handlers

    private void healthz(RoutingContext ctx) {
        ObjectNode o = ApiJson.object();
        o.put("status", "ok");
        Responses.send(ctx, 200, o);
    }

    private void readyz(RoutingContext ctx) {
        Engine e = engine;
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

    private void metrics(RoutingContext ctx) {
        then(ctx, engine().counters().handle((c, err) -> {
            if (err != null) LOG.log(System.Logger.Level.WARNING, "event=metrics-kernel-read-failed error=\"" + Problems.from(err).getMessage() + "\"");
            else metrics.update(c);
            return null;
        }).thenCompose(x -> blocking(metrics::scrape)), text -> Responses.sendText(ctx, 200, ContentTypes.PROMETHEUS, text));
    }

    private void getConfig(RoutingContext ctx) {
        Engine.Running r = engine().running().orElseThrow(() -> new ApiException(404, "not-found", "Not found",
                "nothing is committed yet: PUT /api/v1/config"));
        String tag = etag(r.revision().id());
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
        then(ctx, blocking(() -> {
            String json = ConfigWriter.toJson(r.config());
            CachedJson fresh = new CachedJson(r.revision().id(), json.endsWith("\n") ? json : json + "\n");
            configJson = fresh;
            return fresh.json();
        }), json -> Responses.sendText(ctx, 200, ContentTypes.JSON, json));
    }

    /** The running revision's config as canonical JSON, written once per revision (revisions never change). */
    private record CachedJson(long revision, String json) {
    }

    private volatile CachedJson configJson;

    private void putConfig(RoutingContext ctx) {
        Engine e = engine();
        Long expected = ifMatch(ctx);
        Duration confirm = confirmParam(ctx);
        String message = messageParam(ctx);
        Long before = currentRevision();
        CompletableFuture<LoadResult> parsed = parseConfig(ctx);
        List<Problem> warnings = new ArrayList<>();
        CompletableFuture<CommitResult> done = parsed.thenCompose(r -> {
            warnings.addAll(r.warnings());
            return e.commit(r.config(), meta(ctx, message), confirm, expected);
        });
        commitDone(ctx, "config-replace", before, rec -> details(rec, expected, confirm, message), done, warnings);
    }

    private static void details(ObjectNode rec, Long expected, Duration confirm, String message) {
        if (expected == null) rec.putNull("ifMatch");
        else rec.put("ifMatch", expected);
        if (confirm == null) rec.putNull("confirmSeconds");
        else rec.put("confirmSeconds", confirm.toSeconds());
        rec.put("message", message);
    }

    private void patchConfig(RoutingContext ctx) {
        Engine e = engine();
        String type = ContentTypes.type(ctx.request().getHeader("Content-Type"));
        if (!ContentTypes.MERGE_PATCH.equals(type)) {
            throw ContentTypes.unsupported(type, ContentTypes.MERGE_PATCH + " (JSON Merge Patch, RFC 7396)").header("Accept-Patch", ContentTypes.MERGE_PATCH);
        }
        Long expected = ifMatch(ctx);
        Duration confirm = confirmParam(ctx);
        String message = messageParam(ctx);
        Long before = currentRevision();
        byte[] bytes = bodyBytes(ctx);
        CompletableFuture<JsonNode> patch = blocking(() -> {
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
        CompletableFuture<CommitResult> done = patch.thenCompose(p -> e.patch(expected, p, meta(ctx, message), confirm))
                .thenApply(p -> {
                    warnings.addAll(p.configWarnings());
                    return p.commit();
                });
        commitDone(ctx, "config-patch", before, rec -> details(rec, expected, confirm, message), done, warnings);
    }

    private void validate(RoutingContext ctx) {
        Engine e = engine();
        then(ctx, parseConfig(ctx).thenCompose(r -> blocking(() -> {
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
        Engine e = engine();
        record Planned(LoadResult load, Engine.Preview preview) {
        }
        CompletableFuture<Planned> f = parseConfig(ctx).thenCompose(r -> e.preview(r.config()).thenApply(p -> new Planned(r, p)));
        then(ctx, f, p -> {
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

    private void getCommit(RoutingContext ctx) {
        ObjectNode o = ApiJson.object();
        var p = engine().pending();
        if (p.isEmpty()) o.putNull("pending");
        else o.set("pending", ApiJson.pending(p.get(), clock.instant()));
        Responses.send(ctx, 200, o);
    }

    private void confirm(RoutingContext ctx) {
        Long before = currentRevision();
        change(ctx, "commit-confirm", before, null, engine().confirm(), p -> {
            ObjectNode o = ApiJson.object();
            o.put("confirmed", p.revision());
            o.set("window", ApiJson.pending(p, clock.instant()));
            return o;
        }, p -> p.revision(), null);
    }

    private void revisions(RoutingContext ctx) {
        Engine e = engine();
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
        Long cur = currentRevision();
        if (cur == null) o.putNull("current");
        else o.put("current", cur);
        Responses.send(ctx, 200, o);
    }

    private void revision(RoutingContext ctx) {
        long id = idParam(ctx, "id");
        Revision r = engine().store().get(id);
        then(ctx, blocking(() -> ConfigWriter.toTree(r.config())), tree -> {
            ObjectNode o = ApiJson.revision(r);
            o.set("config", tree);
            ctx.response().putHeader("ETag", etag(r.id()));
            Responses.send(ctx, 200, o);
        });
    }

    private void diff(RoutingContext ctx) {
        long a = idParam(ctx, "a");
        long b = idParam(ctx, "b");
        Engine e = engine();
        then(ctx, blocking(() -> e.store().diff(a, b)), changes -> Responses.send(ctx, 200, ApiJson.diff(a, b, changes)));
    }

    private void rollback(RoutingContext ctx) {
        long id = idParam(ctx, "id");
        Long expected = ifMatch(ctx);
        String message = messageParam(ctx);
        Long before = currentRevision();
        commitDone(ctx, "rollback", before, rec -> {
            rec.put("target", id);
            details(rec, expected, null, message);
        }, engine().rollback(id, meta(ctx, message.isEmpty() ? "rollback to revision " + id : message), expected), List.of());
    }

    private void state(RoutingContext ctx) {
        then(ctx, engine().live(), s -> Responses.send(ctx, 200, ApiJson.live(s)));
    }

    private void drift(RoutingContext ctx) {
        Engine e = engine();
        then(ctx, e.differences(), diff -> {
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

    // ------------------------------------------------------------------ conntrack

    private ConntrackTable conntrack() {
        ConntrackTable conntrack = engine().conntrack().orElse(null);
        if (conntrack == null) {
            throw new ApiException(501, "not-implemented", "Conntrack access is not available",
                    "this build has no ctnetlink access wired to the daemon; the conntrack entry count is in GET /api/v1/state and /metrics");
        }
        return conntrack;
    }

    private static ConntrackFilter filter(RoutingContext ctx) {
        String address = ctx.request().getParam("address");
        String port = ctx.request().getParam("port");
        String protocol = ctx.request().getParam("protocol");
        InetAddress a = null;
        if (address != null && !address.isEmpty()) {
            try {
                IpAddress.parse(address); // a literal: no name lookup below
                a = InetAddress.getByName(address);
            } catch (IllegalArgumentException | UnknownHostException e) {
                throw ApiException.badRequest("address must be an IPv4 or IPv6 address, got '" + address + "'");
            }
        }
        Integer p = null;
        if (port != null && !port.isEmpty()) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("port must be a number 0-65535, got '" + port + "'");
            }
        }
        return new ConntrackFilter(a, p, protocol == null || protocol.isEmpty() ? null : protocol);
    }

    /**
     * Streams the entries as they are read: a JSON array (or NDJSON for {@code Accept: application/x-ndjson}) sent
     * in chunks of about 64 KiB, at most four chunks in flight, so memory stays bounded whatever the table size. The
     * listing runs on a worker; it stops when the client goes away.
     */
    private void listConntrack(RoutingContext ctx) {
        ConntrackTable table = conntrack();
        ConntrackFilter filter = filter(ctx);
        boolean nd = ContentTypes.wantsNdjson(ctx);
        HttpServerResponse resp = ctx.response();
        resp.setChunked(true).setStatusCode(200)
                .putHeader("Content-Type", nd ? ContentTypes.NDJSON : ContentTypes.JSON)
                .putHeader("Cache-Control", "no-store");
        Streamer s = new Streamer(vertx.getOrCreateContext(), resp, nd);
        resp.closeHandler(v -> s.cancelled = true);
        Context loop = vertx.getOrCreateContext();
        blocking(() -> {
            s.begin();
            long n = table.list(filter, s::entry);
            s.end();
            return n;
        }).whenComplete((n, err) -> loop.runOnContext(x -> {
            if (err == null) return;
            if (s.cancelled) {
                LOG.log(System.Logger.Level.INFO, "event=conntrack-list-stopped reason=\"client went away\"");
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "event=conntrack-list-failed error=\"" + Problems.from(err).getMessage() + "\"");
            Responses.problem(ctx, Problems.from(err)); // before the first chunk: a problem; after: the connection is reset
        }));
    }

    /** Writes entries from the worker thread to the response on its event loop, with bounded chunks in flight. */
    private static final class Streamer {
        private static final int CHUNK = 64 * 1024;
        private final Context loop;
        private final HttpServerResponse resp;
        private final boolean nd;
        private final Semaphore inFlight = new Semaphore(4);
        private final StringBuilder buf = new StringBuilder(CHUNK + 1024);
        private boolean first = true;
        volatile boolean cancelled;

        Streamer(Context loop, HttpServerResponse resp, boolean nd) {
            this.loop = loop;
            this.resp = resp;
            this.nd = nd;
        }

        void begin() {
            if (!nd) buf.append("[\n");
        }

        void entry(ConntrackEntry e) {
            if (cancelled) throw new CancellationException("the client went away");
            if (!nd && !first) buf.append(",\n");
            first = false;
            try {
                buf.append(ApiJson.JSON.writeValueAsString(ApiJson.conntrack(e)));
            } catch (JsonProcessingException x) {
                throw new IllegalStateException(x);
            }
            if (nd) buf.append('\n');
            if (buf.length() >= CHUNK) flush(false);
        }

        void end() {
            if (!nd) buf.append(first ? "]\n" : "\n]\n");
            flush(true);
        }

        private void flush(boolean last) {
            try {
                if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) throw new CancellationException("the client reads too slowly");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
            if (cancelled) throw new CancellationException("the client went away");
            String chunk = buf.toString();
            buf.setLength(0);
            loop.runOnContext(v -> {
                if (resp.closed() || resp.ended()) {
                    inFlight.release();
                    return;
                }
                (last ? resp.end(chunk) : resp.write(chunk)).onComplete(ar -> inFlight.release());
            });
        }
    }

    private void flushConntrack(RoutingContext ctx) {
        conntrack(); // 501 when none is wired
        ConntrackFilter filter = filter(ctx);
        change(ctx, "conntrack-flush", currentRevision(), rec -> rec.put("filter", filter.toString()), engine().flushConntrack(filter), n -> {
            ObjectNode o = ApiJson.object();
            o.put("deleted", n);
            o.put("filter", filter.toString());
            return o;
        }, null, null);
    }

    /** Route templates and their methods, as registered (for tests). */
    public Map<String, Set<String>> routeTable() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Template t : templates) out.computeIfAbsent(t.path(), k -> new LinkedHashSet<>()).add(t.method().name());
        return out;
    }
}
