package dev.bulwark.control.revision;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Durable file replacement on one file system: write a temp file in the target's directory, fsync it, rename it over
 * the target (atomic), fsync the directory. After {@link #write} returns, the target holds the new bytes across a
 * process crash or a power cut; before the rename a crash leaves only a temp file (named {@value #TEMP_PREFIX}...),
 * which {@link RevisionStore#open} deletes.
 */
final class AtomicFiles {
    static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /** Owner read and write only: revisions and the confirm record hold token hashes. */
    static final java.util.Set<java.nio.file.attribute.PosixFilePermission> PRIVATE_FILE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
    /** Owner only: the state directory. */
    static final java.util.Set<java.nio.file.attribute.PosixFilePermission> PRIVATE_DIR =
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");

    /**
     * Opens (creating it 0600 when new) a file of the state directory; its mode is set to 0600 whatever the umask, also
     * when it existed with a wider one.
     */
    static FileChannel openPrivate(Path file, StandardOpenOption... options) throws IOException {
        java.util.Set<StandardOpenOption> o = new java.util.HashSet<>(java.util.List.of(options));
        FileChannel ch = FileChannel.open(file, o, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(PRIVATE_FILE));
        try {
            Files.setPosixFilePermissions(file, PRIVATE_FILE);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    static void write(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve(TEMP_PREFIX + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = openPrivate(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            // rename(2) replaces an existing target atomically on Linux
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    /** Deletes the file and makes the deletion durable; false when there was none. */
    static boolean delete(Path file) throws IOException {
        if (!Files.deleteIfExists(file)) return false;
        syncDirectory(file.toAbsolutePath().getParent());
        return true;
    }

    /** fsync of a directory: makes the creation, renaming and deletion of its entries durable (works on Linux). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
