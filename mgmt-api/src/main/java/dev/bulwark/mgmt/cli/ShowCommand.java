package dev.bulwark.mgmt.cli;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.ConfigWriter;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark show FILE}: the config as Bulwark understands it, in canonical form. */
@Command(name = "show", description = "Validate a config and print it in canonical form (defaults left out, canonical spellings).")
final class ShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "Config file.")
    Path file;

    @Option(names = "--format", description = "yaml or json (default: ${DEFAULT-VALUE}).", defaultValue = "yaml",
            converter = FormatConverter.class)
    Format format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        LoadResult r = ConfigLoader.load(file);
        var err = spec.commandLine().getErr();
        if (!r.valid()) {
            LoadReport.problems(err, r);
            err.println(LoadReport.summary(file.toString(), r));
            err.flush();
            return 1;
        }
        for (var w : r.warnings()) err.println("warning: " + w);
        err.flush();
        var out = spec.commandLine().getOut();
        out.print(ConfigWriter.write(r.config(), format));
        out.flush();
        return 0;
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "yaml", "yml" -> Format.YAML;
                case "json" -> Format.JSON;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a format; use yaml or json");
            };
        }
    }
}
