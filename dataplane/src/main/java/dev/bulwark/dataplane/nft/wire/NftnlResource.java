package dev.bulwark.dataplane.nft.wire;

import dev.bulwark.dataplane.ffm.Native;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * One libnftnl object (table, chain, rule, set, object, generation) owned by Java: the pointer libnftnl allocated,
 * freed by {@link #close()}, and a confined arena for the temporaries handed to libnftnl (strings, data), which
 * libnftnl copies. Closing twice is harmless; using a closed object throws instead of touching freed memory.
 * Not thread-safe: use one from the thread that made it.
 */
public abstract sealed class NftnlResource implements AutoCloseable
        permits NftnlTable, NftnlChain, NftnlRule, NftnlSet, NftnlSetElems, NftnlObj, NftnlGen {

    private static final java.util.concurrent.atomic.AtomicLong OPEN = new java.util.concurrent.atomic.AtomicLong();

    protected final Arena arena = Arena.ofConfined();
    private final MethodHandle free;
    private final String kind;
    private MemorySegment ptr;

    protected NftnlResource(MethodHandle alloc, MethodHandle free, String kind) {
        this.free = free;
        this.kind = kind;
        MemorySegment p;
        try {
            p = (MemorySegment) alloc.invokeExact();
        } catch (Throwable t) {
            arena.close();
            throw Native.rethrow(t);
        }
        if (p.equals(MemorySegment.NULL)) {
            arena.close();
            throw new OutOfMemoryError("libnftnl could not allocate a " + kind);
        }
        this.ptr = p;
        OPEN.incrementAndGet();
    }

    /** libnftnl objects allocated and not yet freed, in this JVM (for leak checks). */
    public static long openCount() {
        return OPEN.get();
    }

    /** The native object; throws once closed. */
    public final MemorySegment ptr() {
        if (ptr == null) throw new IllegalStateException("libnftnl " + kind + " already freed");
        return ptr;
    }

    /** Copies a received message (header and payload) into this object's arena, for a libnftnl parse function. */
    protected final MemorySegment nativeCopy(NetlinkMessage m) {
        byte[] bytes = m.toBytes();
        return arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
    }

    protected final MemorySegment cstr(String s) {
        return arena.allocateFrom(s);
    }

    protected final MemorySegment bytes(byte[] b) {
        return b.length == 0 ? arena.allocate(1) : arena.allocateFrom(ValueLayout.JAVA_BYTE, b);
    }

    /** A fresh uint32_t out-parameter for the libnftnl get_data functions. */
    protected final MemorySegment lenOut() {
        return arena.allocate(ValueLayout.JAVA_INT);
    }

    @Override
    public void close() {
        if (ptr == null) return;
        MemorySegment p = ptr;
        ptr = null;
        OPEN.decrementAndGet();
        try {
            free.invokeExact(p);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        } finally {
            arena.close();
        }
    }
}
