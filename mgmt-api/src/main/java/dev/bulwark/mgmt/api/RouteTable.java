package dev.bulwark.mgmt.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Route registration: every route of the API is registered through {@link #add}, which tags the request with the
 * route's template (the {@code route} label of the request metric and log line, see {@link #template}), checks its
 * {@link Access access level}, adds the body handler where the route takes a body, and answers a handler's exception
 * as a problem. Keeps the templates, for the {@code Allow} header of a 405 and for the tests.
 */
final class RouteTable {
    private static final String ROUTE = "bulwark.route";
    private static final String ACCESS = "bulwark.access";

    private record Template(HttpMethod method, String path, Pattern pattern) {
    }

    private final Router router;
    private final AccessControl access;
    private final long bodyLimit;
    private final List<Template> templates = new ArrayList<>();

    RouteTable(Router router, AccessControl access, long bodyLimit) {
        this.router = router;
        this.access = access;
        this.bodyLimit = bodyLimit;
    }

    /** Registers one route: tags it for metrics, checks access, reads the body where it takes one, then the handler. */
    void add(HttpMethod method, String path, Access level, boolean takesBody, Consumer<RoutingContext> handler) {
        Route r = router.route(method, path).putMetadata("access", level.name().toLowerCase(Locale.ROOT));
        templates.add(new Template(method, path, Pattern.compile(path.replaceAll(":[a-z]+", "[^/]+"))));
        // A platform handler, like the body handler: it runs (synchronously) before the body is read, so a client
        // without a valid token cannot make the server buffer a body.
        r.handler((PlatformHandler) ctx -> {
            ctx.put(ROUTE, path);
            ctx.put(ACCESS, level);
            if (takesBody && isForm(ctx.request().getHeader("Content-Type"))) {
                // refused before the body is read: a form would be decoded by the server (and over 1 KiB fail as a 500)
                Responses.problem(ctx, ContentTypes.unsupported(ContentTypes.type(ctx.request().getHeader("Content-Type")),
                        ContentTypes.JSON + " or " + ContentTypes.YAML));
                return;
            }
            if (level == Access.OPEN || access.admit(ctx, level)) ctx.next();
        });
        if (takesBody) r.handler(BodyHandler.create(false).setBodyLimit(bodyLimit).setHandleFileUploads(false));
        r.handler(ctx -> {
            try {
                handler.accept(ctx);
            } catch (RuntimeException e) {
                Responses.problem(ctx, Problems.from(e));
            }
        });
    }

    /** An HTML form's body type, which no route takes. */
    private static boolean isForm(String contentType) {
        String t = ContentTypes.type(contentType);
        return t != null && (t.equals("application/x-www-form-urlencoded") || t.startsWith("multipart/"));
    }

    /** The access level of the route a request matched, or null. */
    static Access access(RoutingContext ctx) {
        return ctx.get(ACCESS);
    }

    /** The template of the route a request matched ("/api/v1/revisions/:id"), or "unmatched". */
    static String template(RoutingContext ctx) {
        return ctx.get(ROUTE) == null ? "unmatched" : ctx.get(ROUTE);
    }

    /** The methods registered for a concrete path, for the {@code Allow} header of a 405. */
    List<String> allowed(String path) {
        Set<String> m = new LinkedHashSet<>();
        for (Template t : templates) if (t.pattern().matcher(path).matches()) m.add(t.method().name());
        return new ArrayList<>(m);
    }

    /** Route templates and their methods, as registered. */
    Map<String, Set<String>> table() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Template t : templates) out.computeIfAbsent(t.path(), k -> new LinkedHashSet<>()).add(t.method().name());
        return out;
    }
}
