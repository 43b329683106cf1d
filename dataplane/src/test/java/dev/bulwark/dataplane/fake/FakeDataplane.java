package dev.bulwark.dataplane.fake;

import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.port.ConntrackPort;
import dev.bulwark.dataplane.port.Dataplane;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.port.NftPort;
import dev.bulwark.dataplane.port.PortKind;
import dev.bulwark.dataplane.port.SysctlPort;
import dev.bulwark.dataplane.route.Route;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An in-memory kernel with every port: links, addresses, routes ({@link FakeNetwork}), our nft table
 * ({@link FakeNft}), conntrack sysctls ({@link FakeSysctls}) and the conntrack table ({@link FakeConntrack}). A new
 * port's fake is found by its name, with no edit here: for {@code dev.bulwark.dataplane.port.TcPort} the class
 * {@code dev.bulwark.dataplane.fake.FakeTc}, made with its constructor that takes the {@link FakeKernel} (so that
 * fault injection counts its operations too) or else its no-argument one.
 *
 * <p>Fault injection: {@link #failOperation(int)} makes the k-th kernel operation from now fail, over all ports (an nft
 * batch of m operations occupies m numbers, and fails whole, changing nothing, when any of them is the one); undo
 * operations count too. Every mutating call is counted in {@link #changesSent()}, every read in {@link #reads()}.
 */
public final class FakeDataplane implements Dataplane {

    /** Everything the fake holds, as plain values: two snapshots are equal when the kernels would read back equal. */
    public record State(Map<String, Link> links, Set<Address> addresses, Set<Route> routes, NftRuleset nft, Map<String, Long> sysctls) {
    }

    private final FakeKernel kernel = new FakeKernel();
    private final FakeNetwork network;
    private final FakeNft nft = new FakeNft(kernel);
    private final FakeSysctls sysctls = new FakeSysctls(kernel, where());
    private final FakeConntrack conntrack = new FakeConntrack();

    public FakeDataplane(String... devices) {
        this.network = new FakeNetwork(kernel, devices);
    }

    @Override
    public <P> P port(PortKind<P> kind) {
        Object p = kind == NftPort.KIND ? nft
                : kind == NetworkPort.KIND ? network
                : kind == SysctlPort.KIND ? sysctls
                : kind == ConntrackPort.KIND ? conntrack
                : others.computeIfAbsent(kind, this::byName);
        return kind.type().cast(p);
    }

    private final Map<PortKind<?>, Object> others = new java.util.HashMap<>();

    /** The fake of a port by the naming convention (see the class comment). */
    private Object byName(PortKind<?> kind) {
        String port = kind.type().getSimpleName();
        String name = FakeDataplane.class.getPackageName() + ".Fake" + (port.endsWith("Port") ? port.substring(0, port.length() - 4) : port);
        try {
            Class<?> c = Class.forName(name);
            try {
                var k = c.getDeclaredConstructor(FakeKernel.class);
                k.setAccessible(true);
                return k.newInstance(kernel);
            } catch (NoSuchMethodException none) {
                var k = c.getDeclaredConstructor();
                k.setAccessible(true);
                return k.newInstance();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("the fake dataplane has no " + kind + ": write " + name
                    + " implementing " + kind.type().getName() + ", with a constructor taking FakeKernel or none", e);
        }
    }

    /** The fake of {@code kind}, for a test to look into. */
    public <P> P fake(PortKind<P> kind) {
        return port(kind);
    }

    /** As a child namespace: the kernel refuses nf_conntrack_max there. */
    public FakeDataplane childNamespace() {
        sysctls.readOnly("nf_conntrack_max");
        return this;
    }

    /** The k-th (1-based) kernel operation from now fails; more calls add more failures. */
    public FakeDataplane failOperation(int k) {
        kernel.failOperation(k);
        return this;
    }

    public FakeDataplane clearFailures() {
        kernel.clearFailures();
        return this;
    }

    /** Kernel operations run so far (including refused ones). */
    public int operations() {
        return kernel.operations();
    }

    /** Reads so far, over all ports. */
    public long reads() {
        return kernel.reads();
    }

    /** Reads of the nft table so far. */
    public long nftReads() {
        return nft.reads();
    }

    public State state() {
        return new State(new TreeMap<>(network.links), new HashSet<>(network.addresses), new HashSet<>(network.routes),
                nft.ruleset(), sysctls.values());
    }

    /** The conntrack table, to put entries in. */
    public FakeConntrack conntrack() {
        return conntrack;
    }

    /** A route of another owner (protocol 4, static), to show it survives. */
    public void addForeignRoute(Route r) {
        network.routes.add(r);
    }

    /** Something outside changes our table (drift): nobody is told. */
    public void replaceNftBehindOurBack(NftRuleset r) {
        nft.replaceBehindOurBack(r);
    }

    public void removeRouteBehindOurBack(Route r) {
        network.routes.remove(r);
    }

    @Override
    public String where() {
        return "fake namespace";
    }

    @Override
    public long changesSent() {
        return kernel.changes();
    }

    @Override
    public long messagesSent() {
        return kernel.changes() + kernel.reads();
    }

    @Override
    public void close() {
    }

    public static Set<String> names(Collection<Link> links) {
        Set<String> out = new LinkedHashSet<>();
        for (Link l : links) out.add(l.name());
        return out;
    }
}
