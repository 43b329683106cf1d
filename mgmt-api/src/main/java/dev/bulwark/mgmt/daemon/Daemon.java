package dev.bulwark.mgmt.daemon;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Management;
import dev.bulwark.config.types.Endpoint;
import dev.bulwark.control.conntrack.ConntrackTable;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.engine.EngineOptions;
import dev.bulwark.control.revision.Revision;
import dev.bulwark.control.revision.RevisionStore;
import dev.bulwark.mgmt.api.ApiServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The Bulwark daemon in-process: the HTTP API first (so {@code /healthz} answers and {@code /readyz} says
 * "starting"), then the {@link Engine} on a thread of its own (the startup reconcile: the latest revision, or the
 * config file on a first start); once it is up the API serves. {@link #close()} stops HTTP, then the engine (the
 * kernel keeps the committed state). The {@code bulwark daemon} command wraps this; tests and the demo start it
 * directly.
 *
 * <p>The listen address is {@link Options#listenHost()}:{@link Options#listenPort()} when given, else
 * {@code management.listen} of the newest committed revision, else of the config file. TLS is on when that config
 * has {@code management.tls}. Both are read at start: a commit that changes them takes effect at the next start.
 * With a network namespace the API still listens in the daemon's own namespace (give the address explicitly).
 */
public final class Daemon implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.bulwark.mgmt.daemon");

    /**
     * How to run.
     *
     * @param config     the config file committed on a first start (empty state directory); may be null after that
     * @param stateDir   revisions, the commit-confirm record, the audit log
     * @param netns      the network namespace to manage ({@code /run/netns/NAME}), or null for the daemon's own
     * @param listenHost the API's address, or null: from the config
     * @param listenPort the API's port (0: any free one), or null: from the config
     * @param engine     adjusts the engine's options (tests shorten timers), or null
     * @param api        adjusts the API's options (limits, timeouts), or null
     * @param conntrack  opens the conntrack table of a namespace (null: the current one) instead of the dataplane's
     *                   conntrack port (tests pass a fake); null for the kernel's
     */
    public record Options(Path config, Path stateDir, String netns, String listenHost, Integer listenPort,
                          UnaryOperator<EngineOptions> engine, UnaryOperator<ApiServer.Options> api,
                          Function<String, ConntrackTable> conntrack) {
        public Options {
            Objects.requireNonNull(stateDir, "stateDir");
        }

        public static Options of(Path config, Path stateDir) {
            return new Options(config, stateDir, null, null, null, null, null, null);
        }

        public Options netns(String name) {
            return new Options(config, stateDir, name, listenHost, listenPort, engine, api, conntrack);
        }

        public Options listen(String host, int port) {
            return new Options(config, stateDir, netns, host, port, engine, api, conntrack);
        }

        public Options engine(UnaryOperator<EngineOptions> f) {
            return new Options(config, stateDir, netns, listenHost, listenPort, f, api, conntrack);
        }

        public Options api(UnaryOperator<ApiServer.Options> f) {
            return new Options(config, stateDir, netns, listenHost, listenPort, engine, f, conntrack);
        }

        public Options conntrack(Function<String, ConntrackTable> f) {
            return new Options(config, stateDir, netns, listenHost, listenPort, engine, api, f);
        }
    }

    private final Options options;
    private final Vertx vertx;
    private final ApiServer api;
    private final CompletableFuture<Engine> ready = new CompletableFuture<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread starter;

    private Daemon(Options options, Vertx vertx, ApiServer api) {
        this.options = options;
        this.vertx = vertx;
        this.api = api;
        this.starter = Thread.ofPlatform().name("bulwark-start").unstarted(this::startEngine);
    }

    /**
     * Starts listening and begins the engine's startup; returns once the API socket is bound ({@link #ready()}
     * completes when the engine is up).
     *
     * @throws dev.bulwark.config.InvalidConfigException when nothing is committed and the config file is invalid
     * @throws IOException                               when the state directory is in use or the port cannot be bound
     */
    public static Daemon start(Options options) throws IOException {
        Config listenFrom = listenConfig(options);
        Management m = listenFrom == null ? null : listenFrom.management();
        Endpoint configured = m == null ? Endpoint.parse("127.0.0.1:8080") : m.listen();
        String host = options.listenHost() != null ? options.listenHost() : configured.address().toString();
        int port = options.listenPort() != null ? options.listenPort() : configured.port() == null ? 8080 : configured.port();
        ApiServer.Options ao = ApiServer.Options.of(host, port);
        if (m != null && m.tls() != null) ao = ao.withTls(Path.of(m.tls().certificate()), Path.of(m.tls().key()));
        if (options.api() != null) ao = options.api().apply(ao);
        if (m != null && m.tokens().isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "event=no-tokens msg=\"management.tokens is empty: every authenticated request is refused\"");
        }

        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(8).setBlockedThreadCheckInterval(2000));
        ApiServer api;
        try {
            api = ApiServer.start(vertx, ao, options.stateDir());
        } catch (IOException | RuntimeException e) {
            vertx.close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "event=listening address=" + host + " port=" + api.port() + " tls=" + api.tls()
                + " netns=" + (options.netns() == null ? "-" : options.netns()) + " state=" + options.stateDir());
        Daemon d = new Daemon(options, vertx, api);
        d.starter.start();
        return d;
    }

    /** The config whose management section says where to listen: the newest revision's, else the file's. */
    private static Config listenConfig(Options o) throws IOException {
        Optional<Revision> latest;
        try (RevisionStore s = RevisionStore.open(o.stateDir())) { // released again before the engine opens it
            latest = s.latest();
        } catch (dev.bulwark.control.revision.CorruptRevisionException e) {
            LOG.log(System.Logger.Level.WARNING, "event=corrupt-latest-revision msg=" + StructuredLog.quote(e.getMessage()));
            latest = Optional.empty();
        }
        if (latest.isPresent()) {
            if (o.config() != null) {
                LOG.log(System.Logger.Level.INFO, "event=start revision=" + latest.get().id() + " msg=\"the state directory holds revisions; "
                        + o.config() + " is not read (it is only committed on a first start)\"");
            }
            return latest.get().config();
        }
        if (o.config() == null) {
            if (o.listenPort() == null) throw new IllegalArgumentException("nothing is committed in " + o.stateDir() + ": give a config file");
            return null;
        }
        LoadResult r = ConfigLoader.load(o.config());
        return r.orThrow();
    }

    private void startEngine() {
        try {
            EngineOptions eo = EngineOptions.kernel(options.stateDir(), options.netns());
            if (options.config() != null) eo = eo.withInitialConfig(options.config());
            if (options.conntrack() != null) {
                ConntrackTable table = options.conntrack().apply(options.netns());
                eo = eo.withConntrack(dp -> table);
            }
            if (options.engine() != null) eo = options.engine().apply(eo);
            long t0 = System.nanoTime();
            Engine e = Engine.start(eo);
            if (closing.get()) {
                e.close();
                ready.completeExceptionally(new IllegalStateException("closed while starting"));
                return;
            }
            api.ready(e);
            Engine.Status s = e.status();
            LOG.log(s.lastError() == null ? System.Logger.Level.INFO : System.Logger.Level.ERROR,
                    "event=ready revision=" + (s.latest() == null ? "-" : s.latest().id()) + " converged=" + s.converged()
                            + " ms=" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
                            + (s.lastError() == null ? "" : " error=" + StructuredLog.quote(s.lastError())));
            ready.complete(e);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "event=start-failed error=" + StructuredLog.quote(String.valueOf(t.getMessage())), t);
            ready.completeExceptionally(t);
        }
    }

    /** Completes with the engine once its startup reconcile is done; fails when it could not start. */
    public CompletableFuture<Engine> ready() {
        return ready;
    }

    /** The engine, or null while it starts. */
    public Engine engine() {
        return ready.getNow(null);
    }

    public int port() {
        return api.port();
    }

    public ApiServer api() {
        return api;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Stops HTTP, then the engine (the kernel keeps the committed state), then Vert.x. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                closed.await(90, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        LOG.log(System.Logger.Level.INFO, "event=stopping");
        try {
            api.close();
            try {
                starter.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Engine e = ready.getNow(null);
            if (e != null) e.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "event=stop-incomplete error=" + StructuredLog.quote(String.valueOf(e)));
        } finally {
            LOG.log(System.Logger.Level.INFO, "event=stopped msg=\"the kernel keeps the committed state\"");
            closed.countDown();
        }
    }
}
