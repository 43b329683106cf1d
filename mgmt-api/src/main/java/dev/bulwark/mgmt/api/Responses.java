package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Sending answers: a JSON tree as indented JSON or as YAML (by {@link ContentTypes#wantsYaml Accept}), text as it is,
 * errors as RFC 9457 {@code application/problem+json}. Every answer says {@code Vary: Accept} and
 * {@code Cache-Control: no-store}; nothing is sent once the response has ended (a timeout answered first).
 */
final class Responses {
    private Responses() {
    }

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final YAMLMapper YAML_MAPPER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    /** Sends a JSON tree as JSON or YAML, by Accept. Does nothing when the response has ended (a timeout answered). */
    static void send(RoutingContext ctx, int status, JsonNode body) {
        boolean yaml = ContentTypes.wantsYaml(ctx);
        String text;
        try {
            text = yaml ? YAML_MAPPER.writeValueAsString(body) : PRETTY.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sendText(ctx, status, yaml ? ContentTypes.YAML : ContentTypes.JSON, text);
    }

    static void sendText(RoutingContext ctx, int status, String contentType, String text) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) return;
        r.setStatusCode(status).putHeader("Content-Type", contentType);
        r.putHeader("Vary", "Accept");
        r.putHeader("Cache-Control", "no-store");
        r.end(text);
    }

    /** Sends an RFC 9457 problem. */
    static void problem(RoutingContext ctx, ApiException e) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) return;
        if (r.headWritten()) { // a stream already started: nothing to answer with but closing it
            r.reset();
            return;
        }
        var o = e.document();
        o.put("instance", ctx.request().path());
        e.headers.forEach(r::putHeader);
        try {
            sendText(ctx, e.status, ContentTypes.PROBLEM, PRETTY.writeValueAsString(o) + "\n");
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }
}
