package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Addresses;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.link.Links;
import dev.bulwark.dataplane.netlink.Inet;
import dev.bulwark.dataplane.netlink.NetlinkException;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftDelta;
import dev.bulwark.dataplane.nft.NftOp;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftState;
import dev.bulwark.dataplane.nft.NftWords;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.Routes;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory kernel for the reconciler: links, addresses, routes, our nft table and conntrack sysctls, changed by
 * the same operation values the real dataplane sends, with the kernel's refusals (EEXIST, ENODEV, ENETUNREACH for a
 * gateway on no connected subnet, ESRCH) and its cascades (a link's addresses and routes go with it; routes go when
 * their link goes down; removing a primary IPv4 address removes its secondaries and the IPv4 routes through that
 * subnet; deleting an anonymous set in a batch is ENOENT, as the kernel deletes it with its rule).
 *
 * <p>Fault injection: {@link #failOperation(int)} makes the k-th kernel operation from now fail (an nft batch of m
 * operations occupies m numbers, and fails whole, changing nothing, when any of them is the one); undo operations
 * count too. Every mutating call is counted in {@link #changesSent()}, every read in {@link #reads()}.
 */
public final class FakeDataplane implements Dataplane {

    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int ENETUNREACH = 101;
    static final int ESRCH = 3;
    static final int ENOENT = 2;
    static final int EADDRNOTAVAIL = 99;
    static final int EIO = 5;

    /** Everything the fake holds, as plain values: two snapshots are equal when the kernels would read back equal. */
    public record State(Map<String, Link> links, Set<Address> addresses, Set<Route> routes, NftRuleset nft, Map<String, Long> sysctls) {
    }

    private final Table table = Table.inet(Table.BULWARK);
    private final Map<String, Link> links = new LinkedHashMap<>();
    private final List<Address> addresses = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private NftState nftLive;
    private NftState nftMemory;
    private long nextHandle = 1;
    private int generation = 1;
    private final Map<String, Long> sysctls = new LinkedHashMap<>();
    private final Set<String> readOnlySysctls = new HashSet<>();

    private final Set<Integer> failAt = new HashSet<>();
    private int operations;
    private long changes;
    private long reads;
    private long nftReads;

    public FakeDataplane(String... devices) {
        links.put("lo", new Link("lo", Link.Kind.DEVICE, true, 65536, null, null, null, null));
        for (String d : devices) links.put(d, new Link(d, Link.Kind.DEVICE, false, 1500, null, null, null, null));
        sysctls.put("nf_conntrack_max", 65536L);
        sysctls.put("nf_conntrack_tcp_timeout_established", 432000L);
        sysctls.put("nf_conntrack_udp_timeout", 30L);
        sysctls.put("nf_conntrack_udp_timeout_stream", 120L);
    }

    /** As a child namespace: the kernel refuses nf_conntrack_max there. */
    public FakeDataplane childNamespace() {
        readOnlySysctls.add("nf_conntrack_max");
        return this;
    }

    /** The k-th (1-based) kernel operation from now fails; more calls add more failures. */
    public FakeDataplane failOperation(int k) {
        failAt.add(operations + k);
        return this;
    }

    FakeDataplane clearFailures() {
        failAt.clear();
        return this;
    }

    /** Kernel operations run so far (including refused ones). */
    public int operations() {
        return operations;
    }

    public long reads() {
        return reads;
    }

    long nftReads() {
        return nftReads;
    }

    public State state() {
        return new State(new TreeMap<>(links), new HashSet<>(addresses), new HashSet<>(routes),
                nftLive == null ? null : nftLive.ruleset(), new TreeMap<>(sysctls));
    }

    /** A route of another owner (protocol 4, static), to show it survives. */
    void addForeignRoute(Route r) {
        routes.add(r);
    }

    /** Something outside changes our table (drift): memory is not told. */
    void replaceNftBehindOurBack(NftRuleset r) {
        nftLive = r == null ? null : withHandles(r, null);
        generation++;
    }

    public void removeRouteBehindOurBack(Route r) {
        routes.remove(r);
    }

    @Override
    public String where() {
        return "fake namespace";
    }

    // ---- fault injection

    /** Counts one operation; throws the injected failure when it is one. */
    private void operation(String what) {
        changes++;
        operations++;
        if (failAt.remove(operations)) throw new NetlinkException(what, EIO, "injected failure of operation " + operations);
    }

    private static NetlinkException refuse(String what, int errno, String message) {
        return new NetlinkException(what, errno, message);
    }

    // ---- nft

    @Override
    public NftState nftMemory() {
        return nftMemory;
    }

    @Override
    public NftState readNft() {
        reads++;
        nftReads++;
        nftMemory = nftLive;
        return nftLive;
    }

    @Override
    public void applyNft(NftRuleset desired, boolean full) {
        NftState base = nftMemory;
        NftDelta d = full || base == null ? NftDelta.full(desired) : NftDelta.between(base, desired);
        if (d.isEmpty()) return;
        nftMemory = null;
        boolean fail = false;
        String failed = null;
        for (NftOp op : d.ops()) {
            changes++;
            operations++;
            if (failAt.remove(operations) && !fail) {
                fail = true;
                failed = op.describe(table);
            }
        }
        if (fail) throw new NetlinkException(failed, EIO, "injected failure of operation in batch");
        if (!full && base != null) {
            for (NftOp op : d.ops()) {
                if (op instanceof NftOp.DeleteSet s && base.ruleset().sets().containsKey(s.set())
                        && (base.ruleset().sets().get(s.set()).flags() & Nft.SET_ANONYMOUS) != 0) {
                    throw refuse(op.describe(table), ENOENT, null); // the kernel deleted it with its rule
                }
            }
        }
        nftLive = withHandles(desired, d);
        nftMemory = nftLive;
        generation++;
    }

    private NftState withHandles(NftRuleset r, NftDelta d) {
        Map<String, List<Long>> handles = new LinkedHashMap<>();
        for (var e : r.rules().entrySet()) {
            List<NftDelta.Slot> slots = d == null ? null : d.layout().get(e.getKey());
            List<Long> hs = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                NftDelta.Slot s = slots == null ? null : slots.get(i);
                hs.add(s != null && s.handle() != null ? s.handle() : nextHandle++);
            }
            handles.put(e.getKey(), hs);
        }
        return new NftState(r, handles, generation + 1);
    }

    @Override
    public void removeNft() {
        operation("add table " + NftWords.table(table));
        operation("delete table " + NftWords.table(table));
        nftLive = null;
        nftMemory = null;
    }

    // ---- network

    @Override
    public List<Link> readLinks() {
        reads++;
        return List.copyOf(links.values());
    }

    @Override
    public List<Address> readAddresses() {
        reads++;
        return List.copyOf(addresses);
    }

    @Override
    public List<Route> readRoutes() {
        reads++;
        return routes.stream().filter(Route::ours).toList();
    }

    @Override
    public void apply(Operation op) {
        String what = op.command();
        operation(what);
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
                if (addresses.contains(a.address())) throw refuse(what, EEXIST, null);
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
                if (found == null) throw refuse(what, ESRCH, null);
                routes.remove(found);
            }
            default -> throw new IllegalArgumentException("the fake does not know " + op);
        }
    }

    private Link need(String name, String what) {
        Link l = links.get(name);
        if (l == null) throw refuse(what, ENODEV, null);
        return l;
    }

    private void create(Link l, String what) {
        if (links.containsKey(l.name())) throw refuse(what, EEXIST, null);
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
        if (!addresses.contains(a)) throw refuse(what, EADDRNOTAVAIL, null);
        if (a.family() == Inet.AF_INET) {
            boolean primary = true;
            for (Address b : addresses) {
                if (b.equals(a)) break;
                if (NetworkSubsystem.sameSubnet(a, b)) primary = false;
            }
            if (primary) addresses.removeIf(b -> NetworkSubsystem.sameSubnet(a, b));
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
            if (via == null) throw refuse(what, ENETUNREACH, "Nexthop has invalid gateway.");
            device = via;
        } else if (device == null || !links.get(device).up()) {
            throw refuse(what, ENETUNREACH, null);
        }
        Route live = r.withDevice(device);
        Route existing = null;
        for (Route l : routes) if (l.key().equals(r.key())) existing = l;
        if (existing != null && !replace) throw refuse(what, EEXIST, null);
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

    // ---- sysctls

    @Override
    public Map<String, Long> readSysctls(Collection<String> keys) {
        reads++;
        Map<String, Long> out = new LinkedHashMap<>();
        for (String k : keys) if (sysctls.containsKey(k)) out.put(k, sysctls.get(k));
        return out;
    }

    @Override
    public boolean sysctlWritable(String key) {
        reads++;
        return sysctls.containsKey(key) && !readOnlySysctls.contains(key);
    }

    @Override
    public List<String> writeSysctl(String key, long value) {
        operation("sysctl -w net.netfilter." + key + "=" + value);
        if (readOnlySysctls.contains(key)) return List.of(key + " not set in " + where() + ": read-only");
        sysctls.put(key, value);
        return List.of();
    }

    // ---- accounting

    @Override
    public long changesSent() {
        return changes;
    }

    @Override
    public long messagesSent() {
        return changes + reads;
    }

    @Override
    public void close() {
    }

    static Set<String> names(Collection<Link> links) {
        Set<String> out = new LinkedHashSet<>();
        for (Link l : links) out.add(l.name());
        return out;
    }
}
