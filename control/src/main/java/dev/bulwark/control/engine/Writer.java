package dev.bulwark.control.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The control plane's one writer (principle 7): a single platform thread, {@code bulwark-writer}, and its queue.
 * Every kernel change and every commit runs here, one after the other. {@link #submit} returns a future at once;
 * futures complete on the common pool, never on the writer, so a caller's continuation cannot stall it.
 */
final class Writer {
    private static final System.Logger LOG = System.getLogger(Engine.class.getName());

    private final ExecutorService executor;
    private final Executor completions = ForkJoinPool.commonPool();
    private volatile Thread thread;
    private volatile boolean closed;

    Writer() {
        this.executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("bulwark-writer").unstarted(() -> {
            thread = Thread.currentThread();
            r.run();
        }));
    }

    /** Runs {@code task} on the writer; its result or failure completes the future (on the common pool). */
    <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("the engine is closed"));
            return f;
        }
        try {
            executor.execute(() -> {
                T v;
                try {
                    v = task.call();
                } catch (Throwable e) {
                    completions.execute(() -> f.completeExceptionally(e));
                    return;
                }
                completions.execute(() -> f.complete(v));
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("the engine is closed"));
        }
        return f;
    }

    /** Runs internal work on the writer; failures are logged (the work records them in status itself). */
    void execute(Runnable task) {
        try {
            executor.execute(() -> {
                if (closed) return;
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "engine task failed", e);
                }
            });
        } catch (RejectedExecutionException closing) {
            // shutting down
        }
    }

    /** Whether the calling thread is the writer. */
    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** From now on new requests are refused and internal tasks already queued are skipped. */
    void refuseNew() {
        closed = true;
    }

    /** {@link #refuseNew()}, then waits for the requests already queued (they still run). */
    void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) LOG.log(System.Logger.Level.WARNING, "the writer did not finish within 60 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once (a failed start). */
    void shutdownNow() {
        closed = true;
        executor.shutdownNow();
    }
}
