package dev.bulwark.dataplane.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The one check every kernel test makes: root or CAP_NET_ADMIN, and the {@link KernelFeature}s it needs. When one is
 * missing the calling test is skipped (JUnit reports it skipped, with the reason) and {@code SKIPPED <test>: <reason>}
 * is printed. Probes run once per JVM and are cached. Tests usually declare their needs with {@link KernelTest}, whose
 * extension calls this before each test; helpers that make namespaces ({@code TestNamespace}, the traffic tests'
 * {@code Topology}) call it too.
 */
public final class KernelAssume {

    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    /** The test running on this thread, set by {@link KernelTestExtension}, for the SKIPPED line. */
    static final ThreadLocal<String> CURRENT_TEST = new ThreadLocal<>();

    private static final Map<KernelFeature, Optional<String>> PROBED = new EnumMap<>(KernelFeature.class);
    private static Privileges privileges;
    private static KernelConfig config;

    private KernelAssume() {
    }

    /** Skips the calling test, printing why, unless we are root (or hold CAP_NET_ADMIN) and have every feature. */
    public static void assumeKernel(KernelFeature... features) {
        Optional<String> why = missing(features);
        if (why.isPresent()) skip(currentTest(), why.get());
    }

    /** Why these features cannot be used here (the privilege check first), or empty when they all can. */
    public static synchronized Optional<String> missing(KernelFeature... features) {
        Privileges p = privileges();
        if (!p.netAdmin()) {
            return Optional.of("kernel tests need root or CAP_NET_ADMIN; running as " + p + " without either");
        }
        for (KernelFeature f : features) {
            Optional<String> why = PROBED.computeIfAbsent(f, KernelAssume::probe);
            if (why.isPresent()) return why;
        }
        return Optional.empty();
    }

    static void skip(String test, String reason) {
        System.out.println("SKIPPED " + test + ": " + reason);
        Assumptions.abort(reason);
    }

    /** The test's name from the extension; without it the innermost *Test class on the stack (or "kernel test"). */
    private static String currentTest() {
        String name = CURRENT_TEST.get();
        if (name != null) return name;
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> f.getClassName().endsWith("Test") && !f.getClassName().startsWith(KernelAssume.class.getPackageName()))
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .findFirst()).orElse("kernel test");
    }

    private static Optional<String> probe(KernelFeature f) {
        return switch (f) {
            case NETNS -> netns();
            case NFTABLES -> kernelOption("nf_tables", "CONFIG_NF_TABLES", "nf_tables");
            case NFT_CLI -> nftCommand();
            case CONNTRACK -> Files.exists(Path.of("/proc/sys/net/netfilter/nf_conntrack_max")) ? Optional.empty()
                    : kernelOption("connection tracking", "CONFIG_NF_CONNTRACK", "nf_conntrack");
            case VETH -> kernelOption("veth pairs", "CONFIG_VETH", "veth");
            case BRIDGE -> kernelOption("bridges", "CONFIG_BRIDGE", "bridge");
            case DUMMY -> kernelOption("dummy links", "CONFIG_DUMMY", "dummy");
            case VLAN_8021Q -> kernelOption("802.1Q VLAN links", "CONFIG_VLAN_8021Q", "8021q");
            case TMPFS -> tmpfs();
        };
    }

    private static Optional<String> tmpfs() {
        if (onPath("mount").isEmpty() || onPath("umount").isEmpty()) return Optional.of("the mount command is not on PATH (Debian package mount)");
        Privileges p = privileges();
        if (!p.root() && !p.has(CAP_SYS_ADMIN)) return Optional.of("mounting a tmpfs needs uid 0 or CAP_SYS_ADMIN; running as " + p);
        return Optional.empty();
    }

    private static Optional<String> netns() {
        if (!Files.exists(Path.of("/proc/self/ns/net"))) {
            return Optional.of("network namespaces: this kernel has none (CONFIG_NET_NS)");
        }
        if (onPath("ip").isEmpty()) {
            return Optional.of("network namespaces: the ip command is not on PATH (Debian package iproute2)");
        }
        Privileges p = privileges();
        if (!p.root() && !p.has(CAP_SYS_ADMIN)) {
            return Optional.of("network namespaces need root: ip netns add mounts them under /run/netns, which needs uid 0 or CAP_SYS_ADMIN; running as " + p);
        }
        return Optional.empty();
    }

    private static Optional<String> nftCommand() {
        Optional<Path> nft = onPath("nft");
        if (nft.isEmpty()) return Optional.of("the nft command is not on PATH (Debian package nftables)");
        try {
            Process p = new ProcessBuilder(nft.get().toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of(nft.get() + " --version did not finish in 10 s");
            }
            return p.exitValue() == 0 ? Optional.empty() : Optional.of(nft.get() + " --version failed (exit " + p.exitValue() + "): " + out);
        } catch (IOException e) {
            return Optional.of("cannot run " + nft.get() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing " + nft.get());
        }
    }

    /**
     * A kernel facility: present when its module is loaded or built in (/sys/module), or the kernel config has it
     * ({@code =y}, or {@code =m} with the module installed). Without a config or module lists it counts as present.
     */
    private static Optional<String> kernelOption(String what, String option, String module) {
        if (Files.isDirectory(Path.of("/sys/module", module))) return Optional.empty();
        String release = System.getProperty("os.version");
        Path modules = Path.of("/lib/modules", release);
        KernelConfig c = config();
        if (c != null) {
            String v = c.values().get(option);
            if ("y".equals(v)) return Optional.empty();
            if ("m".equals(v)) {
                if (Boolean.FALSE.equals(moduleListed(modules, module)) || !Files.isDirectory(modules)) {
                    return Optional.of(what + ": " + option + "=m in " + c.source() + " but the " + module + " module is not installed in " + modules);
                }
                return Optional.empty();
            }
            return Optional.of(what + ": kernel " + release + " is built without " + option + " (" + c.source() + ")");
        }
        if (Boolean.FALSE.equals(moduleListed(modules, module))) {
            return Optional.of(what + ": no " + module + " module in " + modules + " (and no kernel config to read)");
        }
        return Optional.empty();
    }

    /** Whether modules.builtin or modules.dep name the module; null when neither can be read. */
    private static Boolean moduleListed(Path modules, String module) {
        Boolean found = null;
        for (String list : List.of("modules.builtin", "modules.dep")) {
            Path p = modules.resolve(list);
            if (!Files.isReadable(p)) continue;
            try (var lines = Files.lines(p)) {
                if (lines.anyMatch(l -> l.contains("/" + module + ".ko"))) return true;
                found = false;
            } catch (IOException | java.io.UncheckedIOException e) {
                // unreadable: no answer from this list
            }
        }
        return found;
    }

    private record KernelConfig(String source, Map<String, String> values) {
    }

    /** The running kernel's config from /proc/config.gz or /boot/config-RELEASE; null when neither is there. */
    private static KernelConfig config() {
        if (config != null) return config.values().isEmpty() ? null : config;
        config = new KernelConfig("none", Map.of());
        for (Path p : List.of(Path.of("/proc/config.gz"), Path.of("/boot", "config-" + System.getProperty("os.version")))) {
            if (!Files.isReadable(p)) continue;
            try (InputStream raw = Files.newInputStream(p);
                 InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                Map<String, String> values = new HashMap<>();
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    int eq = line.indexOf('=');
                    if (line.startsWith("CONFIG_") && eq > 0) values.put(line.substring(0, eq), line.substring(eq + 1));
                }
                config = new KernelConfig(p.toString(), values);
                return config;
            } catch (IOException e) {
                // try the next source
            }
        }
        return null;
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, command);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Effective uid and capabilities from /proc/self/status. */
    private record Privileges(long uid, long capEff, String user) {
        boolean root() {
            return uid == 0;
        }

        boolean has(int cap) {
            return (capEff >>> cap & 1) != 0;
        }

        boolean netAdmin() {
            return root() || has(CAP_NET_ADMIN);
        }

        @Override
        public String toString() {
            return "uid " + (uid < 0 ? "?" : uid) + " (" + user + "), CapEff " + String.format("%016x", capEff);
        }
    }

    private static Privileges privileges() {
        if (privileges != null) return privileges;
        long uid = -1;
        long capEff = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] f = line.split("\\s+");
                if (f[0].equals("Uid:") && f.length > 2) uid = Long.parseLong(f[2]); // real, effective, saved, fs
                if (f[0].equals("CapEff:") && f.length > 1) capEff = Long.parseUnsignedLong(f[1], 16);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: neither root nor capabilities can be shown, so kernel tests skip
        }
        privileges = new Privileges(uid, capEff, System.getProperty("user.name"));
        return privileges;
    }
}
