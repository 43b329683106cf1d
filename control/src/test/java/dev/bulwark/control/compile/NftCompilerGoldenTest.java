package dev.bulwark.control.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files, firewall4 style: each config in {@code src/test/resources/compile/*.yaml} (and the examples) compiles
 * to exactly the nft script in the {@code .nft} file beside it. Regenerate with {@code UPDATE_GOLDEN=1} and read the
 * difference before committing it.
 */
class NftCompilerGoldenTest {

    static final Path DIR = Path.of("src/test/resources/compile");
    static final Path EXAMPLES = Path.of("../examples");

    /** A config to compile and the golden file of its script. */
    record Golden(String name, Path config, Path expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Golden> goldens() throws IOException {
        List<Golden> out = new ArrayList<>();
        for (String ex : List.of("home-router", "small-office")) {
            out.add(new Golden(ex, EXAMPLES.resolve(ex + ".yaml"), DIR.resolve(ex + ".nft")));
        }
        try (Stream<Path> s = Files.list(DIR)) {
            s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> {
                String n = p.getFileName().toString().replace(".yaml", "");
                out.add(new Golden(n, p, DIR.resolve(n + ".nft")));
            });
        }
        return out.stream();
    }

    static CompiledNft compile(Path config) {
        LoadResult r = ConfigLoader.load(config);
        assertThat(r.errors()).as("validation errors of %s", config).isEmpty();
        NftCompileResult c = NftCompiler.compile(r.config());
        assertThat(c.errors()).as("compile errors of %s", config).isEmpty();
        return c.compiled();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void compilesToTheGoldenScript(Golden g) throws IOException {
        String text = compile(g.config()).text();
        if (System.getenv("UPDATE_GOLDEN") != null) {
            Files.writeString(g.expected(), text);
            return;
        }
        assertThat(g.expected()).as("golden file (run with UPDATE_GOLDEN=1 to create it)").exists();
        assertThat(text).isEqualTo(Files.readString(g.expected()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void compilingTwiceGivesEqualValues(Golden g) {
        CompiledNft a = compile(g.config()), b = compile(g.config());
        assertThat(a).isEqualTo(b);
        assertThat(a.text()).isEqualTo(b.text());
    }
}
