package dev.bulwark.tests.net;

import static dev.bulwark.dataplane.TestNamespace.run;
import static dev.bulwark.dataplane.TestNamespace.runResult;

import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.testing.KernelAssume;
import dev.bulwark.dataplane.testing.KernelFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The three-namespace test network: a LAN host, the router, a WAN host, joined by veth pairs. Inside the router the
 * devices are named as in the examples (eth0 = WAN, eth1 = LAN), so the shipped configs apply unchanged.
 *
 * <pre>
 *   lan host 192.168.1.10/24, fd00:1::10/64 ── eth1 [router] eth0 ── wan host 203.0.113.1/24
 *             (default via 192.168.1.1)      192.168.1.1  203.0.113.2   (no route back to the LAN)
 * </pre>
 *
 * The WAN host has no route to the LAN, so LAN traffic reaches it only through masquerade. All namespaces are
 * removed on {@link #close()} (tests use try-with-resources), also when a test fails.
 */
public final class Topology implements AutoCloseable {

    public static final String LAN_HOST = "192.168.1.10";
    public static final String LAN_HOST6 = "fd00:1::10";
    public static final String ROUTER_LAN = "192.168.1.1";
    public static final String ROUTER_WAN = "203.0.113.2";
    public static final String WAN_HOST = "203.0.113.1";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    public final String lan;
    public final String router;
    public final String wan;
    private final List<NetNamespace> handles = new ArrayList<>();

    private Topology(String prefix) {
        String id = ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        this.lan = prefix + "-lan-" + id;
        this.router = prefix + "-rtr-" + id;
        this.wan = prefix + "-wan-" + id;
    }

    /** Builds the network; skips the calling test, saying why, without root or veth support ({@link KernelAssume}). */
    public static Topology create(String prefix) {
        KernelAssume.assumeKernel(KernelFeature.NETNS, KernelFeature.VETH);
        Topology t = new Topology(prefix);
        try {
            t.build();
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
        return t;
    }

    private void build() {
        for (String ns : List.of(lan, router, wan)) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        run("ip", "-n", router, "link", "add", "eth1", "type", "veth", "peer", "name", "lan0", "netns", lan);
        run("ip", "-n", router, "link", "add", "eth0", "type", "veth", "peer", "name", "wan0", "netns", wan);
        run("ip", "-n", router, "addr", "add", ROUTER_LAN + "/24", "dev", "eth1");
        run("ip", "-n", router, "addr", "add", "fd00:1::1/64", "dev", "eth1", "nodad");
        run("ip", "-n", router, "addr", "add", ROUTER_WAN + "/24", "dev", "eth0");
        run("ip", "-n", lan, "addr", "add", LAN_HOST + "/24", "dev", "lan0");
        run("ip", "-n", lan, "addr", "add", LAN_HOST6 + "/64", "dev", "lan0", "nodad");
        run("ip", "-n", wan, "addr", "add", WAN_HOST + "/24", "dev", "wan0");
        for (String[] link : new String[][]{{router, "eth0"}, {router, "eth1"}, {lan, "lan0"}, {wan, "wan0"}}) {
            run("ip", "-n", link[0], "link", "set", link[1], "up");
        }
        run("ip", "-n", lan, "route", "add", "default", "via", ROUTER_LAN);
        run("ip", "-n", lan, "-6", "route", "add", "default", "via", "fd00:1::1");
        run("ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
    }

    /** A Java handle on one of the namespaces, to open sockets inside it. Closed with the topology. */
    public NetNamespace handle(String ns) {
        NetNamespace h = NetNamespace.named(ns);
        handles.add(h);
        return h;
    }

    /** Runs a command inside a namespace and returns its output, failing on a non-zero exit. */
    public String exec(String ns, String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        return run(full.toArray(String[]::new));
    }

    /** One ICMP echo from {@code ns} to {@code address}, waiting at most a second: true when answered. */
    public boolean ping(String ns, String address) {
        return runResult("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", "-n", "-q", address).code() == 0;
    }

    @Override
    public void close() {
        for (NetNamespace h : handles) h.close();
        for (String ns : List.of(lan, router, wan)) runResult("ip", "netns", "del", ns);
    }
}
