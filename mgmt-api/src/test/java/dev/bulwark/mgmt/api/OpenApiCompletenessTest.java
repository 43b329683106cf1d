package dev.bulwark.mgmt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document and the router describe the same API: every route the {@link io.vertx.ext.web.Router} has
 * (path and method) is a path and operation of the document, and every operation of the document is a route. No
 * kernel needed: the server starts without an engine.
 */
class OpenApiCompletenessTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteExists(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        ApiServer api = ApiServer.start(vertx, ApiServer.Options.of("127.0.0.1", 0), dir);
        try {
            Set<String> routed = new TreeSet<>();
            for (Route r : api.router().getRoutes()) {
                if (r.getPath() == null) continue; // the handler every request passes first (timeout, metrics)
                assertThat(r.methods()).as("route " + r.getPath() + " has a method").isNotEmpty();
                String path = r.getPath().replaceAll(":([a-zA-Z]+)", "{$1}");
                for (HttpMethod m : r.methods()) routed.add(m.name() + " " + path);
            }
            JsonNode doc = api.openapi();
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
            Set<String> documented = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                for (Iterator<String> ms = p.getValue().fieldNames(); ms.hasNext(); ) {
                    String m = ms.next();
                    if (!METHODS.contains(m)) continue;
                    documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
                    JsonNode op = p.getValue().get(m);
                    assertThat(op.get("responses")).as(m + " " + p.getKey() + " documents its responses").isNotNull();
                    assertThat(op.get("operationId")).as(m + " " + p.getKey() + " has an operationId").isNotNull();
                    // every {param} of the path is declared
                    var params = new TreeSet<String>();
                    if (op.has("parameters")) for (JsonNode q : op.get("parameters")) if (q.has("in") && q.get("in").asText().equals("path")) params.add(q.get("name").asText());
                    var inPath = new TreeSet<String>();
                    var mm = java.util.regex.Pattern.compile("\\{([a-zA-Z]+)}").matcher(p.getKey());
                    while (mm.find()) inPath.add(mm.group(1));
                    assertThat(params).as(m + " " + p.getKey() + " declares its path parameters").isEqualTo(inPath);
                }
            }
            assertThat(routed).as("routes missing from the OpenAPI document").isSubsetOf(documented);
            assertThat(documented).as("documented operations the router does not have").isSubsetOf(routed);
            assertThat(routed).hasSize(20);
            assertThat(api.routeTable().values().stream().mapToInt(Set::size).sum()).isEqualTo(routed.size());
        } finally {
            api.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
