package dev.bulwark.config.validate;

import dev.bulwark.config.bind.RecordInfo;
import dev.bulwark.config.model.Conntrack;
import dev.bulwark.config.model.Helper;
import dev.bulwark.config.model.NoTrack;
import dev.bulwark.config.model.Timeouts;
import dev.bulwark.config.types.Names;
import java.util.HashMap;
import java.util.Map;

/** Conntrack: sizes and timeouts in range, helpers unique and on known zones, no-track rules like firewall rules. */
final class ConntrackCheck implements Check {

    @Override
    public void check(Context ctx) {
        Conntrack ct = ctx.config.conntrack();
        if (ct.max() != null && (ct.max() < 1024)) {
            ctx.error("/conntrack/max", "conntrack max " + ct.max() + " is too small to run a router; use at least 1024 (typical: 65536-1048576)");
        }
        for (RecordInfo.Field f : RecordInfo.of(Timeouts.class).fields()) {
            Integer v = (Integer) f.get(ct.timeouts());
            if (v != null && v < 1) {
                ctx.error("/conntrack/timeouts/" + f.key(), "timeout " + v + " must be at least 1 second");
            }
        }
        Map<String, Integer> helpers = new HashMap<>();
        for (int i = 0; i < ct.helpers().size(); i++) {
            Helper h = ct.helpers().get(i);
            String p = Context.at("/conntrack/helpers", i);
            Integer first = helpers.putIfAbsent(h.type() + ":" + h.effectivePort(), i);
            if (first != null) {
                ctx.error(p, "helper " + Names.enumName(h.type()) + " on port " + h.effectivePort() + " is already given at /conntrack/helpers/" + first);
            }
            for (int z = 0; z < h.zones().size(); z++) ctx.zoneRef(Context.at(p, "zones", z), h.zones().get(z), false);
        }
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < ct.notrack().size(); i++) {
            NoTrack n = ct.notrack().get(i);
            String p = Context.at("/conntrack/notrack", i);
            Matches.uniqueName(ctx, names, n.name(), p + "/name", "no-track");
            if (n.from() != null) ctx.zoneRef(p + "/from", n.from(), false);
            Matches.FamilyTracker fam = new Matches.FamilyTracker(ctx, "no-track rule");
            fam.see(n.protocol().family(), p + "/protocol", "protocol " + Names.enumName(n.protocol()));
            Matches.addresses(ctx, p + "/source", n.source(), fam);
            Matches.addresses(ctx, p + "/destination", n.destination(), fam);
            Matches.ports(ctx, p + "/port", n.port(), n.protocol());
        }
    }
}
