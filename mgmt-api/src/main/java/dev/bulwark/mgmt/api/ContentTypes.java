package dev.bulwark.mgmt.api;

import dev.bulwark.config.Format;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The media types the API speaks and how it picks one: request bodies by Content-Type (JSON or YAML; merge patches as
 * JSON), answers by Accept ({@code application/json} by default, {@code application/yaml} when preferred, NDJSON for
 * streams). Sending the answer is {@link Responses}'.
 */
final class ContentTypes {
    private ContentTypes() {
    }

    static final String JSON = "application/json";
    static final String YAML = "application/yaml";
    static final String PROBLEM = "application/problem+json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    static final String NDJSON = "application/x-ndjson";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    /** The media type of a Content-Type header, without parameters, lower case; null when absent. */
    static String type(String header) {
        if (header == null) return null;
        int semi = header.indexOf(';');
        String t = (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return t.isEmpty() ? null : t;
    }

    static boolean isYaml(String type) {
        return type != null && (type.equals(YAML) || type.equals("application/x-yaml") || type.equals("text/yaml") || type.equals("text/x-yaml"));
    }

    /** The format of a config body: JSON or YAML by Content-Type, else 415. */
    static Format configFormat(RoutingContext ctx) {
        String t = type(ctx.request().getHeader("Content-Type"));
        if (JSON.equals(t)) return Format.JSON;
        if (isYaml(t)) return Format.YAML;
        throw unsupported(t, JSON + " or " + YAML);
    }

    static ApiException unsupported(String got, String expected) {
        return new ApiException(415, "unsupported-media-type", "Unsupported media type",
                (got == null ? "the request has no Content-Type" : "Content-Type " + got + " is not accepted here") + "; send " + expected)
                .header("Accept-Post", expected);
    }

    /** Whether the client prefers YAML to JSON (by Accept q-values; JSON on a tie or without Accept). */
    static boolean wantsYaml(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (accept == null) return false;
        double json = 0, yaml = 0;
        for (String part : accept.split(",")) {
            String[] p = part.split(";");
            String t = p[0].strip().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].strip();
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (t.equals(JSON) || t.equals("application/*") || t.equals("*/*")) json = Math.max(json, t.equals(JSON) ? q : q * 0.99);
            if (isYaml(t)) yaml = Math.max(yaml, q);
        }
        return yaml > json;
    }

    /** Whether the client asks for newline-delimited JSON (a stream of objects). */
    static boolean wantsNdjson(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(NDJSON);
    }
}
