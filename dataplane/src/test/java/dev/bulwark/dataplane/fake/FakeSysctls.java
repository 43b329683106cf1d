package dev.bulwark.dataplane.fake;

import dev.bulwark.dataplane.port.SysctlPort;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** In-memory conntrack sysctls behind the {@link SysctlPort}, with the defaults of a fresh kernel. */
public final class FakeSysctls implements SysctlPort {

    private final FakeKernel kernel;
    private final Map<String, Long> sysctls = new LinkedHashMap<>();
    private final Set<String> readOnly = new HashSet<>();
    private final String where;

    FakeSysctls(FakeKernel kernel, String where) {
        this.kernel = kernel;
        this.where = where;
        sysctls.put("nf_conntrack_max", 65536L);
        sysctls.put("nf_conntrack_tcp_timeout_established", 432000L);
        sysctls.put("nf_conntrack_udp_timeout", 30L);
        sysctls.put("nf_conntrack_udp_timeout_stream", 120L);
    }

    /** The kernel refuses this key here (nf_conntrack_max in a child namespace). */
    void readOnly(String key) {
        readOnly.add(key);
    }

    @Override
    public Map<String, Long> read(Collection<String> keys) {
        kernel.read();
        Map<String, Long> out = new LinkedHashMap<>();
        for (String k : keys) if (sysctls.containsKey(k)) out.put(k, sysctls.get(k));
        return out;
    }

    @Override
    public boolean writable(String key) {
        kernel.read();
        return sysctls.containsKey(key) && !readOnly.contains(key);
    }

    @Override
    public List<String> write(String key, long value) {
        kernel.operation("sysctl -w net.netfilter." + key + "=" + value);
        if (readOnly.contains(key)) return List.of(key + " not set in " + where + ": read-only");
        sysctls.put(key, value);
        return List.of();
    }

    /** Every key and value. */
    public Map<String, Long> values() {
        return new TreeMap<>(sysctls);
    }
}
