package dev.bulwark.config.validate;

import dev.bulwark.config.model.NamedSet;
import dev.bulwark.config.model.Protocol;
import dev.bulwark.config.model.SetType;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.PortMatch;
import dev.bulwark.config.types.SetRef;
import dev.bulwark.config.types.Names;
import java.util.List;
import java.util.Map;

/**
 * Checks shared by everything that matches packets (rules, NAT, no-track): set references resolve to a set of the
 * right kind, ports only with tcp/udp, and one address family per rule.
 */
final class Matches {

    /** Collects the address family a rule is bound to, and where that came from, to report a conflict. */
    static final class FamilyTracker {
        private final Context ctx;
        private final String what;
        private Family family;
        private String source;

        FamilyTracker(Context ctx, String what) {
            this.ctx = ctx;
            this.what = what;
        }

        /** Records that the node at {@code pointer} implies {@code f}; reports a conflict with what came before. */
        void see(Family f, String pointer, String description) {
            if (f == null) return;
            if (family == null) {
                family = f;
                source = description + " (" + pointer + ")";
            } else if (family != f) {
                ctx.error(pointer, description + " is " + f.label() + ", but this " + what + " is " + family.label()
                        + " because of " + source + "; one " + what + " matches one address family, so split it in two");
            }
        }

        Family family() {
            return family;
        }
    }

    static void addresses(Context ctx, String pointer, List<AddressMatch> list, FamilyTracker fam) {
        for (int i = 0; i < list.size(); i++) {
            AddressMatch m = list.get(i);
            String p = Context.at(pointer, i);
            if (m instanceof SetRef ref) {
                NamedSet s = setRef(ctx, p, ref);
                if (s == null) continue;
                if (s.type() == SetType.PORT) {
                    ctx.error(p, "set '" + ref.name() + "' holds ports, but an address set is needed here");
                    continue;
                }
                fam.see(s.type() == SetType.IPV4 ? Family.IPV4 : Family.IPV6, p, "set " + ref);
            } else {
                fam.see(m.family(), p, m.toString());
            }
        }
    }

    static void ports(Context ctx, String pointer, List<PortMatch> list, Protocol protocol) {
        if (!list.isEmpty() && !protocol.hasPorts()) {
            ctx.error(pointer, "ports need protocol tcp or udp; this one has protocol " + Names.enumName(protocol)
                    + (protocol == Protocol.ANY ? " (add 'protocol: tcp' or 'protocol: udp')" : ""));
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof SetRef ref) {
                String p = Context.at(pointer, i);
                NamedSet s = setRef(ctx, p, ref);
                if (s != null && s.type() != SetType.PORT) {
                    ctx.error(p, "set '" + ref.name() + "' holds " + Names.enumName(s.type())
                            + " addresses, but a port set is needed here");
                }
            }
        }
    }

    static NamedSet setRef(Context ctx, String pointer, SetRef ref) {
        ctx.usedSets.add(ref.name());
        NamedSet s = ctx.set(ref.name());
        if (s == null) {
            ctx.error(pointer, "unknown set '" + ref.name() + "'" + Context.suggestion(ref.name(), ctx.config.sets().keySet(), "set"));
        }
        return s;
    }

    static void uniqueName(Context ctx, Map<String, String> seen, String name, String pointer, String kind) {
        if (!Names.isIdentifier(name)) {
            ctx.error(pointer, "'" + name + "' is not a valid " + kind + " name: " + Names.IDENTIFIER_RULE);
            return;
        }
        String first = seen.putIfAbsent(name, pointer);
        if (first != null) {
            ctx.error(pointer, "the name '" + name + "' is already used at " + first + "; names must be unique");
        }
    }

    private Matches() {
    }
}
