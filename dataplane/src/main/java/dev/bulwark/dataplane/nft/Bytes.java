package dev.bulwark.dataplane.nft;

import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value equality (register data, set keys), printed as hex. */
public final class Bytes implements Comparable<Bytes> {
    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    public static Bytes of(byte... data) {
        return new Bytes(data.clone());
    }

    /** A slice of {@code src}, copied (for {@link FlatElements}). */
    static Bytes copyOf(byte[] src, int from, int len) {
        return new Bytes(java.util.Arrays.copyOfRange(src, from, from + len));
    }

    /** Copies the bytes into {@code dst} at {@code at} (for {@link FlatElements}). */
    void copyTo(byte[] dst, int at) {
        System.arraycopy(data, 0, dst, at, data.length);
    }

    public static Bytes ofHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    /** Big-endian (network order) integer of {@code len} bytes. */
    public static Bytes be(long value, int len) {
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return new Bytes(b);
    }

    /** Host-order (little-endian here) 32-bit value, as nft stores meta/ct keys such as ct state. */
    public static Bytes host32(int value) {
        return new Bytes(new byte[]{(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    /** A NUL-padded interface name of 16 bytes (IFNAMSIZ), as meta iifname compares it. */
    public static Bytes ifname(String name) {
        byte[] b = new byte[16];
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, b, 0, Math.min(n.length, 15));
        return new Bytes(b);
    }

    public byte[] toArray() {
        return data.clone();
    }

    /** Copies the bytes into {@code dst} at {@code offset} (no intermediate copy, unlike {@link #toArray()}). */
    public void copyTo(java.lang.foreign.MemorySegment dst, long offset) {
        java.lang.foreign.MemorySegment.copy(data, 0, dst, java.lang.foreign.ValueLayout.JAVA_BYTE, offset, data.length);
    }

    public int length() {
        return data.length;
    }

    public byte get(int i) {
        return data[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(data, o.data);
    }

    @Override
    public String toString() {
        return "0x" + HexFormat.of().formatHex(data);
    }
}
