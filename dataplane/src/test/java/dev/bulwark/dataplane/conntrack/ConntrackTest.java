package dev.bulwark.dataplane.conntrack;

import static dev.bulwark.dataplane.testing.KernelFeature.CONNTRACK;
import static dev.bulwark.dataplane.testing.KernelFeature.NETNS;
import static dev.bulwark.dataplane.testing.KernelFeature.NFTABLES;
import static dev.bulwark.dataplane.testing.KernelFeature.NFT_CLI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.dataplane.TestNamespace;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.netlink.NetNamespace;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.testing.KernelTest;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * ctnetlink in throwaway namespaces with real (loopback) traffic: a TCP connection, UDP datagrams over IPv4 and IPv6
 * and a ping, all inside the namespace, tracked because the namespace has an nft rule with a ct expression.
 */
@KernelTest({NETNS, NFTABLES, NFT_CLI, CONNTRACK})
class ConntrackTest {

    static final InetAddress LO4 = Inet.parse("127.0.0.1");
    static final InetAddress LO6 = Inet.parse("::1");

    /** A namespace where conntrack is active (an inet output chain with {@code ct state new accept}), accounting on. */
    static final class Lab implements AutoCloseable {
        final TestNamespace t;
        final NetNamespace ns;
        final NetlinkSocket socket;
        final List<AutoCloseable> open = new ArrayList<>();

        Lab(String prefix) {
            t = TestNamespace.create(prefix);
            NetNamespace n = null;
            try {
                t.exec("nft", "add table inet bwct; add chain inet bwct out { type filter hook output priority 0; };"
                        + " add rule inet bwct out ct state new accept");
                n = NetNamespace.named(t.name());
                Sysctls.apply(n, Map.of("nf_conntrack_acct", 1L));
                socket = n.open(NetlinkSocket.NETLINK_NETFILTER);
            } catch (RuntimeException | Error e) {
                // a failed set-up removes what it made: the namespace goes also when the test never starts
                if (n != null) n.close();
                t.close();
                throw e;
            }
            ns = n;
        }

        /** An established TCP connection to a server on 127.0.0.1, data sent both ways; returns {client port, server port}. */
        int[] tcp() throws Exception {
            ServerSocketChannel server = ns.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(LO4, 0)));
            open.add(server);
            SocketChannel client = ns.call(() -> SocketChannel.open(server.getLocalAddress()));
            open.add(client);
            SocketChannel accepted = server.accept();
            open.add(accepted);
            client.write(ByteBuffer.wrap("hello".getBytes()));
            accepted.read(ByteBuffer.allocate(16));
            accepted.write(ByteBuffer.wrap("world".getBytes()));
            client.read(ByteBuffer.allocate(16));
            return new int[]{((InetSocketAddress) client.getLocalAddress()).getPort(), ((InetSocketAddress) server.getLocalAddress()).getPort()};
        }

        /** A datagram from a fresh socket to {@code to:port} (nobody listens: the entry stays UNREPLIED); returns the source port. */
        int udp(InetAddress to, int port) throws Exception {
            DatagramChannel ch = ns.call(DatagramChannel::open);
            open.add(ch);
            ch.send(ByteBuffer.wrap(new byte[]{1, 2, 3}), new InetSocketAddress(to, port));
            return ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }

        List<ConntrackEntry> list(ConntrackFilter f) {
            List<ConntrackEntry> out = new ArrayList<>();
            Conntrack.list(socket, f, out::add);
            return out;
        }

        @Override
        public void close() {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            socket.close();
            ns.close();
            t.close();
        }
    }

    static ConntrackEntry only(List<ConntrackEntry> entries, Predicate<ConntrackEntry> p) {
        List<ConntrackEntry> m = entries.stream().filter(p).toList();
        assertThat(m).as("entries matching in %s", entries).hasSize(1);
        return m.getFirst();
    }

    @Test
    void listShowsTcpUdpAndIcmpEntriesAsTheConntrackCliDoes() throws Exception {
        try (Lab lab = new Lab("ctlist")) {
            int[] tcp = lab.tcp();
            int udp4 = lab.udp(LO4, 5353);
            int udp6 = lab.udp(LO6, 5354);
            lab.t.exec("ping", "-c1", "-W1", "127.0.0.1");

            List<ConntrackEntry> all = lab.list(ConntrackFilter.ALL);
            all.forEach(e -> System.out.println("  " + e));

            ConntrackEntry t = only(all, e -> e.protocol() == 6 && e.original().destinationPort() == tcp[1]);
            assertThat(t.family()).isEqualTo(Inet.AF_INET);
            assertThat(t.protocolName()).isEqualTo("tcp");
            assertThat(t.original()).isEqualTo(ConntrackEntry.Tuple.ports(LO4, LO4, tcp[0], tcp[1]));
            assertThat(t.reply()).isEqualTo(ConntrackEntry.Tuple.ports(LO4, LO4, tcp[1], tcp[0]));
            assertThat(t.tcpState()).isEqualTo("ESTABLISHED");
            assertThat(t.status()).contains(ConntrackEntry.Status.ASSURED, ConntrackEntry.Status.SEEN_REPLY, ConntrackEntry.Status.CONFIRMED);
            assertThat(t.timeout()).isBetween(1L, 432_000L);
            assertThat(t.counters()).isNotNull();
            assertThat(t.counters().originalPackets()).isGreaterThanOrEqualTo(3); // SYN, ACK, data
            assertThat(t.counters().replyBytes()).isPositive();
            assertThat(t.id()).isPositive();
            assertThat(t.zone()).isZero();
            assertThat(t.mark()).isZero();

            ConntrackEntry u4 = only(all, e -> e.protocol() == 17 && e.family() == Inet.AF_INET);
            assertThat(u4.original()).isEqualTo(ConntrackEntry.Tuple.ports(LO4, LO4, udp4, 5353));
            assertThat(u4.tcpState()).isNull();
            assertThat(u4.has(ConntrackEntry.Status.SEEN_REPLY)).isFalse();
            assertThat(u4.timeout()).isBetween(1L, 30L);

            ConntrackEntry u6 = only(all, e -> e.protocol() == 17 && e.family() == Inet.AF_INET6);
            assertThat(u6.familyName()).isEqualTo("ipv6");
            assertThat(u6.original()).isEqualTo(ConntrackEntry.Tuple.ports(LO6, LO6, udp6, 5354));

            ConntrackEntry icmp = only(all, e -> e.protocol() == 1);
            assertThat(icmp.protocolName()).isEqualTo("icmp");
            assertThat(icmp.original().icmpType()).isEqualTo(8);
            assertThat(icmp.reply().icmpType()).isZero();
            assertThat(icmp.original().icmpId()).isEqualTo(icmp.reply().icmpId());
            assertThat(icmp.original().hasPorts()).isFalse();

            // The same entry as the conntrack CLI prints it (timeout and use count aside).
            String cli = lab.t.exec("conntrack", "-L", "-o", "extended,id", "-p", "tcp", "--dport", Integer.toString(tcp[1])).strip();
            System.out.println("conntrack -L: " + cli);
            System.out.println("ours:         " + t);
            assertThat(withoutTimeoutAndUse(t.toString())).isEqualTo(withoutTimeoutAndUse(cli));
            String cliUdp6 = lab.t.exec("conntrack", "-L", "-o", "extended,id", "-f", "ipv6", "-p", "udp").strip();
            assertThat(withoutTimeoutAndUse(lab.list(ConntrackFilter.ALL.withAddress(LO6)).getFirst().toString()))
                    .isEqualTo(withoutTimeoutAndUse(cliUdp6));

            // The kernel's counter, a streamed count and the CLI agree.
            assertThat(Conntrack.count(lab.socket)).isEqualTo(4).isEqualTo(Conntrack.count(lab.socket, ConntrackFilter.ALL));
            assertThat(lab.t.exec("conntrack", "-C").strip()).isEqualTo("4");
            long changes = lab.socket.changesSent();
            Conntrack.count(lab.socket);
            assertThat(lab.socket.changesSent()).as("reads are not changes").isEqualTo(changes);
        }
    }

    /** One line of {@code conntrack -L -o extended,id} or {@link ConntrackEntry#toString()}, single-spaced, without the timeout and use=. */
    static String withoutTimeoutAndUse(String output) {
        List<String> lines = output.lines().filter(l -> l.startsWith("ipv")).toList(); // the summary goes to stderr
        assertThat(lines).as("entry lines in %s", output).hasSize(1);
        String[] w = lines.getFirst().strip().split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            if (i == 4 || w[i].startsWith("use=")) continue; // "ipv4 2 tcp 6 TIMEOUT ..."
            out.add(w[i]);
        }
        return String.join(" ", out);
    }

    @Test
    void filtersNarrowByPortProtocolAndAddress() throws Exception {
        try (Lab lab = new Lab("ctfilter")) {
            int[] tcp = lab.tcp();
            int udp4 = lab.udp(LO4, 5353);
            lab.udp(LO6, 5353);
            lab.udp(LO4, 6000);
            lab.t.exec("ping", "-c1", "-W1", "127.0.0.1");
            assertThat(lab.list(ConntrackFilter.ALL)).hasSize(5);

            // The server port is the destination of the original tuple and the source of the reply; the client port the reverse.
            assertThat(lab.list(ConntrackFilter.ALL.withPort(tcp[1]))).singleElement().satisfies(e -> assertThat(e.protocol()).isEqualTo(6));
            assertThat(lab.list(ConntrackFilter.ALL.withPort(tcp[0]))).singleElement().satisfies(e -> assertThat(e.protocol()).isEqualTo(6));
            assertThat(lab.list(ConntrackFilter.ALL.withPort(udp4))).singleElement().satisfies(e -> assertThat(e.original().sourcePort()).isEqualTo(udp4));
            assertThat(lab.list(ConntrackFilter.ALL.withPort(5353))).hasSize(2).allSatisfy(e -> assertThat(e.protocol()).isEqualTo(17));
            assertThat(lab.list(ConntrackFilter.ALL.withPort(5353).withProtocol(6))).isEmpty();
            assertThat(lab.list(ConntrackFilter.ALL.withProtocol(17))).hasSize(3);
            assertThat(lab.list(ConntrackFilter.ALL.withProtocol(1))).singleElement().satisfies(e -> assertThat(e.original().icmpType()).isEqualTo(8));
            assertThat(lab.list(ConntrackFilter.ALL.withAddress(LO6))).singleElement().satisfies(e -> assertThat(e.family()).isEqualTo(Inet.AF_INET6));
            assertThat(lab.list(ConntrackFilter.ALL.withAddress(LO4))).hasSize(4);
            assertThat(lab.list(ConntrackFilter.ALL.withAddress(LO4).withPort(5353))).singleElement()
                    .satisfies(e -> assertThat(e.family()).isEqualTo(Inet.AF_INET));
            assertThat(lab.list(ConntrackFilter.ALL.withAddress(Inet.parse("192.0.2.1")))).isEmpty();
            assertThat(Conntrack.count(lab.socket, ConntrackFilter.ALL.withProtocol(17))).isEqualTo(3);
        }
    }

    @Test
    void flushWithAFilterDeletesOnlyThoseAndFlushAllEmptiesTheTable() throws Exception {
        try (Lab lab = new Lab("ctflush")) {
            int[] tcp = lab.tcp();
            lab.udp(LO4, 5353);
            lab.udp(LO6, 5353);
            lab.udp(LO4, 6000);
            lab.t.exec("ping", "-c1", "-W1", "127.0.0.1");
            assertThat(lab.list(ConntrackFilter.ALL)).hasSize(5);

            assertThat(Conntrack.flush(lab.socket, ConntrackFilter.ALL.withPort(5353))).isEqualTo(2);
            List<ConntrackEntry> left = lab.list(ConntrackFilter.ALL);
            assertThat(left).hasSize(3).noneMatch(e -> e.original().destinationPort() == 5353);
            assertThat(lab.t.exec("conntrack", "-L", "-p", "udp")).doesNotContain("dport=5353 ").contains("dport=6000 ");

            // A filter that matches nothing deletes nothing.
            assertThat(Conntrack.flush(lab.socket, ConntrackFilter.ALL.withAddress(Inet.parse("192.0.2.1")))).isZero();
            assertThat(Conntrack.flush(lab.socket, ConntrackFilter.ALL.withProtocol(1))).isEqualTo(1);
            assertThat(lab.list(ConntrackFilter.ALL)).extracting(ConntrackEntry::protocol).containsExactlyInAnyOrder(6, 17);

            // Deleting one entry: gone once, then ENOENT (false). The TCP connection itself lives on untouched.
            ConntrackEntry t = only(lab.list(ConntrackFilter.ALL), e -> e.protocol() == 6);
            assertThat(Conntrack.delete(lab.socket, t)).isTrue();
            assertThat(Conntrack.delete(lab.socket, t)).isFalse();
            assertThat(lab.list(ConntrackFilter.ALL.withPort(tcp[1]))).isEmpty();

            // The id guards the delete: an entry with the right tuple but another id (a newer entry that reuses the
            // tuple) is left alone. (The kernel derives ids from the entry's memory and tuple, so a re-created entry
            // can get the same id back; a changed id is forged here.)
            lab.udp(LO4, 7000);
            ConntrackEntry u = only(lab.list(ConntrackFilter.ALL.withPort(7000)), e -> true);
            ConntrackEntry stale = new ConntrackEntry(u.family(), u.protocol(), u.original(), u.reply(), u.tcpState(),
                    u.timeout(), u.mark(), u.status(), u.zone(), u.counters(), u.helper(), (u.id() + 1) & 0xFFFF_FFFFL);
            assertThat(Conntrack.delete(lab.socket, stale)).as("other id: ENOENT, entry kept").isFalse();
            assertThat(lab.list(ConntrackFilter.ALL.withPort(7000))).extracting(ConntrackEntry::id).containsExactly(u.id());

            long before = Conntrack.count(lab.socket);
            assertThat(before).isEqualTo(2);
            assertThat(Conntrack.flush(lab.socket, ConntrackFilter.ALL)).isEqualTo(before);
            assertThat(lab.list(ConntrackFilter.ALL)).isEmpty();
            assertThat(Conntrack.count(lab.socket)).isZero();
            assertThat(lab.t.exec("conntrack", "-C").strip()).isEqualTo("0");
            assertThat(Conntrack.flush(lab.socket, ConntrackFilter.ALL)).isZero();
        }
    }

    @Test
    void aNamespaceSeesOnlyItsOwnEntries() throws Exception {
        try (Lab a = new Lab("cta"); Lab b = new Lab("ctb")) {
            int[] tcp = a.tcp();
            a.udp(LO4, 5353);
            b.udp(LO4, 6000);
            assertThat(a.list(ConntrackFilter.ALL)).hasSize(2).noneMatch(e -> e.original().destinationPort() == 6000);
            assertThat(b.list(ConntrackFilter.ALL)).singleElement().satisfies(e -> assertThat(e.original().destinationPort()).isEqualTo(6000));
            assertThat(b.list(ConntrackFilter.ALL.withPort(tcp[1]))).isEmpty();

            // Flushing b's whole table leaves a's alone.
            assertThat(Conntrack.flush(b.socket, ConntrackFilter.ALL)).isEqualTo(1);
            assertThat(b.list(ConntrackFilter.ALL)).isEmpty();
            assertThat(a.list(ConntrackFilter.ALL)).hasSize(2);
            assertThat(Conntrack.count(a.socket)).isEqualTo(2);
        }
        // A namespace where conntrack never became active has an empty table.
        try (TestNamespace t = TestNamespace.create("ctnone"); NetNamespace ns = NetNamespace.named(t.name());
             NetlinkSocket s = ns.open(NetlinkSocket.NETLINK_NETFILTER)) {
            assertThat(Conntrack.count(s)).isZero();
            assertThat(Conntrack.count(s, ConntrackFilter.ALL)).isZero();
            assertThat(Conntrack.flush(s, ConntrackFilter.ALL.withProtocol(6))).isZero();
        }
    }

    static final int FLOWS = 5_000;

    @Test
    void fiveThousandFlowsStreamInBoundedMemoryAndFlushByFilter() throws Exception {
        try (Lab lab = new Lab("ctbig")) {
            lab.tcp();
            DatagramChannel ch = lab.ns.call(DatagramChannel::open);
            lab.open.add(ch);
            ByteBuffer one = ByteBuffer.wrap(new byte[]{1});
            long t0 = System.nanoTime();
            for (int i = 0; i < FLOWS; i++) ch.send(one.rewind(), new InetSocketAddress(LO4, 20_000 + i));
            long t1 = System.nanoTime();
            assertThat(Conntrack.count(lab.socket)).isEqualTo(FLOWS + 1);

            // Streamed with a consumer that only counts (and keeps a weak reference to each entry, to see which are
            // still reachable): in the middle of the dump, the entries handed over so far are garbage, and the heap
            // has not grown by a table's worth.
            int total = FLOWS + 1;
            @SuppressWarnings("unchecked")
            WeakReference<ConntrackEntry>[] seen = new WeakReference[total];
            long base = usedHeapAfterGc();
            int[] n = {0};
            long[] middle = {0, 0};
            long t2 = System.nanoTime();
            Conntrack.list(lab.socket, ConntrackFilter.ALL, e -> {
                seen[n[0]++] = new WeakReference<>(e);
                if (n[0] == total / 2) {
                    middle[0] = usedHeapAfterGc() - base;
                    middle[1] = live(seen, n[0] - 1); // all but the one in hand
                }
            });
            long t3 = System.nanoTime();
            assertThat(n[0]).isEqualTo(total);
            long streamedTime = t3 - t2; // including the GCs in the middle

            // For comparison: the same table collected in a list.
            long base2 = usedHeapAfterGc();
            List<ConntrackEntry> all = new ArrayList<>();
            long t4 = System.nanoTime();
            Conntrack.list(lab.socket, ConntrackFilter.ALL, e -> {
                all.add(e);
                if (all.size() <= total) seen[all.size() - 1] = new WeakReference<>(e);
            });
            long t5 = System.nanoTime();
            long collected = usedHeapAfterGc() - base2;
            long collectedLive = live(seen, total);
            Reference.reachabilityFence(all);
            assertThat(all).hasSize(total);

            System.out.printf("%d flows created in %d ms; streamed dump of %d entries %d ms: in its middle %d of %d entries"
                            + " handed over still reachable, heap %+d KiB; collected dump %d ms: %d reachable, heap %+d KiB"
                            + " (%d bytes/entry)%n",
                    FLOWS, (t1 - t0) / 1_000_000, total, streamedTime / 1_000_000, middle[1], total / 2 - 1,
                    middle[0] / 1024, (t5 - t4) / 1_000_000, collectedLive, collected / 1024, collected / total);
            assertThat(middle[1]).as("entries still reachable in the middle of a streamed dump").isZero();
            assertThat(collectedLive).as("entries reachable in a collected dump").isEqualTo(total);
            assertThat(middle[0]).as("heap growth in the middle of the stream").isLessThan(collected / 2);
            assertThat(t3 - t2).as("streamed dump time").isLessThan(5_000_000_000L);

            // A consumer that fails midway: its exception passes on, and the socket is fit for the next dump (the rest
            // of the failed one was read and dropped, or the kernel would answer EBUSY).
            int[] handed = {0};
            assertThatThrownBy(() -> Conntrack.list(lab.socket, ConntrackFilter.ALL, e -> {
                if (++handed[0] == 10) throw new IllegalStateException("consumer gave up");
            })).hasMessage("consumer gave up");
            assertThat(handed[0]).isEqualTo(10);
            long t6 = System.nanoTime();
            assertThat(Conntrack.count(lab.socket, ConntrackFilter.ALL)).isEqualTo(total);
            long t7 = System.nanoTime();

            // Flush the UDP flows by filter, from two sockets at once: each entry is deleted once, whoever comes
            // second gets ENOENT, which is no error and not counted. The TCP entry stays.
            try (NetlinkSocket other = lab.ns.open(NetlinkSocket.NETLINK_NETFILTER)) {
                ConntrackFilter udp = ConntrackFilter.ALL.withProtocol(17).withAddress(LO4);
                long t8 = System.nanoTime();
                CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> Conntrack.flush(other, udp));
                long deleted = Conntrack.flush(lab.socket, udp);
                long deletedByOther = second.get(30, TimeUnit.SECONDS);
                long t9 = System.nanoTime();
                System.out.printf("plain streamed count %d ms; two concurrent filtered flushes deleted %d + %d entries in %d ms%n",
                        (t7 - t6) / 1_000_000, deleted, deletedByOther, (t9 - t8) / 1_000_000);
                assertThat(deleted + deletedByOther).isEqualTo(FLOWS);
                assertThat(t9 - t8).as("filtered flush time").isLessThan(5_000_000_000L);
            }
            assertThat(lab.list(ConntrackFilter.ALL)).singleElement().satisfies(e -> assertThat(e.protocol()).isEqualTo(6));
        }
    }

    /** How many of the first {@code count} referents are still reachable, after a GC. */
    static long live(WeakReference<?>[] refs, int count) {
        usedHeapAfterGc();
        long live = 0;
        for (int i = 0; i < count; i++) if (refs[i] != null && refs[i].get() != null) live++;
        return live;
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
