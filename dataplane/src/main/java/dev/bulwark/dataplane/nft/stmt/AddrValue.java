package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.stmt.Intervals.Interval;
import java.util.List;
import java.util.stream.Collectors;

/** What an address field is matched against. Addresses are big-endian bytes, 4 (IPv4) or 16 (IPv6). */
public sealed interface AddrValue {

    /** The value's nft text. */
    String render();

    /**
     * The value nft matches for this one: an anonymous set of one element is matched as that element (nft replaces
     * {@code { 10.0.0.0/8 }} with {@code 10.0.0.0/8}), so it is written that way.
     */
    default AddrValue simplified() {
        if (this instanceof Anonymous a && a.intervals().size() == 1) {
            Interval i = a.intervals().getFirst();
            if (i.isSingle()) return new Single(i.from());
            int len = i.prefixLength();
            return len >= 0 ? new Prefix(i.from(), len) : new Range(i.from(), i.to());
        }
        return this;
    }

    /** One address: a plain compare. */
    record Single(Bytes address) implements AddrValue {
        @Override
        public String render() {
            return InetText.address(address);
        }
    }

    /** {@code 10.0.0.0/8}: host bits of {@code network} are zero. */
    record Prefix(Bytes network, int length) implements AddrValue {
        public Prefix {
            if (length < 0 || length > network.length() * 8) throw new IllegalArgumentException("prefix length " + length);
            if (!and(network, Intervals.mask(length, network.length())).equals(network)) {
                throw new IllegalArgumentException("host bits set in " + InetText.address(network) + "/" + length);
            }
        }

        @Override
        public String render() {
            return InetText.address(network) + "/" + length;
        }

        private static Bytes and(Bytes a, Bytes m) {
            byte[] x = a.toArray();
            for (int i = 0; i < x.length; i++) x[i] &= m.get(i);
            return Bytes.of(x);
        }
    }

    /** {@code 10.0.0.10-10.0.0.20}, inclusive. */
    record Range(Bytes from, Bytes to) implements AddrValue {
        public Range {
            new Interval(from, to); // validates
        }

        @Override
        public String render() {
            return InetText.address(from) + "-" + InetText.address(to);
        }
    }

    /** {@code @name}: a named set of the table. */
    record Named(String set) implements AddrValue {
        @Override
        public String render() {
            return "@" + set;
        }
    }

    /**
     * {@code { 10.0.0.0/8, 192.168.1.10 }}: an anonymous set. With any prefix or range it is an interval set whose
     * intervals are merged (overlapping and adjacent ones joined) so that the text and the kernel elements say the
     * same; with single addresses only it is a plain set.
     */
    record Anonymous(List<Interval> intervals) implements AddrValue {
        public Anonymous {
            intervals = List.copyOf(Intervals.canonical(intervals));
            if (intervals.isEmpty()) throw new IllegalArgumentException("an anonymous set needs elements");
        }

        public boolean interval() {
            return intervals.stream().anyMatch(i -> !i.isSingle());
        }

        @Override
        public String render() {
            return "{ " + intervals.stream().map(Anonymous::text).collect(Collectors.joining(", ")) + " }";
        }

        static String text(Interval i) {
            if (i.isSingle()) return InetText.address(i.from());
            int len = i.prefixLength();
            if (len >= 0) return InetText.address(i.from()) + "/" + len;
            return InetText.address(i.from()) + "-" + InetText.address(i.to());
        }
    }
}
