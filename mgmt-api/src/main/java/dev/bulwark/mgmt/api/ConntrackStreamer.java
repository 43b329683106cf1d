package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.bulwark.control.conntrack.ConntrackEntry;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes conntrack entries from the worker thread that lists them to the response on its event loop, as a JSON array or
 * as NDJSON, in chunks of about 64 KiB with at most four chunks in flight. A client that went away ({@link #cancelled})
 * or reads too slowly stops the listing.
 */
final class ConntrackStreamer {
    private static final int CHUNK = 64 * 1024;
    private final Context loop;
    private final HttpServerResponse resp;
    private final boolean nd;
    private final Semaphore inFlight = new Semaphore(4);
    private final StringBuilder buf = new StringBuilder(CHUNK + 1024);
    private boolean first = true;
    volatile boolean cancelled;

    ConntrackStreamer(Context loop, HttpServerResponse resp, boolean nd) {
        this.loop = loop;
        this.resp = resp;
        this.nd = nd;
    }

    void begin() {
        if (!nd) buf.append("[\n");
    }

    void entry(ConntrackEntry e) {
        if (cancelled) throw new CancellationException("the client went away");
        if (!nd && !first) buf.append(",\n");
        first = false;
        try {
            buf.append(ApiJson.JSON.writeValueAsString(ApiJson.conntrack(e)));
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
        if (nd) buf.append('\n');
        if (buf.length() >= CHUNK) flush(false);
    }

    void end() {
        if (!nd) buf.append(first ? "]\n" : "\n]\n");
        flush(true);
    }

    private void flush(boolean last) {
        try {
            if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) throw new CancellationException("the client reads too slowly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (cancelled) throw new CancellationException("the client went away");
        String chunk = buf.toString();
        buf.setLength(0);
        loop.runOnContext(v -> {
            if (resp.closed() || resp.ended()) {
                inFlight.release();
                return;
            }
            (last ? resp.end(chunk) : resp.write(chunk)).onComplete(ar -> inFlight.release());
        });
    }
}
