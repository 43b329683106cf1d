package dev.bulwark.tests.net;

import dev.bulwark.dataplane.netlink.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real packets between namespaces, from Java: sockets are created on a namespace's own thread (so they live in that
 * namespace) and then used from the test thread. Every wait is bounded.
 */
public final class Traffic {
    private Traffic() {
    }

    /** How a TCP connection attempt ended: accepted, actively refused (RST / ICMP), or silently dropped. */
    public enum Outcome { CONNECTED, REFUSED, TIMEOUT }

    /** A TCP server in a namespace that accepts and closes connections, remembering each peer address. */
    public static final class TcpServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<InetAddress> peers = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        TcpServer(ServerSocket socket) {
            this.socket = socket;
            this.acceptor = Thread.ofPlatform().daemon().name("test-tcp-server").start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        peers.add(s.getInetAddress());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        /**
         * Source addresses of accepted connections, in order (shows whether NAT rewrote them). Waits up to a second
         * for at least {@code expected} of them, since the acceptor runs behind the client's connect.
         */
        public List<InetAddress> peers(int expected) {
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (peers.size() < expected && System.nanoTime() < deadline) Thread.onSpinWait();
            return List.copyOf(peers);
        }

        @Override
        public void close() {
            try {
                socket.close();
                acceptor.join(2000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static TcpServer tcpServer(NetNamespace ns, int port) {
        return ns.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return new TcpServer(s);
        });
    }

    /** Connects from {@code ns} to {@code address:port}, waiting at most {@code timeoutMs}. */
    public static Outcome connect(NetNamespace ns, String address, int port, int timeoutMs) {
        return connectFrom(ns, null, address, port, timeoutMs);
    }

    /** Like {@link #connect}, from a given source address of the namespace (null: the kernel's choice). */
    public static Outcome connectFrom(NetNamespace ns, String source, String address, int port, int timeoutMs) {
        // The descriptor is made by bind(), so bind on the namespace's thread: the socket then lives there.
        Socket s = ns.call(() -> {
            Socket sock = new Socket();
            sock.bind(source == null ? null : new InetSocketAddress(InetAddress.getByName(source), 0));
            return sock;
        });
        try (s) {
            s.connect(new InetSocketAddress(InetAddress.getByName(address), port), timeoutMs);
            return Outcome.CONNECTED;
        } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("timed out") ? Outcome.TIMEOUT : Outcome.REFUSED;
        } catch (SocketTimeoutException e) {
            return Outcome.TIMEOUT;
        } catch (IOException e) {
            // "No route to host" is an ICMP error: the packet was refused, not dropped silently.
            return Outcome.REFUSED;
        }
    }

    /** A UDP echo server in a namespace. */
    public static final class UdpEcho implements AutoCloseable {
        private final DatagramSocket socket;

        UdpEcho(DatagramSocket socket) {
            this.socket = socket;
            Thread.ofPlatform().daemon().name("test-udp-echo").start(() -> {
                byte[] buf = new byte[1500];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    public static UdpEcho udpEcho(NetNamespace ns, int port) {
        return ns.call(() -> new UdpEcho(new DatagramSocket(port)));
    }

    /** Sends one datagram from {@code ns} and waits at most {@code timeoutMs} for the echo. */
    public static boolean udpRoundTrip(NetNamespace ns, String address, int port, int timeoutMs) {
        DatagramSocket s = ns.call(DatagramSocket::new);
        try (s) {
            s.setSoTimeout(timeoutMs);
            byte[] msg = "bulwark".getBytes();
            s.send(new DatagramPacket(msg, msg.length, new InetSocketAddress(InetAddress.getByName(address), port)));
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            s.receive(reply);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
