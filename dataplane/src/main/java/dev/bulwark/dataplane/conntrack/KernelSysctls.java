package dev.bulwark.dataplane.conntrack;

import dev.bulwark.dataplane.port.KernelContext;
import dev.bulwark.dataplane.port.SysctlPort;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link SysctlPort} through {@link Sysctls}: files under /proc/sys read and written on the namespace's thread. */
public final class KernelSysctls implements SysctlPort {

    private final KernelContext kernel;
    private long accesses;

    public KernelSysctls(KernelContext kernel) {
        this.kernel = kernel;
    }

    @Override
    public Map<String, Long> read(Collection<String> keys) {
        accesses += keys.size();
        return new LinkedHashMap<>(Sysctls.read(kernel.namespace(), keys));
    }

    @Override
    public boolean writable(String key) {
        accesses++;
        return Sysctls.writable(kernel.namespace(), key);
    }

    @Override
    public List<String> write(String key, long value) {
        accesses++;
        return Sysctls.apply(kernel.namespace(), Map.of(key, value)).warnings();
    }

    /** Sysctl files read or written so far (these are not netlink messages). */
    public long accesses() {
        return accesses;
    }
}
