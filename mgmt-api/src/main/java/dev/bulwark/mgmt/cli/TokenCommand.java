package dev.bulwark.mgmt.cli;

import dev.bulwark.config.types.TokenHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark token new|hash}: make API tokens and the hashes the config stores. */
@Command(name = "token", description = "Make API tokens and their hashes for management.tokens.",
        subcommands = {TokenCommand.New.class, TokenCommand.Hash.class})
final class TokenCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say 'token new' or 'token hash'");
    }

    @Command(name = "new", description = "Print a new random token and the config entry that holds its hash.")
    static final class New implements Callable<Integer> {
        @Option(names = "--name", defaultValue = "admin", description = "Name of the token's holder (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--role", defaultValue = "admin", description = "admin or read-only (default: ${DEFAULT-VALUE}).")
        String role;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!role.equals("admin") && !role.equals("read-only")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "role must be admin or read-only");
            }
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            String token = "bwk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            var out = spec.commandLine().getOut();
            out.println("token: " + token);
            out.println("config entry (management.tokens):");
            out.println("  - { name: " + name + ", hash: \"" + TokenHash.of(token) + "\", role: " + role + " }");
            out.flush();
            return 0;
        }
    }

    @Command(name = "hash", description = "Read a token from standard input and print its hash.")
    static final class Hash implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (token == null || token.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give the token on standard input");
            }
            spec.commandLine().getOut().println(TokenHash.of(token.strip()));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
