package dev.bulwark.config.validate;

import dev.bulwark.config.Problem;
import dev.bulwark.config.bind.Pointers;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Interface;
import dev.bulwark.config.model.NamedSet;
import dev.bulwark.config.model.Rule;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.InterfaceAddress;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the checks share: the config, the problems found so far, and lookups by name. */
final class Context {
    final Config config;
    final List<Problem> problems = new ArrayList<>();
    /** Set names that something references, to warn about unused sets. */
    final Set<String> usedSets = new HashSet<>();
    /** Names that become kernel counters (rules and port-forwards): unique across both. Name to pointer. */
    final Map<String, String> counterNames = new HashMap<>();

    Context(Config config) {
        this.config = config;
    }

    void error(String pointer, String message) {
        problems.add(Problem.error(pointer, message));
    }

    void warning(String pointer, String message) {
        problems.add(Problem.warning(pointer, message));
    }

    static String at(String parent, Object... path) {
        String p = parent;
        for (Object o : path) p = o instanceof Integer i ? Pointers.child(p, i) : Pointers.child(p, o.toString());
        return p;
    }

    /** " — did you mean 'x'?" or a list of what exists. */
    static String suggestion(String name, Iterable<String> known, String kind) {
        String close = Names.closest(name, known);
        if (close != null) return "; did you mean '" + close + "'?";
        List<String> all = new ArrayList<>();
        known.forEach(all::add);
        return all.isEmpty() ? "; no " + kind + " is defined" : "; defined " + kind + "s: " + String.join(", ", all);
    }

    /** Checks that {@code zone} names a zone (or self, when allowed); reports at {@code pointer}. */
    boolean zoneRef(String pointer, String zone, boolean selfAllowed) {
        if (selfAllowed && Rule.SELF.equals(zone)) return true;
        if (config.zones().containsKey(zone)) return true;
        String hint = suggestion(zone, config.zones().keySet(), "zone");
        if (!selfAllowed && Rule.SELF.equals(zone)) {
            error(pointer, "'self' is not allowed here; name a zone" + hint);
        } else {
            error(pointer, "unknown zone '" + zone + "'" + hint + (selfAllowed ? " (or 'self' for the router itself)" : ""));
        }
        return false;
    }

    NamedSet set(String name) {
        return config.sets().get(name);
    }

    /** All interface addresses of the config. */
    List<InterfaceAddress> interfaceAddresses() {
        List<InterfaceAddress> out = new ArrayList<>();
        for (Interface i : config.interfaces().values()) out.addAll(i.addresses());
        return out;
    }

    /** Whether any interface has an address of this family. */
    boolean hasFamily(Family f) {
        return interfaceAddresses().stream().anyMatch(a -> a.family() == f);
    }

    /** Whether the address is inside an interface's on-link prefix. */
    boolean onLink(IpAddress a) {
        return interfaceAddresses().stream().anyMatch(ia -> ia.prefix().contains(a));
    }

    /** The logical interface whose prefix holds the address, or null. */
    String interfaceFor(IpAddress a) {
        for (Map.Entry<String, Interface> e : config.interfaces().entrySet()) {
            for (InterfaceAddress ia : e.getValue().addresses()) if (ia.prefix().contains(a)) return e.getKey();
        }
        return null;
    }
}
