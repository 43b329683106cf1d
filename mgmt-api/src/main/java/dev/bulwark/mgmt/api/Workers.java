package dev.bulwark.mgmt.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Keeping the event loop free: {@link #blocking} runs parsing, rendering and kernel reads on a Vert.x worker thread,
 * and {@link #then} brings a result (of a worker or of the engine's writer) back to the request's event loop, answering
 * a problem when it failed.
 */
final class Workers {
    private final Vertx vertx;

    Workers(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Runs blocking or CPU-heavy work (parsing, rendering, kernel reads through ConntrackTable) on a worker thread. */
    <T> CompletableFuture<T> blocking(Callable<T> c) {
        return vertx.executeBlocking(c, false).toCompletionStage().toCompletableFuture();
    }

    /** Continues on the request's event loop when {@code stage} completes: {@code ok} with its value, or a problem. */
    <T> void then(RoutingContext ctx, CompletionStage<T> stage, Consumer<T> ok) {
        Context loop = vertx.getOrCreateContext();
        stage.whenComplete((v, err) -> loop.runOnContext(x -> {
            if (err != null) {
                Responses.problem(ctx, Problems.from(err));
                return;
            }
            try {
                ok.accept(v);
            } catch (RuntimeException e) {
                Responses.problem(ctx, Problems.from(e));
            }
        }));
    }
}
