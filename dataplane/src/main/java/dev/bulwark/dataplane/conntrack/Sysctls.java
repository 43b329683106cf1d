package dev.bulwark.dataplane.conntrack;

import dev.bulwark.dataplane.netlink.NetNamespace;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conntrack settings that are sysctls of a network namespace ({@code net.netfilter.nf_conntrack_*}): the table size
 * and the per-protocol timeouts. {@code /proc/sys/net} shows the namespace of the thread that opens it, so every
 * read and write runs on the namespace's own thread ({@link NetNamespace#call}).
 *
 * <p>Kernels refuse {@code nf_conntrack_max} inside a child namespace (it is global); that is reported as a warning,
 * not a failure. Every other key is per namespace and must succeed. {@link #apply} returns the values it replaced,
 * so a failed commit can put them back ({@link #apply} with the returned map).
 */
public final class Sysctls {
    private Sysctls() {
    }

    public static final String MAX = "nf_conntrack_max";

    /** What {@link #apply} did: the previous value of each key it changed, and warnings for keys it could not set. */
    public record Outcome(Map<String, Long> previous, List<String> warnings) {
    }

    static Path path(String key) {
        if (!key.matches("nf_conntrack_[a-z0-9_]+")) throw new IllegalArgumentException("not a conntrack sysctl: " + key);
        return Path.of("/proc/sys/net/netfilter", key);
    }

    /**
     * Reads the given keys in the namespace; a key whose file does not exist (conntrack not loaded yet) is absent
     * from the result. Equivalent: {@code sysctl net.netfilter.KEY}.
     */
    public static Map<String, Long> read(NetNamespace ns, Iterable<String> keys) {
        return ns.call(() -> {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String k : keys) {
                try {
                    out.put(k, readValue(path(k)));
                } catch (NoSuchFileException e) {
                    // conntrack is loaded on first use; nothing to read yet
                }
            }
            return out;
        });
    }

    /**
     * Whether the namespace may set the key: its file exists and is writable. The kernel makes {@value #MAX}
     * read-only (mode 0444) in child namespaces, and a sysctl's mode binds root too, so this tells in advance what
     * {@link #apply} would only report as a warning. Equivalent: {@code test -w /proc/sys/net/netfilter/KEY}.
     */
    public static boolean writable(NetNamespace ns, String key) {
        Path p = path(key);
        return ns.call(() -> java.nio.file.Files.isWritable(p));
    }

    /**
     * Sets each key to its value where it differs ({@code sysctl -w net.netfilter.KEY=VALUE}). A refused
     * {@value #MAX} in a child namespace becomes a warning; any other failure throws {@link SysctlException} after
     * restoring what this call already changed.
     */
    public static Outcome apply(NetNamespace ns, Map<String, Long> desired) {
        return ns.call(() -> {
            Map<String, Long> previous = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();
            for (Map.Entry<String, Long> e : desired.entrySet()) {
                Path p = path(e.getKey());
                long before;
                try {
                    before = readValue(p);
                } catch (NoSuchFileException ex) {
                    undo(previous);
                    throw new SysctlException("sysctl -w net.netfilter." + e.getKey() + "=" + e.getValue()
                            + ": the key does not exist (is the nf_conntrack module loaded?)", ex);
                }
                if (before == e.getValue()) continue;
                try {
                    write(p, e.getValue());
                    previous.put(e.getKey(), before);
                } catch (AccessDeniedException ex) {
                    if (e.getKey().equals(MAX) && ns.name() != null) {
                        warnings.add("conntrack max " + e.getValue() + " not set in " + ns + ": the kernel allows "
                                + MAX + " only in the initial namespace (it stays " + before + ")");
                        continue;
                    }
                    undo(previous);
                    throw new SysctlException("sysctl -w net.netfilter." + e.getKey() + "=" + e.getValue() + ": permission denied", ex);
                } catch (IOException ex) {
                    undo(previous);
                    throw new SysctlException("sysctl -w net.netfilter." + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage(), ex);
                }
            }
            return new Outcome(previous, warnings);
        });
    }

    /** Reads through a plain stream: Files.readString trusts the file size, which procfs reports as 0. */
    static long readValue(Path p) throws IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream(p.toFile())) {
            return Long.parseLong(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip());
        } catch (java.io.FileNotFoundException e) {
            throw new NoSuchFileException(p.toString());
        }
    }

    /**
     * One write(2) of the whole value: procfs sysctls parse each write on its own, and NIO channels may split a
     * write, which would leave only the first digits set.
     */
    private static void write(Path p, long value) throws IOException {
        try (java.io.FileOutputStream out = new java.io.FileOutputStream(p.toFile())) {
            out.write(Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.FileNotFoundException e) {
            if (e.getMessage() != null && e.getMessage().contains("Permission denied")) {
                throw new AccessDeniedException(p.toString());
            }
            throw e;
        }
    }

    private static void undo(Map<String, Long> previous) {
        previous.forEach((k, v) -> {
            try {
                write(path(k), v);
            } catch (IOException ignored) {
                // best effort: the original failure is what gets reported
            }
        });
    }

    /** A conntrack sysctl could not be read or written. */
    public static final class SysctlException extends RuntimeException {
        public SysctlException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
