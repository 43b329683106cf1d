package dev.bulwark.tests.jmh;

import dev.bulwark.dataplane.port.NftPort;
import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.fake.FakeDataplane;
import dev.bulwark.control.reconcile.Plan;
import dev.bulwark.control.reconcile.Reconciler;
import dev.bulwark.dataplane.nft.NftDelta;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.tests.bench.Workload;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The diffs of a commit on the default benchmark workload ({@link Sizes}), between the base config and its variant
 * {@code config(1, 1)} (one set element added, one rule's port changed):
 *
 * <ul>
 * <li>{@link #configDiff}: {@link ConfigDiff} of the two configs (what the API shows as the change review);</li>
 * <li>{@link #reconcilePlan}: the reconciler's plan from the base, as last applied (to {@link FakeDataplane}, so
 *     everything is known and nothing is read), to the compiled variant: the nft delta and its plan lines, network
 *     and sysctls;</li>
 * <li>{@link #noopPlan}: the same plan to the base compiled again (equal, not identical): the no-op reconcile;</li>
 * <li>{@link #nftDelta} and {@link #nftDeltaNoop}: {@link NftDelta#between} alone, from the applied table with its
 *     handles to the variant's and to the base's ruleset; the no-op one is the full comparison the reconciler skips
 *     when the desired state equals the last applied one (it runs after a drift check or any failure).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DiffBench {

    /** The base config and the variant, parsed once. */
    @State(Scope.Benchmark)
    public static class Configs {
        @Param({Sizes.RULES})
        public int rules;
        @Param({Sizes.ELEMENTS})
        public int elements;

        Config base;
        Config variant;

        @Setup
        public void setup() {
            Workload w = Sizes.workload(rules, elements);
            base = w.config(0, 0);
            variant = w.config(1, 1);
            List<ConfigDiff.Change> d = ConfigDiff.between(base, variant);
            if (d.size() != 2) throw new IllegalStateException("expected 2 config changes, got:\n" + ConfigDiff.render(d));
        }
    }

    /** A reconciler that applied the base to the fake kernel; the variant and the base again, compiled. */
    @State(Scope.Benchmark)
    public static class Applied {
        @Param({Sizes.RULES})
        public int rules;
        @Param({Sizes.ELEMENTS})
        public int elements;

        FakeDataplane fake;
        Reconciler reconciler;
        /** The base compiled again: equal to the applied one, not the same object. */
        DesiredState baseAgain;
        DesiredState variant;
        /** Our table as the fake kernel holds it after the base was applied, with rule handles. */
        NftState applied;
        private long messages;

        @Setup
        public void setup() {
            Workload w = Sizes.workload(rules, elements);
            Config baseConfig = w.config(0, 0);
            DesiredState base = Compiler.compile(baseConfig);
            baseAgain = Compiler.compile(baseConfig);
            variant = Compiler.compile(w.config(1, 1));
            if (base == baseAgain || !base.equals(baseAgain)) throw new IllegalStateException("base compiled twice: not an equal copy");

            fake = new FakeDataplane(w.devices().toArray(String[]::new));
            reconciler = new Reconciler(fake);
            reconciler.apply(base);
            applied = fake.port(NftPort.KIND).read();
            if (applied == null || !reconciler.knowsLiveState()) throw new IllegalStateException("base not applied");

            Plan p = reconciler.plan(variant);
            if (p.section("nft") == null || p.section("network") != null || p.section("sysctl") != null) {
                throw new IllegalStateException("unexpected variant plan:\n" + p.text());
            }
            if (!reconciler.plan(baseAgain).isEmpty()) throw new IllegalStateException("no-op plan is not empty");
            if (NftDelta.between(applied, variant.nft().ruleset()).isEmpty()) throw new IllegalStateException("empty delta");
            if (!NftDelta.between(applied, baseAgain.nft().ruleset()).isEmpty()) throw new IllegalStateException("no-op delta");
            messages = fake.messagesSent();
        }

        @TearDown
        public void planningReadNothing() {
            if (fake.messagesSent() != messages) throw new IllegalStateException("planning talked to the (fake) kernel");
        }
    }

    @Benchmark
    public List<ConfigDiff.Change> configDiff(Configs s) {
        return ConfigDiff.between(s.base, s.variant);
    }

    @Benchmark
    public Plan reconcilePlan(Applied s) {
        return s.reconciler.plan(s.variant);
    }

    @Benchmark
    public Plan noopPlan(Applied s) {
        return s.reconciler.plan(s.baseAgain);
    }

    @Benchmark
    public NftDelta nftDelta(Applied s) {
        return NftDelta.between(s.applied, s.variant.nft().ruleset());
    }

    @Benchmark
    public NftDelta nftDeltaNoop(Applied s) {
        return NftDelta.between(s.applied, s.baseAgain.nft().ruleset());
    }
}
