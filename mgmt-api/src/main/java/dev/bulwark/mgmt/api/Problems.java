package dev.bulwark.mgmt.api;

import dev.bulwark.config.InvalidConfigException;
import dev.bulwark.config.Problem;
import dev.bulwark.control.compile.CompileException;
import dev.bulwark.control.engine.CommitRefusedException;
import dev.bulwark.control.engine.RevisionMismatchException;
import dev.bulwark.control.reconcile.ReconcileException;
import dev.bulwark.control.revision.CorruptRevisionException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Control-plane failures as RFC 9457 problems. Each maps one exception type; nothing is decided here. */
public final class Problems {
    private static final System.Logger LOG = System.getLogger(Problems.class.getName());

    private Problems() {
    }

    /**
     * The problem document the API answers {@code t} with (RFC 9457, without instance): so that the CLI, running the
     * engine in-process, reports a failure with the same words as the API.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode document(Throwable t) {
        return from(t).document();
    }

    static ApiException from(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) t = t.getCause();
        if (t instanceof ApiException a) return a;
        if (t instanceof InvalidConfigException e) return invalid(e.errors(), List.of());
        if (t instanceof CommitRefusedException e) {
            boolean lockout = e.reason() == CommitRefusedException.Reason.ANTI_LOCKOUT;
            return new ApiException(422, lockout ? "anti-lockout" : "compile-error",
                    lockout ? "The config would lock the management API out" : "The config cannot be compiled into kernel state",
                    e.getMessage(), o -> o.set("errors", ApiJson.problems(e.problems())));
        }
        if (t instanceof CompileException e) {
            return new ApiException(422, "compile-error", "The config cannot be compiled into kernel state", e.getMessage(),
                    o -> o.set("errors", ApiJson.problems(e.problems())));
        }
        if (t instanceof RevisionMismatchException e) {
            return new ApiException(412, "precondition-failed", "The config changed since it was read", e.getMessage(), o -> {
                o.put("expected", e.expected());
                if (e.actual() == null) o.putNull("actual");
                else o.put("actual", e.actual());
            });
        }
        if (t instanceof ReconcileException e) {
            boolean restored = e.restored();
            return new ApiException(restored ? 409 : 500, restored ? "apply-failed" : "apply-incomplete",
                    restored ? "The kernel refused the change; the previous state was restored" : "The kernel refused the change and the previous state could not be fully restored",
                    e.getMessage(), o -> {
                o.put("operation", e.failed());
                o.put("subsystem", e.subsystem());
                o.put("step", e.step());
                o.put("steps", e.steps());
                o.put("errno", e.errno());
                if (e.kernelMessage() == null) o.putNull("kernelMessage");
                else o.put("kernelMessage", e.kernelMessage());
                o.put("restored", restored);
                var uf = o.putArray("undoFailures");
                e.undoFailures().forEach(f -> uf.add(f.getMessage()));
            });
        }
        if (t instanceof NoSuchElementException e) return new ApiException(404, "not-found", "Not found", e.getMessage());
        if (t instanceof java.io.IOException e && diskFull(e)) {
            // the revision could not be written: the engine put the kernel back (unless that failed too: suppressed)
            boolean restored = e.getSuppressed().length == 0;
            return new ApiException(507, "insufficient-storage", "The state directory's disk is full",
                    "the revision could not be written (" + e.getMessage() + "): nothing was committed, and the kernel "
                            + (restored ? "is unchanged" : "could not be put back: " + e.getSuppressed()[0].getMessage())
                            + "; free space on the state directory's file system and try again");
        }
        if (t instanceof io.vertx.core.VertxException e && e.getMessage() != null && e.getMessage().contains("'Host' header is required")) {
            // Vert.x fails an HTTP/1.1 request without Host wherever the request's authority is first needed: a client error
            return ApiException.badRequest("an HTTP/1.1 request needs a Host header (RFC 9112, section 3.2)");
        }
        if (t instanceof CorruptRevisionException e) return new ApiException(500, "corrupt-revision", "A stored revision is damaged", e.getMessage());
        if (t instanceof IllegalArgumentException e) return ApiException.badRequest(e.getMessage());
        if (t instanceof IllegalStateException e) {
            if ("the engine is closed".equals(e.getMessage())) return unavailable("the daemon is shutting down");
            return new ApiException(409, "conflict", "The request conflicts with the current state", e.getMessage());
        }
        LOG.log(System.Logger.Level.ERROR, "event=internal-error error=\"" + t + "\"", t);
        return new ApiException(500, "internal", "Internal error", String.valueOf(t.getMessage() == null ? t : t.getMessage()));
    }

    /** Whether an I/O failure is the file system being full (ENOSPC) or over quota (EDQUOT). */
    static boolean diskFull(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
        }
        return false;
    }

    static ApiException invalid(List<Problem> errors, List<Problem> warnings) {
        return new ApiException(422, "invalid-config", "The config is invalid",
                errors.size() + (errors.size() == 1 ? " error" : " errors") + "; nothing was changed", o -> {
            o.set("errors", ApiJson.problems(errors));
            o.set("warnings", ApiJson.problems(warnings));
        });
    }

    static ApiException unavailable(String why) {
        return new ApiException(503, "unavailable", "Service unavailable", why).header("Retry-After", "1");
    }
}
