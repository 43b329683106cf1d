package dev.bulwark.config.validate;

import dev.bulwark.config.model.CtState;
import dev.bulwark.config.model.Firewall;
import dev.bulwark.config.model.IcmpType;
import dev.bulwark.config.model.Limit;
import dev.bulwark.config.model.Log;
import dev.bulwark.config.model.Policy;
import dev.bulwark.config.model.Protocol;
import dev.bulwark.config.model.Rule;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.Names;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Policies and rules: zones resolve, names unique, one family per rule, ports and ICMP types fit the protocol. */
final class FirewallCheck implements Check {

    @Override
    public void check(Context ctx) {
        Firewall fw = ctx.config.firewall();
        Map<String, Integer> pairs = new HashMap<>();
        for (int i = 0; i < fw.policies().size(); i++) {
            Policy pol = fw.policies().get(i);
            String p = Context.at("/firewall/policies", i);
            boolean ok = ctx.zoneRef(p + "/from", pol.from(), false) & ctx.zoneRef(p + "/to", pol.to(), false);
            if (ok) {
                Integer first = pairs.putIfAbsent(pol.from() + ">" + pol.to(), i);
                if (first != null) {
                    ctx.error(p, "a policy from '" + pol.from() + "' to '" + pol.to() + "' is already given at /firewall/policies/" + first);
                }
            }
            if (pol.log() != null) log(ctx, p + "/log", pol.log());
        }
        Map<String, String> names = ctx.counterNames;
        for (int i = 0; i < fw.rules().size(); i++) {
            rule(ctx, fw.rules().get(i), Context.at("/firewall/rules", i), names);
        }
    }

    private static void rule(Context ctx, Rule r, String p, Map<String, String> names) {
        Matches.uniqueName(ctx, names, r.name(), p + "/name", "rule");
        ctx.zoneRef(p + "/from", r.from(), true);
        ctx.zoneRef(p + "/to", r.to(), true);
        if (Rule.SELF.equals(r.from()) && Rule.SELF.equals(r.to())) {
            ctx.error(p, "a rule from self to self would match the router's traffic to itself, which is never filtered; "
                    + "one side must be a zone");
        }
        Matches.FamilyTracker fam = new Matches.FamilyTracker(ctx, "rule");
        if (r.family() != null) fam.see(r.family(), p + "/family", "family " + Names.enumName(r.family()));
        fam.see(r.protocol().family(), p + "/protocol", "protocol " + Names.enumName(r.protocol()));
        Matches.addresses(ctx, p + "/source", r.source(), fam);
        Matches.addresses(ctx, p + "/destination", r.destination(), fam);
        Matches.ports(ctx, p + "/port", r.port(), r.protocol());
        Matches.ports(ctx, p + "/source-port", r.sourcePort(), r.protocol());
        if (!r.icmpType().isEmpty()) {
            if (r.protocol() != Protocol.ICMP && r.protocol() != Protocol.ICMPV6) {
                ctx.error(p + "/icmp-type", "icmp-type needs protocol icmp or icmpv6; this rule has protocol " + Names.enumName(r.protocol()));
            } else {
                Family f = r.protocol().family();
                for (int i = 0; i < r.icmpType().size(); i++) {
                    IcmpType t = r.icmpType().get(i);
                    if (!t.existsIn(f)) {
                        ctx.error(Context.at(p, "icmp-type", i), "'" + Names.enumName(t) + "' is not an " + (f == Family.IPV4 ? "ICMP" : "ICMPv6")
                                + " type" + (f == Family.IPV4 ? "; use protocol icmpv6 for it" : "; use protocol icmp for it"));
                    }
                }
            }
        }
        Set<CtState> states = new HashSet<>();
        for (int i = 0; i < r.state().size(); i++) {
            if (!states.add(r.state().get(i))) {
                ctx.error(Context.at(p, "state", i), "state '" + Names.enumName(r.state().get(i)) + "' is listed twice");
            }
        }
        if (r.limit() != null) limit(ctx, p + "/limit", r.limit());
        if (r.log() != null) log(ctx, p + "/log", r.log());
    }

    static void limit(Context ctx, String p, Limit l) {
        if (l.burst() != null && (l.burst() < 1 || l.burst() > 65535)) {
            ctx.error(p + "/burst", "burst " + l.burst() + " is out of range 1-65535");
        }
    }

    static void log(Context ctx, String p, Log l) {
        if (l.prefix() != null && l.prefix().length() > 127) {
            ctx.error(p + "/prefix", "the log prefix has " + l.prefix().length() + " characters; the kernel takes at most 127");
        }
        if (l.prefix() != null && l.prefix().chars().anyMatch(c -> c < 32 || c == '"')) {
            ctx.error(p + "/prefix", "the log prefix may not contain control characters or '\"'");
        }
        if (l.group() != null && (l.group() < 0 || l.group() > 65535)) {
            ctx.error(p + "/group", "nflog group " + l.group() + " is out of range 0-65535");
        }
    }
}
