package dev.bulwark.mgmt.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --api URL}, {@code --token TOKEN} and {@code --json}, shared by the commands that speak to the daemon. The
 * URL and token come from the options, else from the environment variables {@code BULWARK_API} and
 * {@code BULWARK_TOKEN}; the URL defaults to {@value #DEFAULT_API}.
 */
final class ApiOptions {
    static final String DEFAULT_API = "http://127.0.0.1:8080";
    static final String API_ENV = "BULWARK_API";
    static final String TOKEN_ENV = "BULWARK_TOKEN";

    @Option(names = "--api", paramLabel = "URL",
            description = "The daemon's API (default: $BULWARK_API, else " + DEFAULT_API + ").")
    String api;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token (default: $BULWARK_TOKEN; the variable keeps it out of the process list).")
    String token;

    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /** The environment: the root {@link Main}'s (tests replace it), else the process's. */
    Map<String, String> env() {
        Object root = spec == null ? null : spec.root().userObject();
        return root instanceof Main m ? m.env : System.getenv();
    }

    /** The base URL, checked: http or https, a host, no query; a usage error otherwise. */
    URI base() {
        String s = api;
        String from = "--api";
        if (s == null || s.isBlank()) {
            s = env().get(API_ENV);
            from = API_ENV;
        }
        if (s == null || s.isBlank()) return URI.create(DEFAULT_API + "/");
        s = s.strip();
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), from + ": '" + s + "' is not a URL (like " + DEFAULT_API + ")");
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), from + ": '" + s + "' is not an http(s) URL of the daemon (like " + DEFAULT_API + ")");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + (path.endsWith("/") ? path : path + "/"));
    }

    String token() {
        if (token != null && !token.isBlank()) return token.strip();
        String t = env().get(TOKEN_ENV);
        return t == null || t.isBlank() ? null : t.strip();
    }

    ApiClient client() {
        return new ApiClient(base(), token());
    }
}
