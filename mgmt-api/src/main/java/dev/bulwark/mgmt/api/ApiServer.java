package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.control.engine.Engine;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The REST API v1 on Vert.x: its options, the HTTP server's life (start, {@link #ready}, close), and the one
 * {@link Router} built from the route classes, one per resource ({@link OpsRoutes}, {@link ConfigRoutes},
 * {@link CommitRoutes}, {@link RevisionRoutes}, {@link StateRoutes}, {@link ConntrackRoutes}), each registering its
 * routes in the {@link RouteTable}, and the router's error handlers. Answers are JSON or YAML, errors RFC 9457 problems.
 * No business logic: each handler parses the request, calls the {@link Engine} (whose futures never block the event
 * loop; parsing and kernel reads run on worker threads or the engine's writer) and renders the result.
 *
 * <h2>Access</h2>
 * {@code /healthz}, {@code /readyz} and {@code /api/v1/openapi} are open. Every other route needs
 * {@code Authorization: Bearer TOKEN} matching one of {@code management.tokens} of the running config (401 without,
 * 403 for a read-only token on a change); {@code /metrics} takes any valid token. After
 * {@link Options#authFailures()} failed authentications within {@link Options#authWindow()}, a client address gets
 * 429 with Retry-After on every authenticated route until the window has passed, unless the request carries a valid
 * token ({@link AccessControl}).
 */
public final class ApiServer implements AutoCloseable {
    /** The API's log category (every class of this package logs under it). */
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getPackageName());
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

    private final Options options;
    private final Router router;
    private final ApiMetrics metrics = new ApiMetrics();
    private final AuditLog audit;
    private final JsonNode openapi;
    private final EngineHandle engine = new EngineHandle();
    private final RouteTable routes;
    private HttpServer server;

    private ApiServer(Vertx vertx, Options options, Path stateDir) throws IOException {
        this.options = options;
        AuthLimiter limiter = new AuthLimiter(options.authFailures(), options.authWindow(), System::nanoTime);
        this.audit = new AuditLog(stateDir);
        this.openapi = loadOpenApi();
        this.router = Router.router(vertx);
        this.routes = new RouteTable(router, new AccessControl(engine, limiter), options.bodyLimit());
        build(vertx);
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
        engine.set(e);
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

    private void build(Vertx vertx) {
        Clock clock = Clock.systemUTC();
        Workers workers = new Workers(vertx);
        AuditedChange audited = new AuditedChange(vertx, clock, audit);

        router.route().handler(new EveryRequest(vertx, options.requestTimeout(), metrics, audit, clock));
        new OpsRoutes(engine, metrics, openapi, clock, workers).register(routes);
        new ConfigRoutes(engine, workers, audited).register(routes);
        new CommitRoutes(engine, clock, audited).register(routes);
        new RevisionRoutes(engine, workers, audited).register(routes);
        new StateRoutes(engine, workers).register(routes);
        new ConntrackRoutes(vertx, engine, workers, audited).register(routes);

        router.errorHandler(400, ctx -> Responses.problem(ctx, failure(ctx, ApiException.badRequest("the request could not be read"))));
        router.errorHandler(404, ctx -> Responses.problem(ctx, new ApiException(404, "not-found", "Not found",
                "no route " + ctx.request().method() + " " + ctx.request().path() + "; GET /api/v1/openapi lists them")));
        router.errorHandler(405, ctx -> Responses.problem(ctx, new ApiException(405, "method-not-allowed", "Method not allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()).header("Allow", String.join(", ", routes.allowed(ctx.request().path())))));
        router.errorHandler(413, ctx -> Responses.problem(ctx, new ApiException(413, "body-too-large", "Request body too large",
                "the body exceeds " + options.bodyLimit() + " bytes")));
        router.errorHandler(415, ctx -> Responses.problem(ctx, ContentTypes.unsupported(ContentTypes.type(ctx.request().getHeader("Content-Type")), ContentTypes.JSON + " or " + ContentTypes.YAML)));
        router.errorHandler(500, ctx -> Responses.problem(ctx, Problems.from(ctx.failure() == null ? new IllegalStateException("internal error") : ctx.failure())));
    }

    private static ApiException failure(RoutingContext ctx, ApiException fallback) {
        return ctx.failure() == null ? fallback : Problems.from(ctx.failure());
    }

    /** Route templates and their methods, as registered (for tests). */
    public Map<String, Set<String>> routeTable() {
        return routes.table();
    }
}
