package dev.bulwark.mgmt.api;

import static dev.bulwark.dataplane.TestNamespace.run;
import static dev.bulwark.dataplane.TestNamespace.runResult;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.NetNamespace;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * Three throwaway namespaces for the API tests: the router that the daemon manages (devices eth0 and eth1 as in the
 * examples, addressed by Bulwark itself), a WAN host on eth0's peer and a LAN host on eth1's peer.
 *
 * <pre>
 *   lan 192.168.1.10/24 ── eth1 [router, managed] eth0 ── wan 203.0.113.1/24
 * </pre>
 */
final class ApiNet implements AutoCloseable {
    static final String ROUTER_WAN = "203.0.113.2";

    final TestNamespace router;
    final TestNamespace wan;
    final TestNamespace lan;
    private final List<NetNamespace> handles = new ArrayList<>();

    private ApiNet(TestNamespace router, TestNamespace wan, TestNamespace lan) {
        this.router = router;
        this.wan = wan;
        this.lan = lan;
    }

    static ApiNet create() {
        TestNamespace r = TestNamespace.create("api-r");
        TestNamespace w = null;
        TestNamespace l = null;
        try {
            w = TestNamespace.create("api-w");
            l = TestNamespace.create("api-l");
            run("ip", "-n", r.name(), "link", "add", "eth0", "type", "veth", "peer", "name", "wan0", "netns", w.name());
            run("ip", "-n", r.name(), "link", "add", "eth1", "type", "veth", "peer", "name", "lan0", "netns", l.name());
            run("ip", "-n", w.name(), "addr", "add", "203.0.113.1/24", "dev", "wan0");
            run("ip", "-n", w.name(), "link", "set", "wan0", "up");
            run("ip", "-n", l.name(), "addr", "add", "192.168.1.10/24", "dev", "lan0");
            run("ip", "-n", l.name(), "link", "set", "lan0", "up");
            run("ip", "-n", l.name(), "route", "add", "default", "via", "192.168.1.1");
            return new ApiNet(r, w, l);
        } catch (RuntimeException | Error e) {
            if (l != null) l.close();
            if (w != null) w.close();
            r.close();
            throw e;
        }
    }

    NetNamespace handle(TestNamespace ns) {
        NetNamespace h = NetNamespace.named(ns.name());
        handles.add(h);
        return h;
    }

    /** What an admin would look at in the router: our table, our routes, the addresses. */
    String kernel() {
        var table = router.tryExec("nft", "list", "table", "inet", "bulwark");
        return (table.code() == 0 ? table.output() : "no table\n")
                + router.exec("ip", "route", "show", "table", "all", "proto", "98")
                + router.exec("ip", "-br", "address", "show");
    }

    /** Three pings from the WAN host to the router: true when answered. */
    boolean pingRouterFromWan() {
        return runResult("ip", "netns", "exec", wan.name(), "ping", "-c", "3", "-i", "0.2", "-W", "1", "-n", "-q", ROUTER_WAN).code() == 0;
    }

    enum Outcome { CONNECTED, REFUSED, TIMEOUT }

    /** A TCP listener in a namespace that accepts and closes connections. */
    static final class TcpServer implements AutoCloseable {
        private final ServerSocket socket;

        TcpServer(NetNamespace ns, int port) {
            this.socket = ns.call(() -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(port));
                return s;
            });
            Thread.ofPlatform().daemon().name("test-tcp-" + port).start(() -> {
                while (!socket.isClosed()) {
                    try (Socket c = socket.accept()) {
                        c.getOutputStream().flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Connects from {@code ns} to {@code address:port}, waiting at most {@code timeoutMs}. */
    static Outcome connect(NetNamespace ns, String address, int port, int timeoutMs) {
        Socket s = ns.call(() -> {
            Socket sock = new Socket();
            sock.bind(null); // the descriptor is made here, on the namespace's thread
            return sock;
        });
        try (s) {
            s.connect(new InetSocketAddress(address, port), timeoutMs);
            return Outcome.CONNECTED;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMEOUT;
        } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("timed out") ? Outcome.TIMEOUT : Outcome.REFUSED;
        } catch (IOException e) {
            return Outcome.REFUSED;
        }
    }

    @Override
    public void close() {
        for (NetNamespace h : handles) h.close();
        lan.close();
        wan.close();
        router.close();
    }
}
