package dev.bulwark.mgmt.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The audit log: one JSON object per line in {@code STATE_DIR/audit.jsonl}, appended and fsync'd before the API
 * answers the change it records. Each line says who (token name and role), when, from where (client address), what
 * (action, method, path, query), the outcome (HTTP status, revision before and after, problem title) and details.
 * Writes run in order on one thread of their own ({@code bulwark-audit}), never on the event loop.
 */
final class AuditLog implements AutoCloseable {
    static final String FILE = "audit.jsonl";
    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("bulwark-audit").factory());

    AuditLog(Path stateDir) throws IOException {
        this.file = stateDir.resolve(FILE);
        // the owner's alone (0600) whatever the umask: it says who changed what from where
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        this.channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(mode));
        try {
            java.nio.file.Files.setPosixFilePermissions(file, mode);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    static ObjectNode entry() {
        return JSON.createObjectNode();
    }

    /** Appends one record and fsyncs; the future completes once it is durable (or failed: it is logged too). */
    CompletableFuture<Void> append(ObjectNode record) {
        byte[] line;
        try {
            line = (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    ByteBuffer b = ByteBuffer.wrap(line);
                    while (b.hasRemaining()) channel.write(b);
                    channel.force(true);
                    f.complete(null);
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "event=audit-write-failed file=" + file + " record=" + record + " error=\"" + e.getMessage() + "\"");
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(System.Logger.Level.ERROR, "event=audit-write-failed file=" + file + " record=" + record + " error=closed");
            f.completeExceptionally(e);
        }
        return f;
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + file + ": " + e.getMessage());
        }
    }
}
