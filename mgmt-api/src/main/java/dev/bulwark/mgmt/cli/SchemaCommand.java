package dev.bulwark.mgmt.cli;

import dev.bulwark.config.ConfigSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bulwark schema}: the JSON Schema of the config, for editors. */
@Command(name = "schema", description = "Print the JSON Schema (draft 2020-12) of the config, for editor completion.")
final class SchemaCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(ConfigSchema.text());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
