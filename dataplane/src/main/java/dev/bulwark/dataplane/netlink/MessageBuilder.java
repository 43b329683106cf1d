package dev.bulwark.dataplane.netlink;

import dev.bulwark.dataplane.ffm.LibMnl;
import dev.bulwark.dataplane.ffm.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Builds one netlink request with libmnl in a confined native buffer: header, a fixed family header (ifinfomsg,
 * ifaddrmsg, rtmsg, nfgenmsg …) and attributes. Close it to free the buffer.
 */
public final class MessageBuilder implements AutoCloseable {

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf;
    private final MemorySegment nlh;

    public MessageBuilder(int capacity, int type, int flags, int seq) {
        this.buf = arena.allocate(capacity, 8);
        try {
            this.nlh = ((MemorySegment) LibMnl.NLMSG_PUT_HEADER.invokeExact(buf)).reinterpret(capacity);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        nlh.set(NetlinkMessage.U16, 4, (short) type);
        nlh.set(NetlinkMessage.U16, 6, (short) flags);
        nlh.set(NetlinkMessage.U32, 8, seq);
    }

    /** Reserves a zeroed family header of {@code size} bytes right after the netlink header and returns it. */
    public MemorySegment familyHeader(int size) {
        try {
            return ((MemorySegment) LibMnl.NLMSG_PUT_EXTRA_HEADER.invokeExact(nlh, (long) size)).reinterpret(size);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public MessageBuilder putU32(int type, int value) {
        try {
            LibMnl.ATTR_PUT_U32.invokeExact(nlh, (short) type, value);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        return this;
    }

    /** A u16 attribute in host byte order (rtnetlink, e.g. IFLA_VLAN_ID). */
    public MessageBuilder putU16(int type, int value) {
        byte[] b = new byte[2];
        MemorySegment.ofArray(b).set(NetlinkMessage.U16, 0, (short) value);
        return putBytes(type, b);
    }

    /** A u16 attribute in network byte order (ctnetlink ports, zones). */
    public MessageBuilder putBe16(int type, int value) {
        return putBytes(type, new byte[]{(byte) (value >>> 8), (byte) value});
    }

    /** A u32 attribute in network byte order (ctnetlink ids, marks, nftables). */
    public MessageBuilder putBe32(int type, int value) {
        return putBytes(type, new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public MessageBuilder putU8(int type, int value) {
        return putBytes(type, new byte[]{(byte) value});
    }

    public MessageBuilder putBytes(int type, byte[] data) {
        check(data.length);
        MemorySegment d = arena.allocateFrom(ValueLayout.JAVA_BYTE, data);
        try {
            LibMnl.ATTR_PUT.invokeExact(nlh, (short) type, (long) data.length, d);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        return this;
    }

    public MessageBuilder putString(int type, String s) {
        check(s.length() * 3 + 1);
        try {
            LibMnl.ATTR_PUT_STRZ.invokeExact(nlh, (short) type, arena.allocateFrom(s));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        return this;
    }

    /**
     * Appends {@code size} zeroed bytes at the end of the message and returns them: a fixed structure inside an
     * attribute, such as the {@code struct ifinfomsg} that opens a veth's VETH_INFO_PEER. (libmnl's
     * {@code mnl_nlmsg_put_extra_header} appends at the message's tail, so it serves inside a nest too.)
     */
    public MemorySegment reserve(int size) {
        check(size);
        return familyHeader(size);
    }

    /** Starts a nested attribute; pass the result to {@link #nestEnd(MemorySegment)}. */
    public MemorySegment nestStart(int type) {
        check(4);
        try {
            return (MemorySegment) LibMnl.ATTR_NEST_START.invokeExact(nlh, (short) (type | (1 << 15)));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public void nestEnd(MemorySegment nest) {
        try {
            LibMnl.ATTR_NEST_END.invokeExact(nlh, nest);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private void check(int more) {
        if (length() + more + 8 > buf.byteSize()) {
            throw new IllegalStateException("netlink message larger than its " + buf.byteSize() + "-byte buffer");
        }
    }

    /** nlmsg_len: the bytes to send. */
    public long length() {
        return Integer.toUnsignedLong(nlh.get(NetlinkMessage.U32, 0));
    }

    public int seq() {
        return nlh.get(NetlinkMessage.U32, 8);
    }

    public MemorySegment segment() {
        return buf;
    }

    /** Sends it on {@code socket} and returns the reply's data messages (see {@link NetlinkSocket#request}). */
    public java.util.List<NetlinkMessage> send(NetlinkSocket socket, String operation) {
        return socket.request(buf, length(), seq(), operation);
    }

    /** Sends this read-only request on {@code socket} and returns the answer's data messages (see {@link NetlinkSocket#query}). */
    public java.util.List<NetlinkMessage> query(NetlinkSocket socket, String operation) {
        return socket.query(buf, length(), seq(), operation);
    }

    /** Sends it on {@code socket} and hands the reply's data messages to {@code each} as they arrive (see {@link NetlinkSocket#stream}). */
    public void stream(NetlinkSocket socket, String operation, java.util.function.Consumer<NetlinkMessage> each) {
        socket.stream(buf, length(), seq(), operation, each);
    }

    /** From inside a {@link #stream} consumer: sends it without waiting; see {@link NetlinkSocket#sendDuringStream}. */
    public void sendDuringStream(NetlinkSocket socket, String operation, java.util.function.IntConsumer answer) {
        socket.sendDuringStream(buf, length(), seq(), operation, answer);
    }

    @Override
    public void close() {
        arena.close();
    }
}
