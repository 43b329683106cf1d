package dev.bulwark.control.compile;

import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Conntrack;
import dev.bulwark.config.model.Timeouts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config's conntrack table size and timeouts to sysctls under {@code net.netfilter}: not nftables state, applied
 * by the sysctl subsystem. Pure.
 */
public final class SysctlCompiler {
    private SysctlCompiler() {
    }

    /** The sysctl values by key, in config order. */
    public static Map<String, Long> values(Config config) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (DesiredSysctl s : compile(config)) out.put(s.key(), s.value());
        return java.util.Collections.unmodifiableMap(out);
    }

    public static List<DesiredSysctl> compile(Config config) {
        Conntrack ct = config.conntrack();
        List<DesiredSysctl> out = new ArrayList<>();
        if (ct.max() != null) {
            out.add(new DesiredSysctl("nf_conntrack_max", ct.max(), "the conntrack table size is global: kernels refuse "
                    + "nf_conntrack_max inside a child network namespace, where the applier warns and keeps the host's value",
                    "/conntrack/max"));
        }
        Timeouts t = ct.timeouts();
        if (t != null) {
            timeout(out, "nf_conntrack_tcp_timeout_established", t.tcpEstablished(), "tcp-established");
            timeout(out, "nf_conntrack_tcp_timeout_syn_sent", t.tcpSynSent(), "tcp-syn-sent");
            timeout(out, "nf_conntrack_tcp_timeout_syn_recv", t.tcpSynRecv(), "tcp-syn-recv");
            timeout(out, "nf_conntrack_tcp_timeout_fin_wait", t.tcpFinWait(), "tcp-fin-wait");
            timeout(out, "nf_conntrack_tcp_timeout_close_wait", t.tcpCloseWait(), "tcp-close-wait");
            timeout(out, "nf_conntrack_tcp_timeout_last_ack", t.tcpLastAck(), "tcp-last-ack");
            timeout(out, "nf_conntrack_tcp_timeout_time_wait", t.tcpTimeWait(), "tcp-time-wait");
            timeout(out, "nf_conntrack_tcp_timeout_close", t.tcpClose(), "tcp-close");
            timeout(out, "nf_conntrack_udp_timeout", t.udp(), "udp");
            timeout(out, "nf_conntrack_udp_timeout_stream", t.udpStream(), "udp-stream");
            timeout(out, "nf_conntrack_icmp_timeout", t.icmp(), "icmp");
            timeout(out, "nf_conntrack_icmpv6_timeout", t.icmp(), "icmp");
            timeout(out, "nf_conntrack_generic_timeout", t.generic(), "generic");
        }
        return out;
    }

    private static void timeout(List<DesiredSysctl> out, String key, Integer value, String configKey) {
        if (value != null) out.add(new DesiredSysctl(key, value, null, "/conntrack/timeouts/" + configKey));
    }

}
