package dev.bulwark.dataplane.port;

import dev.bulwark.dataplane.conntrack.KernelSysctls;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The conntrack sysctls of the namespace ({@code net.netfilter.*}). These are files, not netlink. */
public interface SysctlPort {

    PortKind<SysctlPort> KIND = new PortKind<>("sysctl", SysctlPort.class, KernelSysctls::new);

    /** The values of the given keys; a key that does not exist (conntrack not loaded yet) is absent. */
    Map<String, Long> read(Collection<String> keys);

    /** Whether this namespace may set the key (the kernel makes nf_conntrack_max read-only in child namespaces). */
    boolean writable(String key);

    /** Sets one key ({@code sysctl -w net.netfilter.KEY=VALUE}); returns warnings (a refusal the kernel allows). */
    List<String> write(String key, long value);
}
