package dev.bulwark.control.demo;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.dataplane.demo.DemoTopology;
import java.util.List;

/**
 * The demo's sandbox, as the CLI's {@code bulwark demo} and the demo tests use it: three network namespaces joined
 * by veth pairs, built by the dataplane ({@link DemoTopology}).
 *
 * <pre>
 *   bw-lan  lan0 192.168.1.10/24, .20/24 (the port-forward's server), fd00:1::10/64, default via 192.168.1.1
 *     │ veth
 *   bw-router  eth1 (LAN) · eth0 (WAN): addresses, routes and firewall come from Bulwark's config
 *     │ veth
 *   bw-wan  wan0 203.0.113.1/24 (the upstream; no route to the LAN, so LAN traffic reaches it only masqueraded)
 * </pre>
 *
 * Creating it first removes what a previous run (or a crashed one) left, so it can be run again at any time.
 */
public final class DemoSandbox implements AutoCloseable {

    public static final String LAN = DemoTopology.LAN;
    public static final String ROUTER = DemoTopology.ROUTER;
    public static final String WAN = DemoTopology.WAN;
    public static final List<String> NAMESPACES = DemoTopology.NAMESPACES;

    private final DemoTopology topology;

    private DemoSandbox(DemoTopology topology) {
        this.topology = topology;
    }

    /** Removes any leftover sandbox and builds a fresh one. */
    public static DemoSandbox create() {
        return new DemoSandbox(DemoTopology.create());
    }

    /** Removes the namespaces a previous run left, if any. */
    public static void removeLeftovers() {
        DemoTopology.removeLeftovers();
    }

    /**
     * Starts the web server that stands behind the example's port-forward (tcp 443 → 192.168.1.20:8443) inside
     * bw-lan; it answers with the address the request came from, which shows what NAT did. Stop it before close.
     */
    public HttpServer startLanWebServer() {
        return topology.startLanWebServer();
    }

    /** Removes the three namespaces (their links go with them). */
    @Override
    public void close() {
        topology.close();
    }
}
