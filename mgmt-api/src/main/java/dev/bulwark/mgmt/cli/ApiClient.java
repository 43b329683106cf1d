package dev.bulwark.mgmt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CLI's client of the REST API: JDK {@link HttpClient} (HTTP/1.1), a bearer token, and failures turned into
 * {@link Failure}s with the CLI's exit code: a problem answer (4xx, or an apply that failed) exits 1, an unreachable
 * API or a 5xx exits 3. It only speaks HTTP: nothing here touches the engine or the kernel.
 */
final class ApiClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String YAML = "application/yaml";
    static final String JSON_TYPE = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String PROBLEM = "application/problem+json";
    /** Longer than the server's own 120 s request timeout, so its 503 arrives first. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(150);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Exit codes of the client commands. */
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private final URI base;
    private final String token;
    private final HttpClient http;

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token == null || token.isEmpty() ? null : token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    URI base() {
        return base;
    }

    /** The base URL as people write it (no trailing slash). */
    String where() {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    boolean hasToken() {
        return token != null;
    }

    /** A failed request: the lines to print on standard error, and the exit code. */
    static final class Failure extends RuntimeException {
        final int exitCode;
        final List<String> lines;
        final int status;

        Failure(int exitCode, int status, List<String> lines) {
            super(String.join("\n", lines));
            this.exitCode = exitCode;
            this.status = status;
            this.lines = List.copyOf(lines);
        }
    }

    /** An answer with its body as text. */
    record Response(int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new Failure(UNREACHABLE, status, List.of("error: the API answered " + status + " with something that is not JSON: " + firstLine(body)));
            }
        }

        /** The revision an ETag header names ({@code "42"} → 42), or null. */
        Long etagRevision() {
            String e = header("ETag");
            if (e == null || !e.matches("\"[0-9]{1,18}\"")) return null;
            return Long.parseLong(e.substring(1, e.length() - 1));
        }
    }

    private HttpRequest.Builder request(String method, String path, String accept, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .header("User-Agent", "bulwark-cli")
                .header("Accept", accept == null ? JSON_TYPE : accept);
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return b;
    }

    /** Sends a request; returns any answer (the caller decides what a status means). */
    Response exchange(String method, String path, String accept, String contentType, byte[] body, String... headers) {
        HttpRequest req = request(method, path, accept, contentType, body, headers).timeout(REQUEST_TIMEOUT).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(UNREACHABLE, 0, List.of("error: interrupted while waiting for " + where()));
        }
    }

    /** Sends a request and returns a 2xx answer; anything else becomes a {@link Failure}. */
    Response send(String method, String path, String accept, String contentType, byte[] body, String... headers) {
        Response r = exchange(method, path, accept, contentType, body, headers);
        if (r.status() / 100 != 2) throw problem(r.status(), r.header("Content-Type"), r.body());
        return r;
    }

    Response get(String path) {
        return send("GET", path, JSON_TYPE, null, null);
    }

    JsonNode getJson(String path) {
        return get(path).json();
    }

    /**
     * Sends a GET whose 200 answer is read line by line as it arrives ({@code Accept: application/x-ndjson}); each
     * line goes to {@code line}. Returns the number of lines. A broken connection midway is a {@link Failure} (3)
     * that says how many lines came.
     */
    long streamLines(String path, Consumer<String> line) {
        HttpRequest req = request("GET", path, NDJSON, null, null).build(); // no overall timeout: a big table takes long
        HttpResponse<Stream<String>> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(UNREACHABLE, 0, List.of("error: interrupted while waiting for " + where()));
        }
        long n = 0;
        try (Stream<String> lines = r.body()) {
            if (r.statusCode() != 200) {
                throw problem(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), lines.collect(Collectors.joining("\n")));
            }
            var it = lines.iterator();
            while (it.hasNext()) {
                String l = it.next();
                if (l.isBlank()) continue;
                line.accept(l);
                n++;
            }
        } catch (UncheckedIOException e) {
            throw new Failure(UNREACHABLE, r.statusCode(), List.of("error: the connection to " + where() + " broke after " + n + " entries: "
                    + message(e.getCause())));
        }
        return n;
    }

    private Failure unreachable(IOException e) {
        String why = e instanceof HttpConnectTimeoutException ? "no answer to the connection attempt within " + CONNECT_TIMEOUT.toSeconds() + " s"
                : e instanceof HttpTimeoutException ? "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s"
                : e instanceof ConnectException ? "connection refused" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")
                : message(e);
        return new Failure(UNREACHABLE, 0, List.of("error: cannot reach the API at " + where() + ": " + why,
                "hint: is the daemon running? give its address with --api URL or BULWARK_API"));
    }

    private static String message(Throwable e) {
        if (e == null) return "unknown error";
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * An answer that is not a success, as the lines to print: "error: title — detail", one
     * "pointer: message (line L, column C)" line per config problem, and for some problems a hint.
     */
    Failure problem(int status, String contentType, String body) {
        List<String> out = new ArrayList<>();
        JsonNode p = null;
        if (body != null && !body.isBlank()) {
            try {
                p = JSON.readTree(body);
            } catch (IOException notJson) {
                p = null;
            }
        }
        String type = p == null ? "" : p.path("type").asText("");
        if (p != null && p.isObject() && (p.has("title") || (contentType != null && contentType.startsWith(PROBLEM)))) {
            out.addAll(describe(p, status));
        } else {
            out.add("error: the API at " + where() + " answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + firstLine(body)));
        }
        if (status == 401) {
            out.add(token == null ? "hint: no token given: use --token TOKEN or set BULWARK_TOKEN"
                    : "hint: the token was not accepted: check --token or BULWARK_TOKEN (make one with: bulwark token new)");
        } else if (status == 412 && p != null && p.hasNonNull("actual")) {
            out.add("hint: revision " + p.get("actual").asLong() + " was committed in between; nothing was changed: look at it (bulwark diff "
                    + p.path("expected").asLong() + " " + p.get("actual").asLong() + ") and try again");
        }
        boolean applyFailed = type.endsWith(":apply-failed") || type.endsWith(":apply-incomplete");
        int code = status / 100 == 4 || applyFailed ? REFUSED : UNREACHABLE;
        return new Failure(code, status, out);
    }

    /**
     * A problem document as the lines to print: "error: title — detail", one "pointer: message (line L, column C)"
     * line per config problem, warnings, and a failed kernel operation with the kernel's message.
     */
    static List<String> describe(JsonNode p, int status) {
        List<String> out = new ArrayList<>();
        String title = p.path("title").asText("HTTP " + status);
        String detail = p.path("detail").asText("");
        out.add("error: " + title + (detail.isEmpty() ? "" : " — " + detail));
        for (String list : List.of("errors", "invalid-params")) {
            for (JsonNode e : p.path(list)) out.add(configProblem(e));
        }
        for (JsonNode w : p.path("warnings")) out.add("warning: " + configProblem(w));
        if (p.hasNonNull("operation")) out.add("failed operation: " + p.get("operation").asText());
        if (p.hasNonNull("kernelMessage")) out.add("kernel: " + p.get("kernelMessage").asText());
        for (JsonNode u : p.path("undoFailures")) out.add("not undone: " + u.asText());
        return out;
    }

    private static String configProblem(JsonNode e) {
        String pointer = e.has("pointer") ? e.get("pointer").asText() : e.path("name").asText("/");
        String message = e.has("message") ? e.get("message").asText() : e.path("reason").asText("");
        String where = e.hasNonNull("line") ? " (line " + e.get("line").asInt() + ", column " + e.path("column").asInt() + ")" : "";
        return (pointer.isEmpty() ? "/" : pointer) + ": " + message + where;
    }

    private static String firstLine(String s) {
        String l = s.strip().lines().findFirst().orElse("");
        return l.length() > 200 ? l.substring(0, 200) + "…" : l;
    }

    @Override
    public void close() {
        http.close();
    }
}
