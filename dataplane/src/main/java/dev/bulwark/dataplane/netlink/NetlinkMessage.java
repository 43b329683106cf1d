package dev.bulwark.dataplane.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One received netlink message, copied onto the Java heap: its header fields and the bytes after the header.
 * Attribute parsing works on {@link #payload()} with {@link Attributes}.
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, MemorySegment payload) {

    public static final int HEADER = 16;
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** Copies the message at {@code offset} of {@code buf} (whose length field says how long it is). */
    static NetlinkMessage copy(MemorySegment buf, long offset) {
        int len = buf.get(U32, offset);
        int type = Short.toUnsignedInt(buf.get(U16, offset + 4));
        int flags = Short.toUnsignedInt(buf.get(U16, offset + 6));
        int seq = buf.get(U32, offset + 8);
        int pid = buf.get(U32, offset + 12);
        byte[] body = new byte[Math.max(0, len - HEADER)];
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, offset + HEADER, body, 0, body.length);
        return new NetlinkMessage(type, flags, seq, pid, MemorySegment.ofArray(body));
    }

    /** The whole message (header and payload) as bytes, for libraries that parse whole messages. */
    public byte[] toBytes() {
        byte[] all = new byte[HEADER + (int) payload.byteSize()];
        MemorySegment s = MemorySegment.ofArray(all);
        s.set(U32, 0, all.length);
        s.set(U16, 4, (short) type);
        s.set(U16, 6, (short) flags);
        s.set(U32, 8, seq);
        s.set(U32, 12, pid);
        MemorySegment.copy(payload, 0, s, HEADER, payload.byteSize());
        return all;
    }
}
