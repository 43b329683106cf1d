package dev.bulwark.config.validate;

import dev.bulwark.config.model.Zone;
import java.util.HashMap;
import java.util.Map;

/** Zones: reserved names, known interfaces, no interface in two zones, every interface somewhere. */
final class ZoneCheck implements Check {

    @Override
    public void check(Context ctx) {
        Map<String, String> owner = new HashMap<>();
        for (Map.Entry<String, Zone> e : ctx.config.zones().entrySet()) {
            String name = e.getKey();
            String p = Context.at("/zones", name);
            if (name.equals("self") || name.equals("any")) {
                ctx.error(p, "'" + name + "' is a reserved word: rules use 'self' for the router itself; pick another zone name");
            }
            if (e.getValue().interfaces().isEmpty()) {
                ctx.warning(p, "zone '" + name + "' has no interfaces, so nothing matches it");
            }
            for (int i = 0; i < e.getValue().interfaces().size(); i++) {
                String iface = e.getValue().interfaces().get(i);
                String ip = Context.at(p, "interfaces", i);
                if (!ctx.config.interfaces().containsKey(iface)) {
                    ctx.error(ip, "unknown interface '" + iface + "'" + Context.suggestion(iface, ctx.config.interfaces().keySet(), "interface"));
                    continue;
                }
                String first = owner.putIfAbsent(iface, name);
                if (first != null) {
                    ctx.error(ip, first.equals(name)
                            ? "interface '" + iface + "' is listed twice in this zone"
                            : "interface '" + iface + "' is already in zone '" + first + "'; an interface belongs to one zone");
                }
            }
        }
        if (!ctx.config.zones().isEmpty()) {
            for (String iface : ctx.config.interfaces().keySet()) {
                if (!owner.containsKey(iface)) {
                    ctx.warning(Context.at("/interfaces", iface), "interface '" + iface + "' is in no zone, so the firewall drops "
                            + "everything it receives and forwards");
                }
            }
        }
    }
}
