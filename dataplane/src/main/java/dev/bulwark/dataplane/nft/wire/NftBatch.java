package dev.bulwark.dataplane.nft.wire;

import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.netlink.NetlinkMessage;
import dev.bulwark.dataplane.netlink.NetlinkSocket;
import dev.bulwark.dataplane.nft.NftConflictException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One nftables transaction: BEGIN (carrying the ruleset generation id it expects), the messages, END, sent in one
 * datagram so that the kernel applies all of them or none. Built in one native buffer that grows (by copying) when a
 * message would not fit, laid out as libmnl's {@code mnl_nlmsg_batch} lays it out (headers written here; payloads by
 * libnftnl or {@link NftWire}); every message between BEGIN and END has its own
 * sequence number and remembers the operation it performs in nft's words, so that an error names it. As with
 * {@code nft -f}, the messages do not ask for an ACK (NLM_F_ACK): the kernel answers only a message that fails (and
 * echoes those sent with NLM_F_ECHO), so a batch of thousands of messages is not followed by thousands of ACKs to read.
 * The kernel processes the whole batch inside the send call, so once it returns every answer is queued: none means
 * the batch was committed. Close it to free the buffer (sent or not).
 */
public final class NftBatch implements AutoCloseable {

    private static final long INITIAL = 256 * 1024;
    /** Room kept free beyond a message's announced maximum, so that a wrong estimate cannot write past the buffer. */
    private static final long SLACK = 64 * 1024;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** NFNL_MSG_BATCH_BEGIN / NFNL_MSG_BATCH_END (linux/netfilter/nfnetlink.h). */
    private static final int NFNL_MSG_BATCH_BEGIN = 0x10, NFNL_MSG_BATCH_END = 0x11;

    /** What a message is, for locating the part the kernel refused. */
    public enum Kind { OTHER, RULE, ELEMENTS }

    private record Entry(int seq, long offset, String operation, Kind kind, int firstElement, int msgType) {
    }

    private final NetlinkSocket socket;
    private final int generation;
    private Arena arena;
    private MemorySegment buf;
    private long capacity;
    /** Bytes used: where the next message starts. */
    private long used;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Integer, Entry> bySeq = new HashMap<>();
    private final NlWriter writer = new NlWriter();
    private long echoBytes;
    private boolean sent;

    /** Starts a transaction that the kernel applies only while the ruleset is still at {@code generation}. */
    public NftBatch(NetlinkSocket socket, int generation) {
        this.socket = socket;
        this.generation = generation;
        allocate(INITIAL);
        int seq = socket.nextSeq();
        long off = used;
        // nftnl_batch_begin: NFNL_MSG_BATCH_BEGIN, res_id = the subsystem, then the generation it expects
        header(NFNL_MSG_BATCH_BEGIN, 0, 0, seq, NftMsg.SUBSYS_NFTABLES);
        writer.at(buf, off).be32(NftMsg.NFNL_BATCH_GENID, generation);
        commit(new Entry(seq, off, "begin nftables transaction (at ruleset generation "
                + Integer.toUnsignedString(generation) + ")", Kind.OTHER, 0, -1));
    }

    /**
     * Adds one message. {@code payload} writes its attributes (a libnftnl build_payload call) into the message at
     * the pointer it is given; the message must not exceed {@code maxBytes}.
     *
     * @param msgType   NftMsg.NEWRULE, ...
     * @param flags     NLM_F_CREATE, NLM_F_APPEND, NftMsg.NLM_F_ECHO ... (NLM_F_REQUEST is added)
     * @param operation the equivalent nft command, for errors ("add rule inet bulwark input (rule 3)")
     * @return the message's sequence number (echoes and errors carry it)
     */
    public int add(int msgType, int family, int flags, String operation, long maxBytes, Kind kind, int firstElement,
                   Consumer<MemorySegment> payload) {
        long off = begin(maxBytes);
        int seq = socket.nextSeq();
        header(NftMsg.type(msgType), family, flags, seq, 0);
        payload.accept(buf.asSlice(off, maxBytes));
        return finish(off, seq, msgType, flags, operation, maxBytes, kind, firstElement);
    }

    /** Like {@link #add}, with the payload written in Java ({@link NftWire}) instead of by libnftnl. */
    public int addWire(int msgType, int family, int flags, String operation, long maxBytes, Kind kind, int firstElement,
                       Consumer<NlWriter> payload) {
        long off = begin(maxBytes);
        int seq = socket.nextSeq();
        header(NftMsg.type(msgType), family, flags, seq, 0);
        payload.accept(writer.at(buf.asSlice(0, off + maxBytes), off));
        return finish(off, seq, msgType, flags, operation, maxBytes, kind, firstElement);
    }

    private long begin(long maxBytes) {
        if (sent) throw new IllegalStateException("batch already sent");
        ensure(maxBytes);
        return used;
    }

    private int finish(long off, int seq, int msgType, int flags, String operation, long maxBytes, Kind kind, int firstElement) {
        long len = Integer.toUnsignedLong(buf.get(U32, off));
        if (len > maxBytes) {
            throw new IllegalStateException(operation + ": message of " + len + " bytes exceeds its estimate of " + maxBytes);
        }
        if ((flags & NftMsg.NLM_F_ECHO) != 0) echoBytes += len;
        commit(new Entry(seq, off, operation, kind, firstElement, msgType));
        return seq;
    }

    /**
     * Writes the netlink and nfgenmsg headers of a message at the end of the batch ({@code nftnl_nlmsg_build_hdr}):
     * length (20 so far), type, NLM_F_REQUEST and {@code flags}, sequence, port 0; family, version 0, res_id.
     */
    private void header(int type, int family, int flags, int seq, int resId) {
        MemorySegment h = buf.asSlice(used, 20);
        h.set(U32, 0, 20);
        h.set(U16, 4, (short) type);
        h.set(U16, 6, (short) (NetlinkSocket.NLM_F_REQUEST | flags));
        h.set(U32, 8, seq);
        h.set(U32, 12, 0);
        h.set(ValueLayout.JAVA_BYTE, 16, (byte) family);
        h.set(ValueLayout.JAVA_BYTE, 17, (byte) 0); // NFNETLINK_V0
        h.set(BE16, 18, (short) resId);
    }

    /** Messages between BEGIN and END so far. */
    public int messages() {
        return entries.size() - 1;
    }

    /** Bytes so far (BEGIN and messages). */
    public long bytes() {
        return used;
    }

    /**
     * Appends END and sends the transaction; returns when the kernel has committed it, or throws with the first
     * failing message's operation ({@link NftConflictException} when the generation moved on). {@code echoes}
     * receives the kernel's echo of messages sent with NLM_F_ECHO.
     */
    public void send(Consumer<NetlinkMessage> echoes) {
        if (sent) throw new IllegalStateException("batch already sent");
        ensure(64);
        int endSeq = socket.nextSeq();
        long off = used;
        header(NFNL_MSG_BATCH_END, 0, 0, endSeq, NftMsg.SUBSYS_NFTABLES);
        commit(new Entry(endSeq, off, "commit nftables transaction", Kind.OTHER, 0, -1));
        sent = true;
        long length = used;
        int count = entries.size();
        socket.ensureBuffers(length, 256 * 1024 + count * 2048L + 2 * echoBytes);
        int[] failedSeq = {-1};
        try {
            socket.batch(buf, length, count, seq -> {
                failedSeq[0] = seq;
                Entry e = bySeq.get(seq);
                return e == null ? "nftables batch (message " + seq + ")" : e.operation();
            }, echoes);
        } catch (NftConflictException e) {
            throw e;
        } catch (NetlinkException e) {
            Entry failed = bySeq.get(failedSeq[0]);
            if (failed != null && failed == entries.getFirst() && e.errno() == NftMsg.ERESTART) {
                throw new NftConflictException(e.operation(), e.errno(), e.kernelMessage(), generation);
            }
            if (failed != null && e.attributeOffset() >= 0) {
                String where = locate(failed, e.attributeOffset());
                if (where != null) {
                    throw new NetlinkException(e.operation() + ": " + where, e.errno(), e.kernelMessage(), e.attributeOffset());
                }
            }
            throw e;
        }
    }

    // ---- buffer ---------------------------------------------------------------------------------------------------

    private void allocate(long cap) {
        arena = Arena.ofConfined();
        buf = arena.allocate(cap, 8);
        capacity = cap;
    }

    private void ensure(long maxBytes) {
        long need = used + maxBytes + SLACK;
        if (need <= capacity) return;
        long cap = capacity;
        while (cap < need) cap *= 2;
        Arena oldArena = arena;
        MemorySegment oldBuf = buf;
        allocate(cap);
        MemorySegment.copy(oldBuf, 0, buf, 0, used);
        oldArena.close();
    }

    /** Takes the message at the end of the batch in ({@code mnl_nlmsg_batch_next}): the next one starts after it. */
    private void commit(Entry e) {
        long len = Integer.toUnsignedLong(buf.get(U32, used));
        if (used + len > capacity) throw new IllegalStateException(e.operation() + ": message does not fit the batch buffer");
        used += (len + 3) & ~3;
        entries.add(e);
        bySeq.put(e.seq(), e);
    }

    // ---- locating the refused attribute ---------------------------------------------------------------------------

    /** Which expression or element of a message holds the byte the kernel pointed at, in words. */
    private String locate(Entry e, int offset) {
        long len = Integer.toUnsignedLong(buf.get(U32, e.offset()));
        if (offset < 20 || offset >= len) return null;
        MemorySegment msg = buf.asSlice(e.offset(), len);
        long[] top = find(msg, 20, len, offset); // {type, start, length}
        if (top == null) return null;
        if (e.kind() == Kind.RULE && top[0] == NftMsg.NFTA_RULE_EXPRESSIONS) {
            int index = 0;
            for (long pos = top[1] + 4; pos + 4 <= top[1] + top[2]; index++) {
                int alen = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos));
                if (alen < 4) break;
                if (offset >= pos && offset < pos + alen) {
                    String name = string(msg, pos + 4, pos + alen, NftMsg.NFTA_EXPR_NAME);
                    return "expression " + (index + 1) + (name == null ? "" : " (" + name + ")");
                }
                pos += (alen + 3) & ~3;
            }
        }
        if (e.kind() == Kind.ELEMENTS && top[0] == NftMsg.NFTA_SET_ELEM_LIST_ELEMENTS) {
            int index = 0;
            for (long pos = top[1] + 4; pos + 4 <= top[1] + top[2]; index++) {
                int alen = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos));
                if (alen < 4) break;
                if (offset >= pos && offset < pos + alen) {
                    return "element " + (e.firstElement() + index + 1) + keyOf(msg, pos + 4, pos + alen);
                }
                pos += (alen + 3) & ~3;
            }
        }
        String name = attributeName(e.msgType(), (int) top[0]);
        if (e.msgType() == NftMsg.NEWCHAIN && top[0] == 4) { // the hook nest: hook number or priority
            long[] inner = find(msg, top[1] + 4, top[1] + top[2], offset);
            if (inner != null) return "attribute hook " + (inner[0] == 1 ? "number" : inner[0] == 2 ? "priority" : "attribute " + inner[0]);
        }
        return "attribute " + name;
    }

    /** The kernel's NFTA_* attribute names of the messages we send, in nft's words where it has them. */
    private static String attributeName(int msgType, int type) {
        String[] names = switch (msgType) {
            case NftMsg.NEWTABLE, NftMsg.DELTABLE -> new String[]{null, "name", "flags"};
            case NftMsg.NEWCHAIN, NftMsg.DELCHAIN -> new String[]{null, "table", "handle", "name", "hook", "policy", "use", "type"};
            case NftMsg.NEWRULE, NftMsg.DELRULE -> new String[]{null, "table", "chain", "handle", "expressions", "compat", "position", "userdata"};
            case NftMsg.NEWSET, NftMsg.DELSET -> new String[]{null, "table", "name", "flags", "key type", "key length", "data type",
                    "data length", "policy", "description", "id", "timeout", "gc interval", "userdata"};
            case NftMsg.NEWSETELEM, NftMsg.DELSETELEM -> new String[]{null, "table", "set", "elements", "set id"};
            case NftMsg.NEWOBJ, NftMsg.DELOBJ -> new String[]{null, "table", "name", "type", "data"};
            default -> new String[0];
        };
        return type < names.length && names[type] != null ? names[type] + " (" + type + ")" : String.valueOf(type);
    }

    private static long[] find(MemorySegment msg, long from, long to, int offset) {
        for (long pos = from; pos + 4 <= to; ) {
            int alen = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos));
            int type = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 2)) & 0x3FFF;
            if (alen < 4) return null;
            if (offset >= pos && offset < pos + alen) return new long[]{type, pos, alen};
            pos += (alen + 3) & ~3;
        }
        return null;
    }

    private static String string(MemorySegment msg, long from, long to, int type) {
        for (long pos = from; pos + 4 <= to; ) {
            int alen = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos));
            int t = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 2)) & 0x3FFF;
            if (alen < 4) return null;
            if (t == type) return msg.asSlice(pos + 4, alen - 4).getString(0);
            pos += (alen + 3) & ~3;
        }
        return null;
    }

    /** " (key 0x0a000000)" for an element nest: NFTA_SET_ELEM_KEY (1) > NFTA_DATA_VALUE (1). */
    private static String keyOf(MemorySegment msg, long from, long to) {
        for (long pos = from; pos + 4 <= to; ) {
            int alen = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos));
            int t = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 2)) & 0x3FFF;
            if (alen < 4) return "";
            if (t == 1 && alen >= 8) {
                int vlen = Short.toUnsignedInt(msg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos + 4));
                if (vlen >= 4 && pos + 4 + vlen <= to) {
                    return " (key 0x" + HexFormat.of().formatHex(msg.asSlice(pos + 8, vlen - 4).toArray(ValueLayout.JAVA_BYTE)) + ")";
                }
            }
            pos += (alen + 3) & ~3;
        }
        return "";
    }

    @Override
    public void close() {
        if (arena == null) return;
        arena.close();
        arena = null;
    }
}
