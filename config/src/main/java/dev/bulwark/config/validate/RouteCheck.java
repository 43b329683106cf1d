package dev.bulwark.config.validate;

import dev.bulwark.config.model.Route;
import dev.bulwark.config.types.Family;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Routes: a way out (gateway or interface), one family, known interface, no duplicates, sane table and metric. */
final class RouteCheck implements Check {

    @Override
    public void check(Context ctx) {
        List<Route> routes = ctx.config.routes();
        Map<String, Integer> seen = new HashMap<>();
        for (int r = 0; r < routes.size(); r++) {
            Route route = routes.get(r);
            String p = Context.at("/routes", r);
            if (route.via() == null && route.iface() == null) {
                ctx.error(p, "a route needs 'via' (the gateway), 'interface', or both");
                continue;
            }
            if (route.iface() != null && !ctx.config.interfaces().containsKey(route.iface())) {
                ctx.error(p + "/interface", "unknown interface '" + route.iface() + "'"
                        + Context.suggestion(route.iface(), ctx.config.interfaces().keySet(), "interface"));
            }
            Family family = route.to().family();
            if (route.via() != null) {
                if (family != null && family != route.via().family()) {
                    ctx.error(p + "/via", "gateway " + route.via() + " is " + route.via().family().label() + " but the destination "
                            + route.to() + " is " + family.label());
                    continue;
                }
                family = route.via().family();
                if (!ctx.interfaceAddresses().isEmpty() && ctx.hasFamily(family) && !ctx.onLink(route.via())) {
                    ctx.warning(p + "/via", "gateway " + route.via() + " is on none of the configured subnets; the kernel refuses "
                            + "it unless another route reaches it");
                }
            } else if (family == null) {
                ctx.error(p + "/to", "a default route through an interface alone has no address family; give 'via', "
                        + "or write 'to: 0.0.0.0/0' (IPv4) or 'to: ::/0' (IPv6)");
                continue;
            }
            if (route.metric() != null && route.metric() < 0) {
                ctx.error(p + "/metric", "metric " + route.metric() + " is negative; use 0 or more");
            }
            if (route.table() != null) {
                long t = route.table();
                if (t > 4_294_967_295L) {
                    ctx.error(p + "/table", "table " + t + " is too large; table ids go up to 4294967295");
                } else if (t < 0) {
                    ctx.error(p + "/table", "table " + t + " is negative; table ids start at 1 (main is 254)");
                } else if (t == 0 || t == 253 || t == 255) {
                    ctx.error(p + "/table", "table " + t + " cannot be used: 0, 253 (default) and 255 (local) are reserved; main is 254");
                }
            }
            String key = family + " " + route.to() + " table " + (route.table() == null ? 254 : route.table()) + " metric "
                    + (route.metric() == null ? 0 : route.metric());
            Integer first = seen.putIfAbsent(key, r);
            if (first != null) {
                ctx.error(p, "route to " + route.to() + " duplicates /routes/" + first + " (same table and metric)");
            }
        }
    }
}
