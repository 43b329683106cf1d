package dev.bulwark.dataplane.netlink;

import dev.bulwark.dataplane.ffm.LibC;
import dev.bulwark.dataplane.ffm.LibMnl;
import dev.bulwark.dataplane.ffm.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A netlink socket (libmnl) with request/response handling: sequence numbers, ACKs, dumps, errors with the kernel's
 * extended-ACK message. Not thread-safe: one user at a time (control's single writer). Opened through
 * {@link NetNamespace#open(int)} so that it lives in the right namespace.
 */
public final class NetlinkSocket implements AutoCloseable {

    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_NETFILTER = 12;

    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    /** The first message type that is not a netlink control message (NOOP, ERROR, DONE, OVERRUN). */
    public static final int NLMSG_MIN_TYPE = 0x10;
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;
    private static final int NLMSGERR_ATTR_OFFS = 2;

    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_ADD_MEMBERSHIP = 1;
    private static final int NETLINK_DROP_MEMBERSHIP = 2;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int RECV_BUFFER = 1 << 20;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment sock;
    private final MemorySegment recvBuf;
    private final MemorySegment errnoBuf;
    private final int fd;
    private final int portId;
    private int seq = (int) (System.nanoTime() & 0x3FFF_FFFF);
    private final AtomicLong messagesSent = new AtomicLong();
    private final AtomicLong changesSent = new AtomicLong();
    private final AtomicLong sendCalls = new AtomicLong();
    private final AtomicLong receiveCalls = new AtomicLong();
    private boolean closed;
    private boolean overflowed;
    private int sendBuffer = 200_000;
    private int receiveBuffer = 200_000;
    /** The sequence number of the request whose reply {@link #stream} is reading, or null. */
    private Integer streamSeq;
    /** Answers still due to requests sent with {@link #sendDuringStream}, by sequence number. */
    private final Map<Integer, IntConsumer> pending = new HashMap<>();
    private static final int ANSWER_WAIT_MILLIS = 5_000;

    private NetlinkSocket(MemorySegment sock) {
        this.sock = sock;
        this.recvBuf = arena.allocate(RECV_BUFFER, 8);
        this.errnoBuf = Native.errnoBuffer(arena);
        try {
            this.fd = (int) LibMnl.SOCKET_GET_FD.invokeExact(sock);
            this.portId = (int) LibMnl.SOCKET_GET_PORTID.invokeExact(sock);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Opens and binds a socket in the calling thread's namespace, joined to the multicast {@code groups} (for
     * notifications; none for a request socket); use {@link NetNamespace#open(int)} or {@link NetNamespace#subscribe}.
     */
    static NetlinkSocket open(int bus, int... groups) {
        MemorySegment s;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            s = (MemorySegment) LibMnl.SOCKET_OPEN.invokeExact(err, bus);
            if (s.equals(MemorySegment.NULL)) throw new NetlinkException("open netlink socket (bus " + bus + ")", Native.errno(err), null);
            int r = (int) LibMnl.SOCKET_BIND.invokeExact(err, s, 0, 0);
            if (r < 0) {
                int e = Native.errno(err);
                int ignored = (int) LibMnl.SOCKET_CLOSE.invokeExact(s);
                throw new NetlinkException("bind netlink socket", e, null);
            }
            MemorySegment one = a.allocateFrom(ValueLayout.JAVA_INT, 1);
            // Extended ACKs carry the kernel's explanation; capped ACKs do not echo our whole request back.
            int ignoredExt = (int) LibMnl.SOCKET_SETSOCKOPT.invokeExact(err, s, NETLINK_EXT_ACK, one, 4);
            int ignoredCap = (int) LibMnl.SOCKET_SETSOCKOPT.invokeExact(err, s, NETLINK_CAP_ACK, one, 4);
            for (int group : groups) {
                MemorySegment g = a.allocateFrom(ValueLayout.JAVA_INT, group);
                int r2 = (int) LibMnl.SOCKET_SETSOCKOPT.invokeExact(err, s, NETLINK_ADD_MEMBERSHIP, g, 4);
                if (r2 < 0) {
                    int e = Native.errno(err);
                    int ignored = (int) LibMnl.SOCKET_CLOSE.invokeExact(s);
                    throw new NetlinkException("join netlink multicast group " + group + " (bus " + bus + ")", e, null);
                }
            }
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        return new NetlinkSocket(s);
    }

    public int portId() {
        return portId;
    }

    /** The next sequence number to put in a request. */
    public int nextSeq() {
        return ++seq;
    }

    /** Netlink messages sent so far, reads (dumps) included. */
    public long messagesSent() {
        return messagesSent.get();
    }

    /** Send system calls (datagrams sent) so far. */
    public long sendCalls() {
        return sendCalls.get();
    }

    /** Receive system calls so far (those that found nothing to read included). */
    public long receiveCalls() {
        return receiveCalls.get();
    }

    /**
     * Messages sent so far that may change the kernel: everything but dump requests (a batch counts each of its
     * messages). A no-op reconcile must not move this.
     */
    public long changesSent() {
        return changesSent.get();
    }

    /**
     * Sends one request message (built in {@code msg}, {@code length} bytes, with sequence {@code seq} and NLM_F_ACK
     * or NLM_F_DUMP set) and collects the data messages of the reply until the ACK or the end of the dump. For a dump
     * whose size is not known in advance, use {@link #stream} instead.
     */
    public List<NetlinkMessage> request(MemorySegment msg, long length, int seq, String operation) {
        List<NetlinkMessage> out = new ArrayList<>();
        stream(msg, length, seq, operation, out::add);
        return out;
    }

    /**
     * Like {@link #request}, but hands each data message of the reply to {@code each} as soon as its datagram is
     * read, instead of collecting them: a dump of any size passes through the one receive buffer, and the Java heap
     * holds only the message in hand (a copy the consumer may keep or drop).
     *
     * <p>From inside {@code each}, further requests may go out on this same socket with {@link #sendDuringStream};
     * their answers arrive interleaved with the dump and are handed over by sequence number. This call returns when
     * the reply has ended and every such answer is in.
     *
     * <p>When {@code each} throws, the rest of the reply is read and dropped before the exception passes on: a socket
     * left with an unfinished dump would have its next dump refused by the kernel (EBUSY).
     */
    public void stream(MemorySegment msg, long length, int seq, String operation, Consumer<NetlinkMessage> each) {
        int flags = Short.toUnsignedInt(msg.get(NetlinkMessage.U16, 6));
        // Dumps carry ROOT|MATCH (0x300); no change request sets both REPLACE and EXCL, which share those bits.
        stream(msg, length, seq, operation, each, (flags & NLM_F_DUMP) != NLM_F_DUMP);
    }

    /**
     * Like {@link #request} for a request that only reads although it is not a dump (a GET answered with one message
     * and an ACK, such as {@code conntrack -C}'s statistics): it is not counted in {@link #changesSent()}.
     */
    public List<NetlinkMessage> query(MemorySegment msg, long length, int seq, String operation) {
        List<NetlinkMessage> out = new ArrayList<>();
        stream(msg, length, seq, operation, out::add, false);
        return out;
    }

    private void stream(MemorySegment msg, long length, int seq, String operation, Consumer<NetlinkMessage> each, boolean change) {
        if (streamSeq != null) throw new IllegalStateException("a reply is already being streamed on this socket");
        send(msg, length, 1, operation);
        if (change) changesSent.incrementAndGet();
        streamSeq = seq;
        RuntimeException failure = null;
        try {
            boolean ended = false;
            while (!ended) {
                long n = receive(operation, false);
                for (long off = 0; off + NetlinkMessage.HEADER <= n; ) {
                    int len = recvBuf.get(NetlinkMessage.U32, off);
                    if (len < NetlinkMessage.HEADER || off + len > n) {
                        throw new NetlinkException(operation + " (malformed reply)", 74, null);
                    }
                    long at = off;
                    off += (len + 3) & ~3;
                    int type = Short.toUnsignedInt(recvBuf.get(NetlinkMessage.U16, at + 4));
                    int mseq = recvBuf.get(NetlinkMessage.U32, at + 8);
                    if (mseq != seq || ended) {
                        // An answer to sendDuringStream, or a late reply to an earlier request.
                        try {
                            answer(at, len, type, mseq);
                        } catch (RuntimeException e) {
                            if (failure == null) failure = e;
                        }
                        continue;
                    }
                    if (type == NLMSG_ERROR) {
                        ended = true;
                        NetlinkMessage m = NetlinkMessage.copy(recvBuf, at);
                        int error = errorCode(m);
                        if (error != 0 && failure == null) failure = new NetlinkException(operation, -error, extack(m), extackOffset(m));
                        continue;
                    }
                    if (type == NLMSG_DONE) {
                        ended = true;
                        // A dump that failed partway ends with DONE carrying the negative errno (and extended-ACK TLVs
                        // right after it): the messages so far are not the whole state, so fail instead of ending.
                        NetlinkMessage m = NetlinkMessage.copy(recvBuf, at);
                        if (failure == null && m.payload().byteSize() >= 4 && errorCode(m) < 0) {
                            String text = (m.flags() & NLM_F_ACK_TLVS) != 0 && m.payload().byteSize() > 4
                                    ? Attributes.parse(m.payload(), 4).string(NLMSGERR_ATTR_MSG) : null;
                            failure = new NetlinkException(operation, -errorCode(m), text);
                        }
                        continue;
                    }
                    if (failure != null) continue; // the consumer failed: read on to the end, hand nothing more
                    try {
                        each.accept(NetlinkMessage.copy(recvBuf, at));
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                }
            }
            awaitAnswers(operation);
        } finally {
            streamSeq = null;
            pending.clear();
        }
        if (failure != null) throw failure;
    }

    /**
     * Sends a request from inside the consumer of {@link #stream} (for instance, deleting each dumped entry that
     * matches) without waiting for its answer. {@code msg} must carry NLM_F_ACK. The kernel handles a request inside
     * the send call, so the answer is queued at once, behind or between the dump's datagrams; the running
     * {@link #stream} hands it to {@code answer} as it reads on (0 for success, else the positive errno) and does not
     * return before every answer is in. Each answer takes receive-buffer space until then: for many requests per
     * datagram, grow the buffer first ({@link #ensureBuffers}).
     */
    public void sendDuringStream(MemorySegment msg, long length, int seq, String operation, IntConsumer answer) {
        if (streamSeq == null) throw new IllegalStateException("sendDuringStream works only inside stream()'s consumer");
        int flags = Short.toUnsignedInt(msg.get(NetlinkMessage.U16, 6));
        if ((flags & NLM_F_ACK) == 0) throw new IllegalArgumentException(operation + ": a request sent during a stream needs NLM_F_ACK");
        if (seq == streamSeq || pending.containsKey(seq)) throw new IllegalArgumentException(operation + ": sequence " + seq + " is in use");
        send(msg, length, 1, operation);
        changesSent.incrementAndGet();
        pending.put(seq, answer);
    }

    /** Hands the ERROR/ACK message at {@code at} to the request of {@link #sendDuringStream} it answers, if any. */
    private void answer(long at, int len, int type, int mseq) {
        if (type != NLMSG_ERROR || len < NetlinkMessage.HEADER + 4) return;
        IntConsumer a = pending.remove(mseq);
        if (a == null) return;
        a.accept(-recvBuf.get(NetlinkMessage.U32, at + NetlinkMessage.HEADER));
    }

    /**
     * Reads until every request of {@link #sendDuringStream} has its answer. They were queued when sent, so this
     * waits only briefly; a missing answer (dropped by an overflowing receive buffer) is an error, not a hang.
     */
    private void awaitAnswers(String operation) {
        while (!pending.isEmpty()) {
            long n = receive(operation, true);
            if (n == 0) {
                if (!LibC.pollIn(new int[]{fd}, ANSWER_WAIT_MILLIS)[0]) {
                    throw new NetlinkException(operation + " (" + pending.size() + " answers missing after "
                            + ANSWER_WAIT_MILLIS + " ms)", LibC.ENOBUFS, null);
                }
                continue;
            }
            for (long off = 0; off + NetlinkMessage.HEADER <= n; ) {
                int len = recvBuf.get(NetlinkMessage.U32, off);
                if (len < NetlinkMessage.HEADER || off + len > n) break;
                answer(off, len, Short.toUnsignedInt(recvBuf.get(NetlinkMessage.U16, off + 4)), recvBuf.get(NetlinkMessage.U32, off + 8));
                off += (len + 3) & ~3;
            }
        }
    }

    /**
     * Sends a batch of {@code count} messages at once (an nftables transaction: BEGIN … END) and reads the kernel's
     * answers: an error for each message that failed, an ACK for each that asked for one (NLM_F_ACK), the echo of
     * each sent with NLM_F_ECHO. The kernel handles the batch inside the send call, so all answers are queued when it
     * returns; they are drained without blocking (a receive queue that overflowed fails with ENOBUFS rather than
     * passing for success). The first error fails the batch, with the failing message's sequence number so the caller
     * can name the operation.
     */
    public void batch(MemorySegment msgs, long length, int count, java.util.function.IntFunction<String> operationBySeq) {
        batch(msgs, length, count, operationBySeq, m -> { });
    }

    /**
     * Like {@link #batch(MemorySegment, long, int, java.util.function.IntFunction)}, and hands every answer that is not
     * an ACK or error (the kernel's echo of messages sent with NLM_F_ECHO) to {@code replies}, in arrival order.
     */
    public void batch(MemorySegment msgs, long length, int count, java.util.function.IntFunction<String> operationBySeq,
                      java.util.function.Consumer<NetlinkMessage> replies) {
        send(msgs, length, count, "send nftables batch");
        changesSent.addAndGet(count);
        NetlinkException first = null;
        while (true) {
            long n = receive("read nftables batch result", true);
            if (n <= 0) break;
            for (long off = 0; off + NetlinkMessage.HEADER <= n; ) {
                NetlinkMessage m = NetlinkMessage.copy(recvBuf, off);
                int len = recvBuf.get(NetlinkMessage.U32, off);
                if (len < NetlinkMessage.HEADER) break;
                off += (len + 3) & ~3;
                if (m.type() == NLMSG_ERROR) {
                    int error = errorCode(m);
                    if (error != 0 && first == null) {
                        first = new NetlinkException(operationBySeq.apply(m.seq()), -error, extack(m), extackOffset(m));
                    }
                } else if (m.type() != NLMSG_DONE) {
                    replies.accept(m);
                }
            }
        }
        if (first != null) throw first;
    }

    /**
     * Waits up to {@code timeoutMillis} until one of {@code sockets} has something to read ({@code poll(2)}); returns
     * which ones do, in the order given (none on a timeout).
     */
    public static boolean[] awaitReadable(List<NetlinkSocket> sockets, int timeoutMillis) {
        int[] fds = new int[sockets.size()];
        for (int i = 0; i < fds.length; i++) {
            if (sockets.get(i).closed) throw new IllegalStateException("netlink socket is closed");
            fds[i] = sockets.get(i).fd;
        }
        return LibC.pollIn(fds, timeoutMillis);
    }

    /**
     * Every message queued on this socket now, without waiting: on a socket opened with multicast groups, the
     * kernel's notifications ({@code ip monitor}, {@code nft monitor}), each with the port id of the socket whose
     * request caused it in {@link NetlinkMessage#pid()} (0 when the kernel acted on its own). When the socket's queue
     * had overflowed (the kernel dropped notifications: ENOBUFS), {@link #takeOverflow()} says so afterwards.
     */
    public List<NetlinkMessage> drain() {
        if (closed) throw new IllegalStateException("netlink socket is closed");
        List<NetlinkMessage> out = new ArrayList<>();
        while (true) {
            receiveCalls.incrementAndGet();
            long n = LibC.recv(errnoBuf, fd, recvBuf, LibC.MSG_DONTWAIT);
            if (n < 0) {
                int e = Native.errno(errnoBuf);
                if (e == LibC.EINTR) continue;
                if (e == LibC.EAGAIN) return out;
                if (e == LibC.ENOBUFS) { // reported once, before the messages still queued
                    overflowed = true;
                    continue;
                }
                throw new NetlinkException("receive notifications", e, null);
            }
            if (n == 0) return out;
            for (long off = 0; off + NetlinkMessage.HEADER <= n; ) {
                int len = recvBuf.get(NetlinkMessage.U32, off);
                if (len < NetlinkMessage.HEADER || off + len > n) break;
                NetlinkMessage m = NetlinkMessage.copy(recvBuf, off);
                off += (len + 3) & ~3;
                if (m.type() >= NLMSG_MIN_TYPE) out.add(m); // not NOOP, ERROR, DONE, OVERRUN
            }
        }
    }

    /** Whether the kernel dropped notifications for this socket (ENOBUFS) since the last call; clears the flag. */
    public boolean takeOverflow() {
        boolean o = overflowed;
        overflowed = false;
        return o;
    }

    /** Joins the multicast {@code group} (NETLINK_ADD_MEMBERSHIP): its notifications are queued from now on. */
    public void joinGroup(int group) {
        membership(NETLINK_ADD_MEMBERSHIP, group, "join");
    }

    /**
     * Leaves the multicast {@code group} (NETLINK_DROP_MEMBERSHIP): its notifications are no longer queued, and once
     * no socket on the machine is in the group the kernel stops building them. Safe to call while another thread
     * waits on or drains this socket (it shares no buffer with them).
     */
    public void leaveGroup(int group) {
        membership(NETLINK_DROP_MEMBERSHIP, group, "leave");
    }

    private void membership(int option, int group, String what) {
        if (closed) throw new IllegalStateException("netlink socket is closed");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Native.errnoBuffer(a);
            int r = (int) LibMnl.SOCKET_SETSOCKOPT.invokeExact(err, sock, option, a.allocateFrom(ValueLayout.JAVA_INT, group), 4);
            if (r < 0) throw new NetlinkException(what + " netlink multicast group " + group, Native.errno(err), null);
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Makes sure the socket can send one datagram of {@code sendBytes} and queue {@code receiveBytes} of answers
     * (an nftables batch is one datagram; its ACKs and echoes are queued before we read them). Grows the kernel
     * buffers with SO_SNDBUFFORCE/SO_RCVBUFFORCE (CAP_NET_ADMIN), falling back to the capped SO_SNDBUF/SO_RCVBUF.
     */
    public void ensureBuffers(long sendBytes, long receiveBytes) {
        int snd = (int) Math.min(Integer.MAX_VALUE / 2, sendBytes + 4096);
        int rcv = (int) Math.min(Integer.MAX_VALUE / 2, receiveBytes + 4096);
        if (snd > sendBuffer) {
            if (LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, snd).failed()) {
                LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_SNDBUF, snd);
            }
            sendBuffer = snd;
        }
        if (rcv > receiveBuffer) {
            if (LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, rcv).failed()) {
                LibC.setsockoptInt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, rcv);
            }
            receiveBuffer = rcv;
        }
    }

    private void send(MemorySegment msg, long length, int count, String operation) {
        if (closed) throw new IllegalStateException("netlink socket is closed");
        try {
            sendCalls.incrementAndGet();
            long r = (long) LibMnl.SOCKET_SENDTO.invokeExact(errnoBuf, sock, msg, length);
            if (r < 0) throw new NetlinkException(operation + " (send)", Native.errno(errnoBuf), null);
            messagesSent.addAndGet(count);
        } catch (NetlinkException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Reads one datagram into the receive buffer; with {@code drain}, returns 0 when nothing is queued. */
    private long receive(String operation, boolean drain) {
        while (true) {
            long n;
            receiveCalls.incrementAndGet();
            if (drain) {
                n = LibC.recv(errnoBuf, fd, recvBuf, LibC.MSG_DONTWAIT);
            } else {
                try {
                    n = (long) LibMnl.SOCKET_RECVFROM.invokeExact(errnoBuf, sock, recvBuf, recvBuf.byteSize());
                } catch (Throwable t) {
                    throw Native.rethrow(t);
                }
            }
            if (n >= 0) return n;
            int e = Native.errno(errnoBuf);
            if (e == LibC.EINTR) continue;
            if (drain && e == LibC.EAGAIN) return 0;
            throw new NetlinkException(operation + " (receive)", e, null);
        }
    }

    private static int errorCode(NetlinkMessage m) {
        return m.payload().get(NetlinkMessage.U32, 0);
    }

    /** The NLMSGERR_ATTR_MSG text of an error message, when the kernel sent extended-ACK TLVs. */
    private static String extack(NetlinkMessage m) {
        Attributes tlvs = extackTlvs(m);
        return tlvs == null ? null : tlvs.string(NLMSGERR_ATTR_MSG);
    }

    /** The NLMSGERR_ATTR_OFFS of an error message (offset of the refused attribute in the request), or -1. */
    private static int extackOffset(NetlinkMessage m) {
        Attributes tlvs = extackTlvs(m);
        return tlvs == null ? -1 : tlvs.u32(NLMSGERR_ATTR_OFFS, -1);
    }

    private static Attributes extackTlvs(NetlinkMessage m) {
        if ((m.flags() & NLM_F_ACK_TLVS) == 0) return null;
        long offset = 4 + NetlinkMessage.HEADER; // int error, then the request's header
        if ((m.flags() & NLM_F_CAPPED) == 0) {
            int origLen = m.payload().get(NetlinkMessage.U32, 4);
            offset = 4 + ((origLen + 3) & ~3);
        }
        if (offset >= m.payload().byteSize()) return null;
        return Attributes.parse(m.payload(), offset);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            int ignored = (int) LibMnl.SOCKET_CLOSE.invokeExact(sock);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            arena.close();
        }
    }
}
