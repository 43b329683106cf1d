package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for the API tests (JDK HttpClient, HTTP/1.1). */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient client;
    final String base;

    Http(String base) {
        this(base, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build());
    }

    Http(String base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    /** A request builder: method, path, optional token, body with content type, extra headers (name, value pairs). */
    HttpRequest request(String method, String path, String token, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (contentType != null) b.header("Content-Type", contentType);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return b.build();
    }

    Res send(String method, String path, String token, String contentType, String body, String... headers) {
        try {
            return new Res(client.send(request(method, path, token, contentType, body, headers), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<Res> sendAsync(String method, String path, String token, String contentType, String body, String... headers) {
        return client.sendAsync(request(method, path, token, contentType, body, headers), HttpResponse.BodyHandlers.ofString()).thenApply(Res::new);
    }

    Res get(String path, String token, String... headers) {
        return send("GET", path, token, null, null, headers);
    }

    /** A response with its body parsed as JSON on demand. */
    record Res(HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        String body() {
            return raw.body();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + raw.statusCode() + "): " + raw.body(), e);
            }
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.headers().map() + "\n" + raw.body();
        }
    }
}
