package dev.bulwark.dataplane.fake;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.Routes;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory links, addresses and routes behind the {@link NetworkPort}, changed by the same operation values the real
 * port sends, with the kernel's refusals (EEXIST, ENODEV, ENETUNREACH for a gateway on no connected subnet, ESRCH) and
 * its cascades (a link's addresses and routes go with it; routes go when their link goes down; removing a primary
 * IPv4 address removes its secondaries and the IPv4 routes through that subnet).
 */
public final class FakeNetwork implements NetworkPort {

    private final FakeKernel kernel;
    final Map<String, Link> links = new LinkedHashMap<>();
    final List<Address> addresses = new ArrayList<>();
    final List<Route> routes = new ArrayList<>();

    FakeNetwork(FakeKernel kernel, String... devices) {
        this.kernel = kernel;
        links.put("lo", new Link("lo", Link.Kind.DEVICE, true, 65536, null, null, null, null));
        for (String d : devices) links.put(d, new Link(d, Link.Kind.DEVICE, false, 1500, null, null, null, null));
    }

    @Override
    public List<Link> links() {
        kernel.read();
        return List.copyOf(links.values());
    }

    @Override
    public List<Address> addresses() {
        kernel.read();
        return List.copyOf(addresses);
    }

    @Override
    public List<Route> ourRoutes() {
        kernel.read();
        return routes.stream().filter(Route::ours).toList();
    }

    @Override
    public List<Route> allRoutes() {
        kernel.read();
        return List.copyOf(routes);
    }

    @Override
    public void apply(Operation op) {
        String what = op.command();
        kernel.operation(what);
        switch (op) {
            case Links.Create c -> create(c.link(), what);
            case Links.Delete d -> {
                need(d.name(), what);
                deleteLink(d.name());
            }
            case Links.SetUp u -> {
                Link l = need(u.name(), what);
                links.put(l.name(), l.withUp(u.up()));
                if (!u.up()) routes.removeIf(r -> u.name().equals(r.device()));
            }
            case Links.SetMtu m -> links.put(m.name(), need(m.name(), what).withMtu(m.mtu()));
            case Links.SetMaster m -> {
                Link l = need(m.name(), what);
                if (m.master() != null) need(m.master(), what);
                links.put(l.name(), l.withMaster(m.master()));
            }
            case Addresses.Add a -> {
                need(a.address().device(), what);
                if (addresses.contains(a.address())) throw FakeKernel.refuse(what, FakeKernel.EEXIST, null);
                addresses.add(a.address());
            }
            case Addresses.Delete a -> deleteAddress(a.address(), what);
            case Routes.Add r -> addRoute(r.route(), false, what);
            case Routes.Replace r -> addRoute(r.route(), true, what);
            case Routes.Delete r -> {
                Route found = null;
                for (Route l : routes) {
                    if (l.ours() && l.key().equals(r.route().key())
                            && (r.route().gateway() == null || r.route().gateway().equals(l.gateway()))
                            && (r.route().device() == null || r.route().device().equals(l.device()))) {
                        found = l;
                    }
                }
                if (found == null) throw FakeKernel.refuse(what, FakeKernel.ESRCH, null);
                routes.remove(found);
            }
            default -> throw new IllegalArgumentException("the fake does not know " + op);
        }
    }

    private Link need(String name, String what) {
        Link l = links.get(name);
        if (l == null) throw FakeKernel.refuse(what, FakeKernel.ENODEV, null);
        return l;
    }

    private void create(Link l, String what) {
        if (links.containsKey(l.name())) throw FakeKernel.refuse(what, FakeKernel.EEXIST, null);
        if (l.kind() == Link.Kind.VLAN) need(l.parent(), what);
        if (l.master() != null) need(l.master(), what);
        int mtu = l.mtu() != null ? l.mtu() : l.kind() == Link.Kind.VLAN ? links.get(l.parent()).mtu() : 1500;
        links.put(l.name(), new Link(l.name(), l.kind(), l.up(), mtu, l.master(), l.parent(), l.vlanId(), l.peer()));
        if (l.kind() == Link.Kind.VETH && l.peer() != null) {
            links.put(l.peer(), new Link(l.peer(), Link.Kind.VETH, false, 1500, null, null, null, l.name()));
        }
    }

    private void deleteLink(String name) {
        Link l = links.remove(name);
        if (l == null) return;
        addresses.removeIf(a -> a.device().equals(name));
        routes.removeIf(r -> name.equals(r.device()));
        for (Link p : List.copyOf(links.values())) {
            if (name.equals(p.master())) links.put(p.name(), p.withMaster(null));
        }
        for (Link v : List.copyOf(links.values())) {
            if (v.kind() == Link.Kind.VLAN && name.equals(v.parent())) deleteLink(v.name());
        }
        if (l.kind() == Link.Kind.VETH && l.peer() != null) deleteLink(l.peer());
    }

    private void deleteAddress(Address a, String what) {
        if (!addresses.contains(a)) throw FakeKernel.refuse(what, FakeKernel.EADDRNOTAVAIL, null);
        if (a.family() == Inet.AF_INET) {
            boolean primary = true;
            for (Address b : addresses) {
                if (b.equals(a)) break;
                if (sameSubnet(a, b)) primary = false;
            }
            if (primary) addresses.removeIf(b -> sameSubnet(a, b));
        }
        addresses.remove(a);
        routes.removeIf(r -> r.destination().isIpv4() && r.gateway() != null && a.device().equals(r.device())
                && connected(r.gateway(), r.device()) == null);
    }

    private void addRoute(Route r, boolean replace, String what) {
        if (r.device() != null) need(r.device(), what);
        String device = r.device();
        if (r.gateway() != null) {
            String via = connected(r.gateway(), r.device());
            if (via == null) throw FakeKernel.refuse(what, FakeKernel.ENETUNREACH, "Nexthop has invalid gateway.");
            device = via;
        } else if (device == null || !links.get(device).up()) {
            throw FakeKernel.refuse(what, FakeKernel.ENETUNREACH, null);
        }
        Route live = r.withDevice(device);
        Route existing = null;
        for (Route l : routes) if (l.key().equals(r.key())) existing = l;
        if (existing != null && !replace) throw FakeKernel.refuse(what, FakeKernel.EEXIST, null);
        if (existing != null) routes.set(routes.indexOf(existing), live);
        else routes.add(live);
    }

    /** The up device (of {@code device}, when given) with an address whose subnet holds {@code gateway}, or null. */
    private String connected(InetAddress gateway, String device) {
        for (Address a : addresses) {
            if (device != null && !device.equals(a.device())) continue;
            Link l = links.get(a.device());
            if (l == null || !l.up() || a.family() != Inet.family(gateway)) continue;
            if (contains(a, gateway)) return a.device();
        }
        return null;
    }

    private static boolean contains(Address a, InetAddress ip) {
        byte[] net = a.address().getAddress();
        byte[] x = ip.getAddress();
        int bits = a.prefixLength();
        for (int i = 0; i < net.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            int mask = (0xFF << (8 - keep)) & 0xFF;
            if ((net[i] & mask) != (x[i] & mask)) return false;
        }
        return true;
    }

    /** Two IPv4 addresses of one device in one subnet (same prefix length): a primary and its secondaries. */
    static boolean sameSubnet(Address a, Address b) {
        if (a.equals(b) || !a.device().equals(b.device()) || a.family() != Inet.AF_INET || b.family() != Inet.AF_INET) return false;
        if (a.prefixLength() != b.prefixLength()) return false;
        int mask = a.prefixLength() == 0 ? 0 : -1 << (32 - a.prefixLength());
        return (v4(a.address()) & mask) == (v4(b.address()) & mask);
    }

    private static int v4(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }
}
