package dev.bulwark.dataplane.nft.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Small helpers shared by the libnftnl wrappers: C strings and numbers returned by the get functions. */
final class Nftnl {
    private Nftnl() {
    }

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** A NUL-terminated string owned by libnftnl, copied; null for NULL. */
    static String string(MemorySegment p) {
        if (p.equals(MemorySegment.NULL)) return null;
        return p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** Copies {@code len} bytes at {@code p} (a libnftnl get_data result); null for NULL. */
    static byte[] copy(MemorySegment p, MemorySegment lenOut) {
        if (p.equals(MemorySegment.NULL)) return null;
        int len = lenOut.get(ValueLayout.JAVA_INT, 0);
        return p.reinterpret(len).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * An unsigned host-order number of the width libnftnl stored it with (1, 2, 4 or 8 bytes), so the reader does not
     * depend on knowing each attribute's C type (libnftnl's typed getters return 0 on a width mismatch).
     */
    static long number(byte[] b) {
        if (b == null) throw new IllegalStateException("attribute not set");
        MemorySegment s = MemorySegment.ofArray(b);
        return switch (b.length) {
            case 1 -> Byte.toUnsignedLong(b[0]);
            case 2 -> Short.toUnsignedLong(s.get(U16, 0));
            case 4 -> Integer.toUnsignedLong(s.get(U32, 0));
            case 8 -> s.get(U64, 0);
            default -> throw new IllegalStateException("unexpected numeric attribute of " + b.length + " bytes");
        };
    }
}
