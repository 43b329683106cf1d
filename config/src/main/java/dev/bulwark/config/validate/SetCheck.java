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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Sets: every element of the set's type, no duplicates; overlapping elements are warned about (the kernel merges them). */
final class SetCheck implements Check {

    private record Span(IpAddress first, IpAddress last, int index) {
    }

    @Override
    public void check(Context ctx) {
        for (Map.Entry<String, NamedSet> e : ctx.config.sets().entrySet()) {
            String p = Context.at("/sets", e.getKey());
            NamedSet set = e.getValue();
            Map<SetElement, Integer> seen = new HashMap<>();
            List<Span> spans = new ArrayList<>();
            List<int[]> portSpans = new ArrayList<>();
            for (int i = 0; i < set.elements().size(); i++) {
                SetElement el = set.elements().get(i);
                String ep = Context.at(p, "elements", i);
                if (!fits(set.type(), el)) {
                    ctx.error(ep, "'" + el + "' is " + kind(el) + ", but set '" + e.getKey() + "' has type "
                            + Names.enumName(set.type()));
                    continue;
                }
                Integer first = seen.putIfAbsent(el, i);
                if (first != null) {
                    ctx.error(ep, "'" + el + "' is already element " + first + " of this set");
                    continue;
                }
                switch (el) {
                    case IpAddress a -> spans.add(new Span(a, a, i));
                    case IpPrefix pr -> spans.add(new Span(pr.network(), pr.network().lastInPrefix(pr.length()), i));
                    case IpRange r -> spans.add(new Span(r.from(), r.to(), i));
                    case PortRange r -> portSpans.add(new int[]{r.from(), r.to(), i});
                }
            }
            overlaps(ctx, p, set, spans, portSpans);
        }
    }

    private static void overlaps(Context ctx, String p, NamedSet set, List<Span> spans, List<int[]> ports) {
        spans.sort(Comparator.comparing(Span::first));
        Span widest = null;
        int reported = 0;
        for (Span s : spans) {
            if (widest != null && s.first().compareTo(widest.last()) <= 0 && reported < 10) {
                ctx.warning(Context.at(p, "elements", s.index()), "'" + set.elements().get(s.index()) + "' overlaps '"
                        + set.elements().get(widest.index()) + "' (element " + widest.index() + "); the kernel keeps their union");
                reported++;
            }
            if (widest == null || s.last().compareTo(widest.last()) > 0) widest = s;
        }
        ports.sort(Comparator.comparingInt(a -> a[0]));
        int[] wp = null;
        for (int[] r : ports) {
            if (wp != null && r[0] <= wp[1] && reported < 10) {
                ctx.warning(Context.at(p, "elements", r[2]), "'" + set.elements().get(r[2]) + "' overlaps '"
                        + set.elements().get(wp[2]) + "' (element " + wp[2] + "); the kernel keeps their union");
                reported++;
            }
            if (wp == null || r[1] > wp[1]) wp = r;
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
