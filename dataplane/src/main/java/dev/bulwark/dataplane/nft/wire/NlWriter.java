package dev.bulwark.dataplane.nft.wire;

import dev.bulwark.dataplane.nft.Bytes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Appends netlink attributes to one message in a native buffer, in Java, byte for byte as libmnl's
 * {@code mnl_attr_put*} and {@code mnl_attr_nest_*} write them (4-byte alignment, zeroed padding, NLA_F_NESTED on
 * nests), and keeps the message header's length current. Used for the messages a large apply sends by the thousand
 * (rules, counters, set elements), where building a libnftnl object per message and per expression costs more than
 * the encoding itself. Writing past the buffer throws (the segment is bounded), it never corrupts memory.
 */
public final class NlWriter {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int NLA_F_NESTED = 1 << 15;

    private MemorySegment buf;
    private long msg;
    private long pos;

    public NlWriter() {
    }

    /** Points the writer at the message whose header starts at {@code msg} in {@code buf} (its length is read). */
    public NlWriter at(MemorySegment buf, long msg) {
        this.buf = buf;
        this.msg = msg;
        this.pos = msg + Integer.toUnsignedLong(buf.get(U32, msg));
        return this;
    }

    /** The message's length so far. */
    public long length() {
        return pos - msg;
    }

    private long header(int type, int payload) {
        long at = pos;
        int len = 4 + payload;
        buf.set(U16, at, (short) len);
        buf.set(U16, at + 2, (short) type);
        int padded = (len + 3) & ~3;
        if (padded != len) buf.asSlice(at + len, padded - len).fill((byte) 0);
        pos = at + padded;
        buf.set(U32, msg, (int) (pos - msg));
        return at + 4;
    }

    public NlWriter be32(int type, int v) {
        buf.set(BE32, header(type, 4), v);
        return this;
    }

    public NlWriter be64(int type, long v) {
        buf.set(BE64, header(type, 8), v);
        return this;
    }

    public NlWriter be16(int type, int v) {
        buf.set(BE16, header(type, 2), (short) v);
        return this;
    }

    public NlWriter u8(int type, int v) {
        buf.set(ValueLayout.JAVA_BYTE, header(type, 1), (byte) v);
        return this;
    }

    /** A NUL-terminated string ({@code mnl_attr_put_strz}). */
    public NlWriter strz(int type, String s) {
        return strz(type, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A NUL-terminated string given as its bytes without the NUL. */
    public NlWriter strz(int type, byte[] s) {
        long at = header(type, s.length + 1);
        MemorySegment.copy(s, 0, buf, ValueLayout.JAVA_BYTE, at, s.length);
        buf.set(ValueLayout.JAVA_BYTE, at + s.length, (byte) 0);
        return this;
    }

    /** A string without the NUL ({@code mnl_attr_put_str}; libnftnl writes the objref name so). */
    public NlWriter str(int type, String s) {
        return bytes(type, s.getBytes(StandardCharsets.UTF_8));
    }

    public NlWriter bytes(int type, byte[] b) {
        MemorySegment.copy(b, 0, buf, ValueLayout.JAVA_BYTE, header(type, b.length), b.length);
        return this;
    }

    public NlWriter bytes(int type, Bytes b) {
        b.copyTo(buf, header(type, b.length()));
        return this;
    }

    /** Starts a nest ({@code mnl_attr_nest_start}: NLA_F_NESTED set); returns what {@link #end} takes. */
    public long nest(int type) {
        long at = pos;
        buf.set(U16, at + 2, (short) (type | NLA_F_NESTED));
        pos = at + 4;
        buf.set(U32, msg, (int) (pos - msg));
        return at;
    }

    public void end(long nest) {
        buf.set(U16, nest, (short) (pos - nest));
    }
}
