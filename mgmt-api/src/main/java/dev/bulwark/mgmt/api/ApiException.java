package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An error the API answers with an RFC 9457 problem: status, type slug (the type URI is
 * {@code urn:bulwark:problem:SLUG}), title, detail, extension members, and response headers.
 */
final class ApiException extends RuntimeException {
    final int status;
    final String type;
    final String title;
    final Consumer<ObjectNode> extensions;
    final Map<String, String> headers = new LinkedHashMap<>();

    ApiException(int status, String type, String title, String detail) {
        this(status, type, title, detail, null);
    }

    ApiException(int status, String type, String title, String detail, Consumer<ObjectNode> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.extensions = extensions;
    }

    ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The RFC 9457 document: type, title, status, detail and the extension members (the caller adds instance). */
    ObjectNode document() {
        ObjectNode o = ApiJson.object();
        o.put("type", "urn:bulwark:problem:" + type);
        o.put("title", title);
        o.put("status", status);
        if (getMessage() != null) o.put("detail", getMessage());
        if (extensions != null) extensions.accept(o);
        return o;
    }

    static ApiException badRequest(String detail) {
        return new ApiException(400, "bad-request", "Bad request", detail);
    }
}
