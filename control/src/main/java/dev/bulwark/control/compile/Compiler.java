package dev.bulwark.control.compile;

import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.reconcile.Subsystem;
import dev.bulwark.control.reconcile.Subsystems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Config to {@link DesiredState}: each subsystem of {@link Subsystems#STANDARD} compiles its part in turn. Pure: no
 * kernel access. The config must be valid (as {@code ConfigLoader} returns it); what the validator allowed but the
 * kernel cannot express is a {@link CompileException} listing every problem of every subsystem with its config pointer.
 */
public final class Compiler {
    private Compiler() {
    }

    public static DesiredState compile(Config config) {
        return compile(config, Subsystems.STANDARD);
    }

    public static DesiredState compile(Config config, List<Subsystem<?, ?>> subsystems) {
        Map<String, Object> parts = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Subsystem<?, ?> s : subsystems) {
            try {
                parts.put(s.name(), s.compile(config));
            } catch (CompileException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) throw new CompileException(problems);
        return new DesiredState(parts);
    }
}
