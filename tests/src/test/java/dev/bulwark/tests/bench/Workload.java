package dev.bulwark.tests.bench;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.types.TokenHash;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated Bulwark config of a given size, deterministic (the same sizes give the same text):
 *
 * <ul>
 * <li>{@code zones} zones {@code z0..}, each with one interface {@code i0..} on a device {@code bwv0..} (veth ends
 *     the benchmark creates: this kernel has no dummy links), input and forward drop, and one policy z0 → z1;</li>
 * <li>a v4 set {@code blocklist} of {@code elements} scattered elements in 10.0.0.0/8 (see {@link #element}): three
 *     in four single addresses, one in four /30 prefixes, never two adjacent or overlapping, so no interval merging
 *     can shrink the set; the first rule of each zone drops its sources;</li>
 * <li>{@code rules} firewall rules spread over the zones: a third to {@code self}, the rest to another zone;
 *     alternately tcp and udp with a destination port (every tenth a list of two ports, which nft keeps in an
 *     anonymous set); a quarter with a source /24 and a quarter with a source address; one in seven drop, the rest
 *     accept; each counts into its named counter.</li>
 * </ul>
 *
 * {@link #text(int, int)} writes it as compact JSON (about 14 bytes per element, 100 per rule: 100k elements and 10k
 * rules are ~2.5 MB, 1M elements ~17.4 MB, under the loader's 32 MiB limit). A variant adds the first {@code extra} of
 * the spare elements (unused slots, equally scattered) and sets the port of {@link #changedRule()}: one element more
 * and one port changed from one variant to the next.
 */
public record Workload(int rules, int zones, int elements, int apiPort, String token) {

    /** Slots of 16 addresses in 10.0.0.0/8: 2^20 of them. */
    private static final int SLOT_BITS = 20;
    private static final int SLOTS = 1 << SLOT_BITS;
    /** An odd multiplier: i → i * MUL mod 2^20 is a permutation of the slots, which scatters consecutive indexes. */
    private static final int MUL = 0x9E3779B1;
    /** The base port of the rules; the changed rule's port in variant v is {@link #changedPort(int)}. */
    private static final int PORT_BASE = 1024;

    public Workload {
        if (rules < zones) throw new IllegalArgumentException("need at least one rule per zone");
        if (zones < 2) throw new IllegalArgumentException("need at least two zones");
        if (elements < 1 || elements > SLOTS - 10_000) {
            throw new IllegalArgumentException("elements must be 1.." + (SLOTS - 10_000));
        }
    }

    /** The spare elements a series of variants can add (slots after the set's own). */
    public int spareElements() {
        return SLOTS - elements;
    }

    /** The kernel device of zone {@code z}'s interface. */
    public static String device(int z) {
        return "bwv" + z;
    }

    /** The devices to create: one per zone, as veth pairs (an odd count gets one spare end). */
    public List<String> devices() {
        List<String> d = new ArrayList<>();
        for (int z = 0; z < zones + (zones % 2); z++) d.add(device(z));
        return d;
    }

    /** The element with this index, as text: {@code 10.a.b.c} or {@code 10.a.b.c/30}. */
    public static String element(int index) {
        int slot = (int) ((index * (long) MUL) & (SLOTS - 1));
        long base = (10L << 24) | ((long) slot << 4);
        if ((index & 3) == 0) return dotted(base + 4) + "/30"; // addresses 4..7 of the slot
        int offset = 1 + (int) (((index * 0x2545F491L) >>> 7) % 14); // 1..14: never the slot's first or last
        return dotted(base + offset);
    }

    /** The element a variant with {@code extra} added elements added last ({@code extra} ≥ 1). */
    public String addedElement(int extra) {
        return element(elements + extra - 1);
    }

    private static String dotted(long a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    /** The index of the rule whose port the variants change: a single-port rule near the middle. */
    public int changedRule() {
        for (int i = Math.max(rules / 2, zones); i < rules; i++) {
            if (i % 10 != 9) return i;
        }
        throw new IllegalStateException("no rule to change");
    }

    public static String ruleName(int i) {
        return "r" + i;
    }

    /** The port of the changed rule in a variant ({@code variant} 0 is the base config). */
    public int changedPort(int variant) {
        return variant == 0 ? port(changedRule()) : 30000 + variant % 30000;
    }

    private static int port(int i) {
        return PORT_BASE + (int) ((i * 7L) % 28000);
    }

    /** The base config's text. */
    public String text() {
        return text(0, 0);
    }

    /** The text of a variant: {@code extra} spare elements added, the changed rule's port that of {@code variant}. */
    public String text(int extra, int variant) {
        StringBuilder b = new StringBuilder(64 + elements * 15 + rules * 110);
        b.append("{\"version\":1,\"interfaces\":{");
        for (int z = 0; z < zones; z++) {
            if (z > 0) b.append(',');
            b.append("\"i").append(z).append("\":{\"device\":\"").append(device(z)).append("\"}");
        }
        b.append("},\"zones\":{");
        for (int z = 0; z < zones; z++) {
            if (z > 0) b.append(',');
            b.append("\"z").append(z).append("\":{\"interfaces\":[\"i").append(z).append("\"],\"input\":\"drop\",\"forward\":\"drop\"}");
        }
        b.append("},\"sets\":{\"blocklist\":{\"type\":\"ipv4\",\"elements\":[");
        for (int i = 0; i < elements + extra; i++) {
            if (i > 0) b.append(',');
            b.append('"').append(element(i)).append('"');
        }
        b.append("]}},\"firewall\":{\"policies\":[{\"from\":\"z0\",\"to\":\"z1\",\"action\":\"accept\"}],\"rules\":[");
        int changed = changedRule();
        for (int i = 0; i < rules; i++) {
            if (i > 0) b.append(',');
            int from = i % zones;
            b.append("{\"name\":\"").append(ruleName(i)).append("\",\"from\":\"z").append(from).append('"');
            if (i < zones) { // the blocklist, first in each zone
                b.append(",\"to\":\"self\",\"source\":\"@blocklist\",\"action\":\"drop\"}");
                continue;
            }
            if (i % 3 == 0) b.append(",\"to\":\"self\"");
            else b.append(",\"to\":\"z").append((from + 1 + (i / zones) % (zones - 1)) % zones).append('"');
            b.append(",\"protocol\":\"").append(i % 2 == 0 ? "tcp" : "udp").append('"');
            int p = i == changed ? changedPort(variant) : port(i);
            if (i % 10 == 9) b.append(",\"port\":[").append(p).append(',').append(p + 1).append(']');
            else b.append(",\"port\":").append(p);
            if (i % 4 == 0) {
                int n = i % 4096; // a /24 in 172.16.0.0/12
                b.append(",\"source\":\"172.").append(16 + (n >> 8)).append('.').append(n & 255).append(".0/24\"");
            } else if (i % 4 == 1) {
                b.append(",\"source\":\"192.168.").append((i >> 8) & 255).append('.').append(1 + (i & 127)).append('"');
            }
            b.append(",\"action\":\"").append(i % 7 == 0 ? "drop" : "accept").append("\"}");
        }
        b.append("]},\"management\":{\"listen\":\"127.0.0.1:").append(apiPort)
                .append("\",\"tokens\":[{\"name\":\"bench\",\"hash\":\"").append(TokenHash.of(token))
                .append("\",\"role\":\"admin\"}]}}\n");
        return b.toString();
    }

    /** The config of a variant, read and validated as the daemon would. */
    public Config config(int extra, int variant) {
        return parse(text(extra, variant));
    }

    public static Config parse(String text) {
        LoadResult r = ConfigLoader.parse(text, Format.JSON);
        return r.orThrow();
    }
}
