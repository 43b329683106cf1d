package dev.bulwark.config.validate;

import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import java.util.List;

/**
 * Semantic validation of a bound config: references resolve, families agree, names are unique, values make sense
 * together. Every check runs; all problems are returned at once, errors and warnings alike.
 */
public final class Validator {
    private Validator() {
    }

    /** One check per section, in document order. A new config section adds its check here. */
    private static final List<Check> CHECKS = List.of(
            new VersionCheck(),
            new InterfaceCheck(),
            new RouteCheck(),
            new ZoneCheck(),
            new SetCheck(),
            new FirewallCheck(),
            new NatCheck(),
            new ConntrackCheck(),
            new ManagementCheck(),
            new UnusedSetCheck());

    public static String unsupportedVersion(int version) {
        return "config version " + version + " is not supported; this Bulwark reads version " + Config.VERSION;
    }

    public static List<Problem> validate(Config config) {
        Context ctx = new Context(config);
        for (Check c : CHECKS) c.check(ctx);
        return List.copyOf(ctx.problems);
    }

    private static final class VersionCheck implements Check {
        @Override
        public void check(Context ctx) {
            if (ctx.config.version() != Config.VERSION) {
                ctx.error("/version", unsupportedVersion(ctx.config.version()));
            }
        }
    }

    /** Runs last: by then every reference to a set has been seen. */
    private static final class UnusedSetCheck implements Check {
        @Override
        public void check(Context ctx) {
            for (String name : ctx.config.sets().keySet()) {
                if (!ctx.usedSets.contains(name)) {
                    ctx.warning(Context.at("/sets", name), "set '" + name + "' is not used by any rule");
                }
            }
        }
    }
}
