package dev.bulwark.mgmt.api;

import dev.bulwark.control.drift.DriftRecord;
import dev.bulwark.control.engine.Engine;
import dev.bulwark.control.engine.EngineMetrics;
import dev.bulwark.control.engine.LiveState;
import dev.bulwark.control.engine.RuleCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters, exposed in Prometheus text by {@link #scrape}:
 * <ul>
 * <li>{@code http_server_requests_seconds{method,route,status}}: every request, by route template;</li>
 * <li>{@code bulwark_reconcile_seconds{kind=full|partial}}, {@code bulwark_reconcile_failures_total},
 *     {@code bulwark_drift_detected_total}, {@code bulwark_drift_repaired_total},
 *     {@code bulwark_drift_checks_total{trigger}}, {@code bulwark_commits_total}, {@code bulwark_commits_refused_total},
 *     {@code bulwark_commits_failed_total}, {@code bulwark_rollbacks_total}, {@code bulwark_confirms_total},
 *     {@code bulwark_confirm_timeouts_total}: the engine's own counters ({@link Engine#metrics()});</li>
 * <li>{@code bulwark_commit_stage_seconds{stage=lockout|compile|apply|store}}: where commits spend their time;</li>
 * <li>{@code bulwark_revision}, {@code bulwark_pending_confirm}, {@code bulwark_converged}: the engine's state;</li>
 * <li>{@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code process_*}, {@code system_cpu_*}: the
 *     daemon's own footprint (Micrometer's JVM and system binders);</li>
 * <li>{@code bulwark_rule_packets_total{rule,kind}}, {@code bulwark_rule_bytes_total{rule,kind}}: the kernel's
 *     counters of each rule and port-forward, and {@code bulwark_conntrack_entries}: read from the kernel when
 *     scraped ({@link #update}, off the event loop).</li>
 * </ul>
 */
final class ApiMetrics {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Engine> engine = new AtomicReference<>();
    private final Map<String, RuleCounter> rules = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> ruleMeters = new ConcurrentHashMap<>();
    private volatile double conntrackEntries = Double.NaN;

    ApiMetrics() {
        // the daemon's own footprint: heap and non-heap pools, GC pauses, threads, CPU, RSS-relevant process figures
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("bulwark.conntrack.entries", this, m -> m.conntrackEntries)
                .description("Connection tracking entries in the managed namespace (NaN when conntrack is not loaded)").register(registry);
    }

    /** Records one HTTP request. */
    void request(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests").description("HTTP requests by route template and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Binds the engine's counters, once it has started. */
    void bind(Engine e) {
        if (!engine.compareAndSet(null, e)) return;
        timer("full", s -> s.fullReconcile());
        timer("partial", s -> s.partialReconcile());
        for (EngineMetrics.CommitStage stage : EngineMetrics.CommitStage.values()) {
            FunctionTimer.builder("bulwark.commit.stage", e, x -> x.commitStage(stage).count(),
                            x -> x.commitStage(stage).total().toNanos(), TimeUnit.NANOSECONDS)
                    .description("Time a commit spends in each stage on the writer: lockout check, compile, apply, store")
                    .tag("stage", stage.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        counter("bulwark.reconcile.failures", "Applies the kernel refused (each rolled back)", EngineMetrics.Snapshot::reconcileFailures);
        counter("bulwark.drift.detected", "Checks that found the kernel differing from the committed config", EngineMetrics.Snapshot::driftDetected);
        counter("bulwark.drift.repaired", "Drift put back to the committed config", EngineMetrics.Snapshot::driftRepaired);
        counter("bulwark.commits", "Commits and rollbacks the kernel accepted and the store recorded", EngineMetrics.Snapshot::commits);
        counter("bulwark.commits.refused", "Commits refused before the kernel was touched (anti-lockout, compile errors)", EngineMetrics.Snapshot::commitsRefused);
        counter("bulwark.commits.failed", "Commits the kernel refused (the previous state restored)", EngineMetrics.Snapshot::commitsFailed);
        counter("bulwark.rollbacks", "Operator rollbacks to a stored revision", EngineMetrics.Snapshot::rollbacks);
        counter("bulwark.confirms", "Commit-confirm windows confirmed", EngineMetrics.Snapshot::confirms);
        counter("bulwark.confirm.timeouts", "Commit-confirm windows that expired and were rolled back", EngineMetrics.Snapshot::confirmTimeouts);
        for (DriftRecord.Trigger t : DriftRecord.Trigger.values()) {
            FunctionCounter.builder("bulwark.drift.checks", e, x -> x.metrics().checks(t))
                    .description("Full checks of the kernel against the committed config, by trigger")
                    .tag("trigger", t.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        gauge("bulwark.revision", "The newest committed revision", x -> x.latest().map(r -> (double) r.id()).orElse(0.0));
        gauge("bulwark.pending.confirm", "1 while a commit waits for confirmation", x -> x.pending().isPresent() ? 1 : 0);
        gauge("bulwark.converged", "1 when the kernel holds the newest revision and no drift stands", x -> x.status().converged() ? 1 : 0);
    }

    private void timer(String kind, java.util.function.Function<EngineMetrics.Snapshot, EngineMetrics.TimerSnapshot> f) {
        Engine e = engine.get();
        FunctionTimer.builder("bulwark.reconcile", e, x -> f.apply(x.metrics()).count(), x -> f.apply(x.metrics()).total().toNanos(), TimeUnit.NANOSECONDS)
                .description("Reconciles: partial ones planned from memory, full ones after reading the kernel back")
                .tag("kind", kind).register(registry);
    }

    private void counter(String name, String help, ToLongFunction<EngineMetrics.Snapshot> f) {
        FunctionCounter.builder(name, engine.get(), x -> f.applyAsLong(x.metrics())).description(help).register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<Engine> f) {
        Gauge.builder(name, engine.get(), f).description(help).register(registry);
    }

    /** Takes in the kernel's counters as read for this scrape: new rules get meters, gone ones lose them. */
    void update(LiveState.Counters c) {
        conntrackEntries = c.conntrackEntries() == null ? Double.NaN : c.conntrackEntries();
        Map<String, RuleCounter> now = new java.util.HashMap<>();
        for (RuleCounter r : c.counters()) now.put(key(r), r);
        for (String gone : new ArrayList<>(rules.keySet())) {
            if (!now.containsKey(gone)) {
                rules.remove(gone);
                List<Meter> ms = ruleMeters.remove(gone);
                if (ms != null) ms.forEach(registry::remove);
            }
        }
        rules.putAll(now);
        for (Map.Entry<String, RuleCounter> e : now.entrySet()) {
            ruleMeters.computeIfAbsent(e.getKey(), k -> {
                RuleCounter r = e.getValue();
                return List.of(
                        FunctionCounter.builder("bulwark.rule.packets", this, m -> value(m, k, true))
                                .description("Packets counted by a firewall rule or port-forward (the kernel's nft counter)")
                                .tags("rule", r.name(), "kind", r.kind()).register(registry),
                        FunctionCounter.builder("bulwark.rule.bytes", this, m -> value(m, k, false))
                                .description("Bytes counted by a firewall rule or port-forward (the kernel's nft counter)")
                                .tags("rule", r.name(), "kind", r.kind()).register(registry));
            });
        }
    }

    private static double value(ApiMetrics m, String key, boolean packets) {
        RuleCounter r = m.rules.get(key);
        if (r == null) return 0;
        return packets ? r.packets() : r.bytes();
    }

    private static String key(RuleCounter r) {
        return r.kind() + "\u0000" + r.name();
    }

    /** The Prometheus text exposition (format 0.0.4). */
    String scrape() {
        return registry.scrape();
    }
}
