package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.stmt.Intervals.Interval;
import java.util.List;
import java.util.stream.Collectors;

/** What a port field is matched against. */
public sealed interface PortValue {

    String render();

    /** An anonymous set of one element is matched as that element, as nft does. */
    default PortValue simplified() {
        if (this instanceof Anonymous a && a.intervals().size() == 1) {
            Interval i = a.intervals().getFirst();
            int from = (int) InetText.value(i.from()), to = (int) InetText.value(i.to());
            return from == to ? new Single(from) : new Range(from, to);
        }
        return this;
    }

    static Bytes key(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        return Bytes.be(port, 2);
    }

    record Single(int port) implements PortValue {
        public Single {
            key(port);
        }

        @Override
        public String render() {
            return Integer.toString(port);
        }
    }

    /** {@code 8000-8100}, inclusive. */
    record Range(int from, int to) implements PortValue {
        public Range {
            key(from);
            key(to);
            if (from > to) throw new IllegalArgumentException("port range " + from + "-" + to);
        }

        @Override
        public String render() {
            return from + "-" + to;
        }
    }

    record Named(String set) implements PortValue {
        @Override
        public String render() {
            return "@" + set;
        }
    }

    /** {@code { 25, 465, 8000-8100 }}, merged like {@link AddrValue.Anonymous}. */
    record Anonymous(List<Interval> intervals) implements PortValue {
        public Anonymous {
            intervals = List.copyOf(Intervals.canonical(intervals));
            if (intervals.isEmpty()) throw new IllegalArgumentException("an anonymous set needs elements");
            for (Interval i : intervals) if (i.from().length() != 2) throw new IllegalArgumentException("ports are 2 bytes");
        }

        public static Anonymous ofRanges(List<int[]> ranges) {
            return new Anonymous(ranges.stream().map(r -> new Interval(key(r[0]), key(r[1]))).toList());
        }

        public boolean interval() {
            return intervals.stream().anyMatch(i -> !i.isSingle());
        }

        @Override
        public String render() {
            return "{ " + intervals.stream().map(i -> i.isSingle() ? Long.toString(InetText.value(i.from()))
                    : InetText.value(i.from()) + "-" + InetText.value(i.to())).collect(Collectors.joining(", ")) + " }";
        }
    }
}
