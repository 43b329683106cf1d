package dev.bulwark.mgmt.daemon;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.model.ApiToken;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Management;
import dev.bulwark.config.model.Role;
import dev.bulwark.config.types.TokenHash;
import dev.bulwark.control.demo.DemoSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo router as {@code bulwark demo} runs it, in-process: the sandbox namespaces (see {@link DemoSandbox}), the
 * LAN web server behind the example's port-forward, and the {@link Daemon} managing bw-router with a config whose
 * tokens are replaced by one admin token. {@link #close()} stops all of it and removes the namespaces. The
 * end-to-end tests start the demo through this class too.
 */
public final class DemoRouter implements AutoCloseable {

    /** The name of the demo's only token. */
    public static final String TOKEN_NAME = "demo";
    /** Where the config (with the demo token) is written in the state directory. */
    public static final String CONFIG_FILE = "demo-config.yaml";

    private final DemoSandbox sandbox;
    private final HttpServer web;
    private final Daemon daemon;
    private final String host;
    private boolean closed;

    private DemoRouter(DemoSandbox sandbox, HttpServer web, Daemon daemon, String host) {
        this.sandbox = sandbox;
        this.web = web;
        this.daemon = daemon;
        this.host = host;
    }

    /** A random API token, as {@code bulwark token new} makes them. */
    public static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "bwk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The config with its tokens replaced by one admin token named {@value #TOKEN_NAME}. */
    public static Config withToken(Config c, String token) {
        Management m = c.management();
        Management demo = new Management(m.listen(), m.zones(), List.of(new ApiToken(TOKEN_NAME, TokenHash.of(token), Role.ADMIN)),
                m.antiLockout(), m.tls());
        return new Config(c.version(), c.interfaces(), c.routes(), c.zones(), c.sets(), c.firewall(), c.nat(), c.conntrack(), demo);
    }

    /**
     * Starts the demo and returns once the daemon is ready: empties {@code stateDir} (the demo starts from revision 1
     * every time), writes the config with {@code token} as its only (admin) token there, rebuilds the sandbox (a
     * leftover from an earlier or crashed run is removed first), starts the LAN web server and the daemon on
     * bw-router listening on {@code host:port} (port 0: any free one, see {@link #port()}). Whatever was started is
     * stopped again when something fails.
     */
    public static DemoRouter start(Config config, String token, Path stateDir, String host, int port) throws Exception {
        emptyDirectory(stateDir);
        Path file = stateDir.resolve(CONFIG_FILE);
        Files.writeString(file, ConfigWriter.toYaml(withToken(config, token)));
        DemoSandbox sandbox = DemoSandbox.create();
        HttpServer web = null;
        Daemon daemon = null;
        try {
            web = sandbox.startLanWebServer();
            daemon = Daemon.start(Daemon.Options.of(file, stateDir).netns(DemoSandbox.ROUTER).listen(host, port));
            daemon.ready().get();
            return new DemoRouter(sandbox, web, daemon, host);
        } catch (Exception | Error e) {
            if (web != null) web.stop(0);
            if (daemon != null) daemon.close();
            sandbox.close();
            throw e;
        }
    }

    public Daemon daemon() {
        return daemon;
    }

    /** The API's port. */
    public int port() {
        return daemon.port();
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String api() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** Blocks until the daemon has stopped. */
    public void awaitClosed() throws InterruptedException {
        daemon.awaitClosed();
    }

    /** Stops the web server and the daemon, and removes the namespaces. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            web.stop(0);
            daemon.close();
        } finally {
            sandbox.close();
        }
    }

    private static void emptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(dir)) Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
    }
}
