package dev.bulwark.tests.jmh;

import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.tests.bench.Workload;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The commit path before the diff, on the default benchmark workload ({@link Sizes}): the config text read and
 * validated ({@link #parse}), and a valid config compiled to a {@link DesiredState} ({@link #compile}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompilerBench {

    /** The base config's text (compact JSON, ~2.5 MB at the default size). */
    @State(Scope.Benchmark)
    public static class Text {
        @Param({Sizes.RULES})
        public int rules;
        @Param({Sizes.ELEMENTS})
        public int elements;

        String text;

        @Setup
        public void setup() {
            text = Sizes.workload(rules, elements).text();
        }
    }

    /** The base config, parsed and validated once. */
    @State(Scope.Benchmark)
    public static class Parsed {
        @Param({Sizes.RULES})
        public int rules;
        @Param({Sizes.ELEMENTS})
        public int elements;

        Config config;

        @Setup
        public void setup() {
            config = Sizes.workload(rules, elements).config(0, 0);
        }
    }

    /** {@code ConfigLoader.parse}: JSON to the config model, schema and semantic validation. */
    @Benchmark
    public Config parse(Text s) {
        return Workload.parse(s.text);
    }

    /** {@code Compiler.compile}: config to the desired nft table, network and sysctls. */
    @Benchmark
    public DesiredState compile(Parsed s) {
        return Compiler.compile(s.config);
    }
}
