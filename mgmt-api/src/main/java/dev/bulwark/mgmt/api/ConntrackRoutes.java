package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.control.conntrack.ConntrackFilter;
import dev.bulwark.control.conntrack.ConntrackTable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The kernel's connection tracking table: {@code GET /api/v1/state/conntrack} (the entries, streamed by
 * {@link ConntrackStreamer}) and {@code DELETE /api/v1/state/conntrack} (flush them, through the engine's writer), both
 * filtered by {@code address}, {@code port} and {@code protocol}. 501 when the daemon has no conntrack access.
 */
final class ConntrackRoutes {
    private static final System.Logger LOG = System.getLogger(ApiServer.class.getPackageName());

    private final Vertx vertx;
    private final EngineHandle engine;
    private final Workers workers;
    private final AuditedChange audited;

    ConntrackRoutes(Vertx vertx, EngineHandle engine, Workers workers, AuditedChange audited) {
        this.vertx = vertx;
        this.engine = engine;
        this.workers = workers;
        this.audited = audited;
    }

    void register(RouteTable routes) {
        routes.add(HttpMethod.GET, "/api/v1/state/conntrack", Access.READ, false, this::list);
        routes.add(HttpMethod.DELETE, "/api/v1/state/conntrack", Access.WRITE, true, this::flush);
    }

    private ConntrackTable conntrack() {
        ConntrackTable conntrack = engine.get().conntrack().orElse(null);
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
            Long n = dev.bulwark.config.types.Names.decimal(port, 5);
            if (n == null || n > 65535) throw ApiException.badRequest("port must be a number 0-65535, got '" + port + "'");
            p = n.intValue();
        }
        return new ConntrackFilter(a, p, protocol == null || protocol.isEmpty() ? null : protocol);
    }

    /**
     * Streams the entries as they are read: a JSON array (or NDJSON for {@code Accept: application/x-ndjson}) sent
     * in chunks of about 64 KiB, at most four chunks in flight, so memory stays bounded whatever the table size. The
     * listing runs on a worker; it stops when the client goes away.
     */
    private void list(RoutingContext ctx) {
        ConntrackTable table = conntrack();
        ConntrackFilter filter = filter(ctx);
        boolean nd = ContentTypes.wantsNdjson(ctx);
        HttpServerResponse resp = ctx.response();
        resp.setChunked(true).setStatusCode(200)
                .putHeader("Content-Type", nd ? ContentTypes.NDJSON : ContentTypes.JSON)
                .putHeader("Cache-Control", "no-store");
        ConntrackStreamer s = new ConntrackStreamer(vertx.getOrCreateContext(), resp, nd);
        resp.closeHandler(v -> s.cancelled = true);
        Context loop = vertx.getOrCreateContext();
        workers.blocking(() -> {
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

    private void flush(RoutingContext ctx) {
        conntrack(); // 501 when none is wired
        ConntrackFilter filter = filter(ctx);
        audited.change(ctx, "conntrack-flush", engine.currentRevision(), rec -> rec.put("filter", filter.toString()), engine.get().flushConntrack(filter), n -> {
            ObjectNode o = ApiJson.object();
            o.put("deleted", n);
            o.put("filter", filter.toString());
            return o;
        }, null, null);
    }
}
