package dev.bulwark.control.engine;

import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.port.NftPort;
import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.port.KernelDataplane;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.Reconciler;
import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.dataplane.route.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Configs, namespaces, kernel read-back and waiting, for the engine tests. */
final class EngineTests {
    private EngineTests() {
    }

    static final Path EXAMPLES = Path.of("..", "examples");

    static String homeRouterYaml() {
        try {
            return Files.readString(EXAMPLES.resolve("home-router.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Config yaml(String text) {
        return ConfigLoader.parse(text, Format.YAML).orThrow();
    }

    /** examples/home-router.yaml. */
    static Config home() {
        return yaml(homeRouterYaml());
    }

    /** Home-router with its port-forward on another port (one nft rule differs). */
    static Config homeForwarding(int port) {
        return yaml(homeRouterYaml().replace("protocol: tcp, port: 443,", "protocol: tcp, port: " + port + ","));
    }

    /** Home-router that also opens tcp/8443 on the router from the WAN. */
    static Config homeOpening8443() {
        return yaml(homeRouterYaml().replace("  rules:\n", "  rules:\n    - { name: web-in, from: wan, to: self, protocol: tcp, port: 8443, action: accept }\n"));
    }

    /** Home-router with a second route (through the LAN) and a second admin: network and nft both differ. */
    static Config homeWithExtraRoute() {
        return yaml(homeRouterYaml()
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 192.168.1.254 }")
                .replace("elements: [192.168.1.10]", "elements: [192.168.1.10, 192.168.1.11]"));
    }

    static DesiredState compile(Config c) {
        return Compiler.compile(c);
    }

    /** A namespace with veth devices eth0 and eth1 (their peers stay in it, unconfigured). */
    static TestNamespace router(String prefix) {
        TestNamespace ns = TestNamespace.create(prefix);
        ns.exec("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
        ns.exec("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        return ns;
    }

    /** What the kernel holds of ours, read by a dataplane of its own (never the engine's memory). */
    record Kernel(NftRuleset nft, Set<Route> routes) {
    }

    static Kernel read(TestNamespace ns) {
        try (KernelDataplane dp = KernelDataplane.open(ns.name())) {
            NftState s = dp.port(NftPort.KIND).read();
            return new Kernel(s == null ? null : s.ruleset(), new HashSet<>(dp.port(NetworkPort.KIND).ourRoutes()));
        }
    }

    /** The nftables ruleset generation: it moves with every commit of any table, so an unchanged one means no batch went in. */
    static int generation(TestNamespace ns) {
        try (KernelDataplane dp = KernelDataplane.open(ns.name())) {
            NftState s = dp.port(NftPort.KIND).read();
            return s == null ? -1 : s.generation();
        }
    }

    /** What differs between the kernel, read back by a fresh reconciler, and {@code want}; empty when it matches. */
    static Plan differences(TestNamespace ns, DesiredState want) {
        try (KernelDataplane dp = KernelDataplane.open(ns.name())) {
            return new Reconciler(dp).check(want);
        }
    }

    static boolean matches(TestNamespace ns, DesiredState want) {
        return differences(ns, want).isEmpty();
    }

    /** Polls {@code condition} until it holds or {@code limit} passes; returns the time it took. */
    static Duration await(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        long t0 = System.nanoTime();
        long until = t0 + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("not within " + limit + ": " + what.get());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** The future's value (10 s at most), or its failure's cause thrown as is. */
    static <T> T get(Future<T> f) throws Throwable {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within 10 s", e);
        }
    }

    /** The failure of a future that must fail (10 s at most). */
    static Throwable failure(Future<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the future succeeded");
    }
}
