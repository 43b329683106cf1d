package dev.bulwark.config.validate;

import dev.bulwark.config.model.NamedSet;
import dev.bulwark.config.model.SetType;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.IpPrefix;
import dev.bulwark.config.types.IpRange;
import dev.bulwark.config.types.Names;
import dev.bulwark.config.types.PortRange;
import dev.bulwark.config.types.SetElement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Sets: every element of the set's type, no duplicates; overlapping elements are warned about (the kernel merges them). */
final class SetCheck implements Check {

    @Override
    public void check(Context ctx) {
        for (Map.Entry<String, NamedSet> e : ctx.config.sets().entrySet()) {
            String p = Context.at("/sets", e.getKey());
            NamedSet set = e.getValue();
            int n = set.elements().size();
            Map<SetElement, Integer> seen = HashMap.newHashMap(n);
            // Elements that do not fit the set's type are refused, so its spans are of one kind.
            Spans spans = new Spans(set.type() == SetType.IPV6 ? Family.IPV6 : Family.IPV4, set.type() == SetType.PORT ? 0 : n);
            Spans ports = new Spans(null, set.type() == SetType.PORT ? n : 0);
            for (int i = 0; i < n; i++) {
                SetElement el = set.elements().get(i);
                if (!fits(set.type(), el)) {
                    ctx.error(Context.at(p, "elements", i), "'" + el + "' is " + kind(el) + ", but set '" + e.getKey()
                            + "' has type " + Names.enumName(set.type()));
                    continue;
                }
                Integer first = seen.putIfAbsent(el, i);
                if (first != null) {
                    ctx.error(Context.at(p, "elements", i), "'" + el + "' is already element " + first + " of this set");
                    continue;
                }
                switch (el) {
                    case IpAddress a -> spans.add(a, a, i);
                    case IpPrefix pr -> spans.add(pr.network(), pr.network().lastInPrefix(pr.length()), i);
                    case IpRange r -> spans.add(r.from(), r.to(), i);
                    case PortRange r -> ports.add(r.from(), r.to(), i);
                }
            }
            int reported = overlaps(ctx, p, set, spans, 0);
            overlaps(ctx, p, set, ports, reported);
        }
    }

    /**
     * Warns (at most 10 times a set, {@code reported} so far) about each element that starts inside an earlier one:
     * in order of first value, one that starts at or before the end of the widest so far overlaps it.
     */
    private static int overlaps(Context ctx, String p, NamedSet set, Spans spans, int reported) {
        int widest = -1;
        for (int s : spans.byFirst()) {
            if (widest >= 0 && spans.compareFirstToLast(s, widest) <= 0 && reported < 10) {
                ctx.warning(Context.at(p, "elements", spans.element[s]), "'" + set.elements().get(spans.element[s]) + "' overlaps '"
                        + set.elements().get(spans.element[widest]) + "' (element " + spans.element[widest] + "); the kernel keeps their union");
                reported++;
            }
            if (widest < 0 || spans.compareLasts(s, widest) > 0) widest = s;
        }
        return reported;
    }

    /**
     * The first and last value of each element of a set as 128-bit numbers (two longs; an IPv4 address or a port in
     * the low one), with the element's index: sorted with one primitive sort where the values are small enough.
     */
    private static final class Spans {
        private final Family family;
        private int count;
        private long[] firstHi, firstLo, lastHi, lastLo;
        private int[] element;

        Spans(Family family, int capacity) {
            this.family = family;
            firstHi = new long[capacity];
            firstLo = new long[capacity];
            lastHi = new long[capacity];
            lastLo = new long[capacity];
            element = new int[capacity];
        }

        void add(IpAddress first, IpAddress last, int index) {
            add(first.hi(), first.lo(), last.hi(), last.lo(), index);
        }

        void add(int first, int last, int index) {
            add(0, first, 0, last, index);
        }

        private void add(long fh, long fl, long lh, long ll, int index) {
            if (count == element.length) {
                int c = Math.max(8, count * 2);
                firstHi = Arrays.copyOf(firstHi, c);
                firstLo = Arrays.copyOf(firstLo, c);
                lastHi = Arrays.copyOf(lastHi, c);
                lastLo = Arrays.copyOf(lastLo, c);
                element = Arrays.copyOf(element, c);
            }
            firstHi[count] = fh;
            firstLo[count] = fl;
            lastHi[count] = lh;
            lastLo[count] = ll;
            element[count] = index;
            count++;
        }

        /** The spans in order of their first value; those with the same first value in element order. */
        int[] byFirst() {
            int[] order = new int[count];
            if (family != Family.IPV6) {
                // IPv4 addresses (32 bits) and ports (16 bits) fit above the span's number (31 bits) in one long.
                long[] keys = new long[count];
                for (int i = 0; i < count; i++) keys[i] = (firstLo[i] << 31) | i;
                Arrays.sort(keys);
                for (int i = 0; i < count; i++) order[i] = (int) (keys[i] & 0x7FFF_FFFF);
            } else {
                Integer[] boxed = new Integer[count];
                for (int i = 0; i < count; i++) boxed[i] = i;
                Arrays.sort(boxed, (a, b) -> compare(firstHi[a], firstLo[a], firstHi[b], firstLo[b])); // stable
                for (int i = 0; i < count; i++) order[i] = boxed[i];
            }
            return order;
        }

        int compareFirstToLast(int a, int b) {
            return compare(firstHi[a], firstLo[a], lastHi[b], lastLo[b]);
        }

        int compareLasts(int a, int b) {
            return compare(lastHi[a], lastLo[a], lastHi[b], lastLo[b]);
        }

        private static int compare(long ah, long al, long bh, long bl) {
            int c = Long.compareUnsigned(ah, bh);
            return c != 0 ? c : Long.compareUnsigned(al, bl);
        }
    }

    private static boolean fits(SetType type, SetElement el) {
        return switch (type) {
            case PORT -> el instanceof PortRange;
            case IPV4 -> !(el instanceof PortRange) && family(el) == Family.IPV4;
            case IPV6 -> !(el instanceof PortRange) && family(el) == Family.IPV6;
        };
    }

    private static Family family(SetElement el) {
        return switch (el) {
            case IpAddress a -> a.family();
            case IpPrefix pr -> pr.family();
            case IpRange r -> r.family();
            case PortRange r -> null;
        };
    }

    private static String kind(SetElement el) {
        return el instanceof PortRange ? "a port" : "an " + family(el).label() + " value";
    }
}
