package dev.bulwark.config.validate;

import dev.bulwark.config.model.Masquerade;
import dev.bulwark.config.model.Nat;
import dev.bulwark.config.model.OneToOne;
import dev.bulwark.config.model.PortForward;
import dev.bulwark.config.model.Protocol;
import dev.bulwark.config.model.Snat;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.IpPrefix;
import dev.bulwark.config.types.IpRange;
import dev.bulwark.config.types.Names;
import dev.bulwark.config.types.SetRef;
import java.util.HashMap;
import java.util.Map;

/** NAT: zones resolve, names unique, targets of the right shape and family, reachable through an interface. */
final class NatCheck implements Check {

    @Override
    public void check(Context ctx) {
        Nat nat = ctx.config.nat();
        Map<String, Integer> masq = new HashMap<>();
        for (int i = 0; i < nat.masquerade().size(); i++) {
            Masquerade m = nat.masquerade().get(i);
            String p = Context.at("/nat/masquerade", i);
            boolean ok = ctx.zoneRef(p + "/from", m.from(), false) & ctx.zoneRef(p + "/out", m.out(), false);
            Matches.addresses(ctx, p + "/source", m.source(), new Matches.FamilyTracker(ctx, "masquerade"));
            if (ok && m.source().isEmpty()) {
                Integer first = masq.putIfAbsent(m.from() + ">" + m.out(), i);
                if (first != null) ctx.error(p, "masquerade from '" + m.from() + "' out '" + m.out() + "' is already given at /nat/masquerade/" + first);
            }
        }
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < nat.snat().size(); i++) {
            snat(ctx, nat.snat().get(i), Context.at("/nat/snat", i), names);
        }
        for (int i = 0; i < nat.portForwards().size(); i++) {
            portForward(ctx, nat.portForwards().get(i), Context.at("/nat/port-forwards", i));
        }
        Map<String, String> oneNames = new HashMap<>();
        for (int i = 0; i < nat.oneToOne().size(); i++) {
            oneToOne(ctx, nat.oneToOne().get(i), Context.at("/nat/one-to-one", i), oneNames);
        }
    }

    private static void snat(Context ctx, Snat s, String p, Map<String, String> names) {
        Matches.uniqueName(ctx, names, s.name(), p + "/name", "SNAT");
        ctx.zoneRef(p + "/from", s.from(), false);
        ctx.zoneRef(p + "/out", s.out(), false);
        Matches.FamilyTracker fam = new Matches.FamilyTracker(ctx, "SNAT");
        Matches.addresses(ctx, p + "/source", s.source(), fam);
        if (!(s.to() instanceof IpAddress) && !(s.to() instanceof IpRange)) {
            ctx.error(p + "/to", "SNAT translates to one address or an address range (pool), not " + shape(s.to()));
            return;
        }
        fam.see(s.to().family(), p + "/to", "target " + s.to());
        reachable(ctx, p + "/to", s.to().family(), null);
    }

    private static void portForward(Context ctx, PortForward f, String p) {
        Matches.uniqueName(ctx, ctx.counterNames, f.name(), p + "/name", "port-forward");
        ctx.zoneRef(p + "/in", f.in(), false);
        if (f.protocol() != Protocol.TCP && f.protocol() != Protocol.UDP) {
            ctx.error(p + "/protocol", "a port-forward forwards tcp or udp, not " + Names.enumName(f.protocol()));
        }
        if (!f.port().single() && f.to().port() != null) {
            ctx.error(p + "/to", "a port range is forwarded with its ports unchanged; remove the port from 'to' (to: "
                    + f.to().address() + ") or forward a single port");
        }
        Matches.FamilyTracker fam = new Matches.FamilyTracker(ctx, "port-forward");
        fam.see(f.to().family(), p + "/to", "target " + f.to());
        if (f.destination() != null) fam.see(f.destination().family(), p + "/destination", "destination " + f.destination());
        Matches.addresses(ctx, p + "/source", f.source(), fam);
        reachable(ctx, p + "/to", f.to().family(), f.to().address());
        if (f.hairpin() && ctx.interfaceFor(f.to().address()) == null) {
            ctx.error(p + "/hairpin", "hairpin needs the inside host " + f.to().address()
                    + " on a configured interface subnet, to know which zone reflects to it");
        }
    }

    private static void oneToOne(Context ctx, OneToOne o, String p, Map<String, String> names) {
        Matches.uniqueName(ctx, names, o.name(), p + "/name", "1:1 NAT");
        ctx.zoneRef(p + "/in", o.in(), false);
        int extLen = length(ctx, p + "/external", o.external());
        int intLen = length(ctx, p + "/internal", o.internal());
        if (extLen < 0 || intLen < 0) return;
        if (o.external().family() != o.internal().family()) {
            ctx.error(p + "/internal", "internal " + o.internal() + " is " + o.internal().family().label() + " but external "
                    + o.external() + " is " + o.external().family().label());
            return;
        }
        if (extLen != intLen) {
            ctx.error(p + "/internal", "1:1 NAT maps prefixes of the same length: external is /" + extLen + ", internal is /" + intLen);
        }
        IpAddress inside = o.internal() instanceof IpPrefix pr ? pr.network() : (IpAddress) o.internal();
        reachable(ctx, p + "/internal", o.internal().family(), inside);
    }

    private static int length(Context ctx, String p, AddressMatch m) {
        if (m instanceof IpAddress a) return a.family().bits();
        if (m instanceof IpPrefix pr) return pr.length();
        ctx.error(p, "1:1 NAT takes an address or a prefix, not " + shape(m));
        return -1;
    }

    /**
     * A NAT target of a family no interface has can never be reached; one outside every configured subnet is probably
     * a typo (unless a route leads there).
     */
    private static void reachable(Context ctx, String p, Family family, IpAddress inside) {
        if (ctx.interfaceAddresses().isEmpty()) return;
        if (!ctx.hasFamily(family)) {
            ctx.error(p, "no interface has an " + family.label() + " address, so an " + family.label() + " NAT target cannot be reached");
            return;
        }
        if (inside != null && !ctx.onLink(inside) && ctx.config.routes().stream().noneMatch(r -> r.to().prefix() != null && r.to().prefix().contains(inside))) {
            ctx.warning(p, inside + " is on none of the configured subnets or routes");
        }
    }

    private static String shape(AddressMatch m) {
        return switch (m) {
            case IpAddress a -> "an address";
            case IpPrefix pr -> "a prefix (" + pr + ")";
            case IpRange r -> "a range (" + r + ")";
            case SetRef s -> "a set (" + s + ")";
        };
    }
}
