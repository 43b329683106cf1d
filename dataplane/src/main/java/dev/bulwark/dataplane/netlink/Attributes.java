package dev.bulwark.dataplane.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The netlink attributes (type-length-value, 4-byte aligned) of a message region, by type. Nested attributes are
 * parsed on demand with {@link #nested(int)}. Reading is bounds-checked by the segment: a malformed message from
 * the kernel throws instead of reading past its end.
 */
public final class Attributes {
    private static final int NLA_F_NESTED = 1 << 15;
    private static final int NLA_F_NET_BYTEORDER = 1 << 14;
    private static final int TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF;
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    private final Map<Integer, MemorySegment> byType = new HashMap<>();

    private Attributes() {
    }

    /** Parses the attributes in {@code region} starting at {@code offset}. */
    public static Attributes parse(MemorySegment region, long offset) {
        Attributes a = new Attributes();
        long pos = offset;
        long end = region.byteSize();
        while (pos + 4 <= end) {
            int len = Short.toUnsignedInt(region.get(NetlinkMessage.U16, pos));
            int type = Short.toUnsignedInt(region.get(NetlinkMessage.U16, pos + 2)) & TYPE_MASK;
            if (len < 4 || pos + len > end) break;
            a.byType.put(type, region.asSlice(pos + 4, len - 4));
            pos += (len + 3) & ~3;
        }
        return a;
    }

    public boolean has(int type) {
        return byType.containsKey(type);
    }

    public MemorySegment raw(int type) {
        return byType.get(type);
    }

    public Attributes nested(int type) {
        MemorySegment s = byType.get(type);
        return s == null ? new Attributes() : parse(s, 0);
    }

    /** A NUL-terminated string attribute, or null. */
    public String string(int type) {
        MemorySegment s = byType.get(type);
        if (s == null) return null;
        byte[] b = s.toArray(ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    public byte[] bytes(int type) {
        MemorySegment s = byType.get(type);
        return s == null ? null : s.toArray(ValueLayout.JAVA_BYTE);
    }

    /** A u32 in host byte order (rtnetlink), or {@code dflt}. */
    public int u32(int type, int dflt) {
        MemorySegment s = byType.get(type);
        return s == null ? dflt : s.get(NetlinkMessage.U32, 0);
    }

    /** A u32 in network byte order (nftables), or {@code dflt}. */
    public int be32(int type, int dflt) {
        MemorySegment s = byType.get(type);
        return s == null ? dflt : s.get(BE32, 0);
    }

    public int be16(int type, int dflt) {
        MemorySegment s = byType.get(type);
        return s == null ? dflt : Short.toUnsignedInt(s.get(BE16, 0));
    }

    public long be64(int type, long dflt) {
        MemorySegment s = byType.get(type);
        return s == null ? dflt : s.get(BE64, 0);
    }

    public long u64(int type, long dflt) {
        MemorySegment s = byType.get(type);
        return s == null ? dflt : s.get(NE64, 0);
    }

    /** A u16 in host byte order (rtnetlink, e.g. IFLA_VLAN_ID), or {@code dflt}. */
    public int u16(int type, int dflt) {
        MemorySegment s = byType.get(type);
        return s == null ? dflt : Short.toUnsignedInt(s.get(NetlinkMessage.U16, 0));
    }

    public int u8(int type, int dflt) {
        MemorySegment s = byType.get(type);
        return s == null ? dflt : Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, 0));
    }
}
