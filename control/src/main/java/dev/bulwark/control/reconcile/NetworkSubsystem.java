package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.port.Dataplane;

import dev.bulwark.control.compile.DesiredNetwork;
import dev.bulwark.config.model.Config;
import dev.bulwark.control.compile.NetworkCompiler;
import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.apply.Step;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.AddressState;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.LinkState;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.RouteState;
import dev.bulwark.dataplane.route.Routes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Links, addresses and routes, planned by the dataplane's pure planners ({@link LinkState}, {@link AddressState},
 * {@link RouteState}); each step is one netlink request with its undo.
 *
 * <p>The kernel removes things by itself: a link's addresses and routes with the link; IPv4 and IPv6 routes through a
 * link that goes down; the IPv4 secondaries of a removed primary address, and IPv4 routes whose gateway's subnet
 * loses its address. Undoing the change that caused such a removal would not bring those back, so the plan removes
 * them explicitly first (each with its undo) and adds back what is desired at the end. Order: our routes on
 * disrupted devices (deleted, going down, changing master, losing an IPv4 address); address removals, newest first;
 * links (parents and masters first); address additions; routes (additions and replacements, then deletions). Own only what is ours: links Bulwark created (the desired and the last applied config's
 * VLANs and bridges), addresses on the devices a config names, routes tagged with Bulwark's protocol.
 */
final class NetworkSubsystem implements Subsystem<DesiredNetwork, NetworkSubsystem.Live> {

    /** The live links, addresses and our routes. */
    record Live(List<Link> links, List<Address> addresses, List<Route> routes) {
        Live {
            links = List.copyOf(links);
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
        }
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public DesiredNetwork compile(Config config) {
        return NetworkCompiler.compile(config);
    }

    @Override
    public Live read(Dataplane dp, DesiredNetwork desired, DesiredNetwork previous) {
        NetworkPort net = dp.port(NetworkPort.KIND);
        return new Live(net.links(), net.addresses(), net.ourRoutes());
    }

    @Override
    public Part plan(Live known, DesiredNetwork desired, DesiredNetwork previous, String where) {
        Set<String> owned = new HashSet<>(desired.ownedLinks());
        Set<String> devices = new HashSet<>(desired.devices());
        if (previous != null) {
            owned.addAll(previous.ownedLinks());
            devices.addAll(previous.devices());
        }
        List<Step> links = LinkState.plan(desired.links(), known.links(), owned);
        Set<String> deleted = new HashSet<>();
        Set<String> disrupted = new HashSet<>(); // devices whose routes the kernel drops during this plan
        for (Step s : links) {
            switch (s.operation()) {
                case Links.Delete d -> {
                    deleted.add(d.name());
                    disrupted.add(d.name());
                }
                case Links.SetUp u when !u.up() -> disrupted.add(u.name());
                case Links.SetMaster m -> disrupted.add(m.name());
                default -> {
                }
            }
        }

        // Address removals: those the planner asks for, those on links about to go, and the IPv4 addresses of the
        // same subnet as a removed one (the kernel removes the secondaries with the primary).
        List<Address> removals = new ArrayList<>();
        for (Address a : known.addresses()) if (deleted.contains(a.device())) removals.add(a);
        for (Step s : AddressState.plan(desired.addresses(), known.addresses(), devices)) {
            if (s.operation() instanceof Addresses.Delete d && !removals.contains(d.address())) removals.add(d.address());
        }
        for (Address a : List.copyOf(removals)) {
            if (a.family() != Inet.AF_INET) continue;
            for (Address b : known.addresses()) if (sameSubnet(a, b) && !removals.contains(b)) removals.add(b);
        }
        for (Address a : removals) if (a.family() == Inet.AF_INET) disrupted.add(a.device());
        // Newest first, so that undoing re-adds them in the kernel's order (the primary before its secondaries).
        List<Address> removalOrder = new ArrayList<>(known.addresses());
        removalOrder.retainAll(removals);
        java.util.Collections.reverse(removalOrder);
        List<Address> remaining = new ArrayList<>(known.addresses());
        remaining.removeAll(removals);

        // Our routes on disrupted devices go first, explicitly (so undo brings them back), and come back at the end
        // when desired.
        List<Step> steps = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        for (Route r : known.routes()) {
            if (r.device() != null && disrupted.contains(r.device())) steps.add(new Step(new Routes.Delete(r), new Routes.Add(r)));
            else routes.add(r);
        }
        for (Address a : removalOrder) steps.add(new Step(new Addresses.Delete(a), new Addresses.Add(a)));
        steps.addAll(links);
        steps.addAll(AddressState.plan(desired.addresses(), remaining, devices));
        steps.addAll(RouteState.plan(desired.routes(), routes));

        List<Change> changes = new ArrayList<>();
        List<Action> actions = new ArrayList<>();
        for (Step s : steps) {
            Change c = describe(s.operation());
            changes.add(c);
            Operation op = s.operation();
            List<Operation> undo = s.undo();
            actions.add(Action.of(c.toString(), 1, dp -> {
                dp.port(NetworkPort.KIND).apply(op);
                return List.of();
            }, dp -> {
                for (Operation u : undo) dp.port(NetworkPort.KIND).apply(u);
                return List.of();
            }));
        }
        String summary = steps.size() + (steps.size() == 1 ? " operation" : " operations") + ", each undone if a later step fails";
        return new Part(new Plan.Section(name(), summary, steps.size(), changes), actions, List.of());
    }

    @Override
    public Live after(Dataplane dp, Live known, DesiredNetwork desired, Part part) {
        return part.isEmpty() ? known : read(dp, desired, null);
    }

    /** Two IPv4 addresses of one device in one subnet (same prefix length): a primary and its secondaries. */
    static boolean sameSubnet(Address a, Address b) {
        if (a.equals(b) || !a.device().equals(b.device()) || a.family() != Inet.AF_INET || b.family() != Inet.AF_INET) return false;
        if (a.prefixLength() != b.prefixLength()) return false;
        int mask = a.prefixLength() == 0 ? 0 : -1 << (32 - a.prefixLength());
        return (v4(a.address()) & mask) == (v4(b.address()) & mask);
    }

    private static int v4(java.net.InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    // ---- plan lines

    static Change describe(Operation op) {
        String cmd = op.command();
        return switch (op) {
            case Links.Create c -> new Change(Change.ADD, "link " + c.link().name() + " (" + link(c.link()) + ")", cmd);
            case Links.Delete d -> new Change(Change.REMOVE, "link " + d.name(), cmd);
            case Links.SetUp u -> new Change(Change.CHANGE, "link " + u.name() + (u.up() ? " up" : " down"), cmd);
            case Links.SetMtu m -> new Change(Change.CHANGE, "link " + m.name() + " mtu " + m.mtu(), cmd);
            case Links.SetMaster m -> new Change(Change.CHANGE, "link " + m.name() + (m.master() == null ? " nomaster" : " master " + m.master()), cmd);
            case Addresses.Add a -> new Change(Change.ADD, "address " + a.address(), cmd);
            case Addresses.Delete a -> new Change(Change.REMOVE, "address " + a.address(), cmd);
            case Routes.Add r -> new Change(Change.ADD, "route " + route(r.route()), cmd);
            case Routes.Replace r -> new Change(Change.CHANGE, "route " + route(r.route()), cmd);
            case Routes.Delete r -> new Change(Change.REMOVE, "route " + route(r.route()), cmd);
            default -> new Change(Change.CHANGE, cmd, cmd);
        };
    }

    private static String link(Link l) {
        List<String> parts = new ArrayList<>();
        parts.add(switch (l.kind()) {
            case VLAN -> "vlan " + l.vlanId() + " on " + l.parent();
            case VETH -> "veth, peer " + l.peer();
            default -> l.kind().name().toLowerCase(Locale.ROOT);
        });
        parts.add(l.up() ? "up" : "down");
        if (l.mtu() != null) parts.add("mtu " + l.mtu());
        if (l.master() != null) parts.add("master " + l.master());
        return String.join(", ", parts);
    }

    /** {@code default via 203.0.113.1 dev eth0 metric 100 (table main)}. */
    static String route(Route r) {
        StringBuilder sb = new StringBuilder(r.destination().toString());
        if (!r.destination().isIpv4() && r.destination().isDefault()) sb.append(" (IPv6)");
        if (r.gateway() != null) sb.append(" via ").append(Inet.text(r.gateway()));
        if (r.device() != null) sb.append(" dev ").append(r.device());
        long defaultMetric = r.destination().isIpv4() ? Route.IPV4_DEFAULT_METRIC : Route.IPV6_DEFAULT_METRIC;
        if (r.metric() != defaultMetric) sb.append(" metric ").append(r.metric());
        sb.append(" (table ").append(r.table() == Route.MAIN_TABLE ? "main" : Long.toString(r.table())).append(')');
        return sb.toString();
    }
}
