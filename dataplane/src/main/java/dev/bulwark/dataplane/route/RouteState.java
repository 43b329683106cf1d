package dev.bulwark.dataplane.route;

import dev.bulwark.dataplane.apply.Step;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between desired and live routes as ordered {@link Step}s: a pure function, no kernel access.
 *
 * <p>Routes are keyed as the kernel keys them, by (destination, table, metric) ({@link Route#key()}); a changed metric
 * is therefore a new route and the removal of the old one. A desired route whose key is live as ours with another
 * gateway or device is replaced in place. Own only what is ours: only live routes tagged
 * {@link Route#BULWARK_PROTOCOL} are compared, replaced or deleted; a foreign route with the key of a desired one
 * makes the addition fail (EEXIST) rather than be taken over. Additions and replacements come first, deletions last
 * (make before break). A desired route without a device accepts the device the kernel chose for its gateway.
 * Undo: an addition is undone by deleting, a replacement by replacing back, a deletion by adding.
 */
public final class RouteState {
    private RouteState() {
    }

    public static List<Step> plan(Collection<Route> desired, Collection<Route> live) {
        Map<Route.Key, Route> want = new LinkedHashMap<>();
        for (Route d : desired) {
            if (!d.ours()) throw new IllegalArgumentException("desired route " + d + " is not tagged proto " + Route.BULWARK_PROTOCOL);
            Route before = want.put(d.key(), d);
            if (before != null) {
                throw new IllegalArgumentException("desired routes " + before + " and " + d + " have the same destination, table and metric");
            }
        }
        Map<Route.Key, Route> have = new LinkedHashMap<>();
        for (Route l : live) if (l.ours()) have.putIfAbsent(l.key(), l);
        List<Step> steps = new ArrayList<>();
        for (Route d : want.values()) {
            Route l = have.get(d.key());
            if (l == null) {
                steps.add(new Step(new Routes.Add(d), new Routes.Delete(d)));
            } else if (!satisfies(d, l)) {
                steps.add(new Step(new Routes.Replace(d), new Routes.Replace(l)));
            }
        }
        for (Route l : have.values()) {
            if (!want.containsKey(l.key())) steps.add(new Step(new Routes.Delete(l), new Routes.Add(l)));
        }
        return steps;
    }

    /** Whether the live route is the desired one (same key assumed). */
    static boolean satisfies(Route desired, Route live) {
        return Objects.equals(desired.gateway(), live.gateway())
                && (desired.device() == null || desired.device().equals(live.device()));
    }
}
