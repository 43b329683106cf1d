package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.port.Dataplane;

import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.SysctlCompiler;
import dev.bulwark.dataplane.port.SysctlPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conntrack sysctls ({@code net.netfilter.nf_conntrack_*}): one write per key that differs, undone by writing back
 * the value read just before. A key the namespace may not set (the kernel makes {@code nf_conntrack_max} read-only
 * in child namespaces) is a warning, not a step. Keys a config no longer names keep their value.
 */
final class SysctlSubsystem implements Subsystem<Map<String, Long>, SysctlSubsystem.Live> {

    static final String MAX = "nf_conntrack_max";

    /**
     * @param values   the live value of each key (absent: the key does not exist yet, conntrack is not loaded)
     * @param readOnly the keys this namespace may not set
     * @param keys     the keys read (those absent from {@code values} do not exist)
     */
    record Live(Map<String, Long> values, Set<String> readOnly, Set<String> keys) {
        Live {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            readOnly = Set.copyOf(readOnly);
            keys = Set.copyOf(keys);
        }
    }

    @Override
    public String name() {
        return "sysctl";
    }

    @Override
    public Map<String, Long> compile(Config config) {
        return SysctlCompiler.values(config);
    }

    @Override
    public Live read(Dataplane dp, Map<String, Long> desired, Map<String, Long> previous) {
        SysctlPort sysctls = dp.port(SysctlPort.KIND);
        Map<String, Long> values = sysctls.read(desired.keySet());
        Set<String> readOnly = new HashSet<>();
        for (String k : values.keySet()) if (!sysctls.writable(k)) readOnly.add(k);
        return new Live(values, readOnly, desired.keySet());
    }

    @Override
    public boolean covers(Live known, Map<String, Long> desired) {
        return known.keys().containsAll(desired.keySet());
    }

    @Override
    public Part plan(Live known, Map<String, Long> desired, Map<String, Long> previous, String where) {
        List<Change> changes = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, Long> e : desired.entrySet()) {
            String key = e.getKey();
            long value = e.getValue();
            Long now = known.values().get(key);
            if (now != null && now == value) continue;
            if (known.readOnly().contains(key)) {
                warnings.add(key.equals(MAX)
                        ? "conntrack max " + value + " not set in " + where + ": the kernel allows " + MAX
                        + " only in the initial namespace (it stays " + now + ")"
                        : "net.netfilter." + key + " = " + value + " not set in " + where + ": the key is read-only there (it stays " + now + ")");
                continue;
            }
            String text = "net.netfilter." + key + " = " + value + (now == null ? " (the key appears once conntrack is loaded)" : " (was " + now + ")");
            Change c = new Change(now == null ? Change.ADD : Change.CHANGE, text, "sysctl -w net.netfilter." + key + "=" + value);
            changes.add(c);
            actions.add(new Action(c.toString(), 1, dp -> {
                Long before = dp.port(SysctlPort.KIND).read(List.of(key)).get(key);
                return before == null ? Action.NOTHING : d -> d.port(SysctlPort.KIND).write(key, before);
            }, dp -> dp.port(SysctlPort.KIND).write(key, value)));
        }
        String summary = changes.size() + (changes.size() == 1 ? " key" : " keys") + ", each written back if a later step fails";
        return new Part(new Plan.Section(name(), summary, changes.size(), changes), actions, warnings);
    }

    @Override
    public Live after(Dataplane dp, Live known, Map<String, Long> desired, Part part) {
        if (part.isEmpty()) return known;
        Map<String, Long> values = new LinkedHashMap<>(known.values());
        values.putAll(dp.port(SysctlPort.KIND).read(desired.keySet()));
        Set<String> keys = new HashSet<>(known.keys());
        keys.addAll(desired.keySet());
        return new Live(values, known.readOnly(), keys);
    }
}
