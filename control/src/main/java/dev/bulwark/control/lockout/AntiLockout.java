package dev.bulwark.control.lockout;

import dev.bulwark.config.Problem;
import dev.bulwark.config.bind.Pointers;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.CtState;
import dev.bulwark.config.model.Interface;
import dev.bulwark.config.model.Management;
import dev.bulwark.config.model.NamedSet;
import dev.bulwark.config.model.NoTrack;
import dev.bulwark.config.model.OneToOne;
import dev.bulwark.config.model.PortForward;
import dev.bulwark.config.model.Protocol;
import dev.bulwark.config.model.Rule;
import dev.bulwark.config.model.SetType;
import dev.bulwark.config.model.Verdict;
import dev.bulwark.config.model.Zone;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.Endpoint;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.InterfaceAddress;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.IpPrefix;
import dev.bulwark.config.types.IpRange;
import dev.bulwark.config.types.Names;
import dev.bulwark.config.types.PortMatch;
import dev.bulwark.config.types.PortRange;
import dev.bulwark.config.types.SetElement;
import dev.bulwark.config.types.SetRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Refuses a config that would cut the management API off from its management zones, unless the config sets
 * {@code management.anti-lockout: false}. Call it on a validated config before committing it; every problem is an
 * error that names the rule, NAT entry, zone policy or listen address responsible, with its JSON pointer.
 *
 * <h2>What is checked</h2>
 * For each management zone Z and each address A the API can be reached on from Z (the listen address; for
 * {@code 0.0.0.0} each IPv4 address of Z's interfaces, for {@code ::} each address of them), it follows a TCP packet
 * from Z to A on the listen port the way the compiled ruleset ({@link dev.bulwark.control.compile.NftCompiler})
 * handles it:
 * <ol>
 * <li>prerouting: a port-forward (also by hairpin) or 1:1 NAT that matches it would send it elsewhere;</li>
 * <li>input: established packets are accepted before any zone rule when {@code firewall.accept-established} is on
 *     (else they need an accept too); a no-track rule that may match makes the packets untracked;</li>
 * <li>the rules from Z to {@code self}, in order, first match wins: a drop or reject that <em>may</em> match
 *     some such packet, before an accept that matches <em>every</em> such packet, locks out;</li>
 * <li>then Z's input policy, which must be accept if no rule accepted every packet.</li>
 * </ol>
 * The packets considered come from <em>any</em> source address and source port (a zone may have routed networks
 * behind it), so the check is conservative: an accept limited to some sources (a set of admins, a rate limit, some
 * connection states) does not count as covering the zone, and a drop of only some sources before the accept still
 * refuses. A listen address on no interface of any management zone is refused too. A loopback listener
 * ({@code 127.0.0.0/8}, {@code ::1}) cannot be locked out: the input chain accepts everything on {@code lo} first.
 */
public final class AntiLockout {

    private final Config config;
    private final Management m;
    private final Endpoint listen;
    private final int port;
    private final boolean unspecified;
    private final Set<Problem> problems = new LinkedHashSet<>();

    private AntiLockout(Config config) {
        this.config = config;
        this.m = config.management();
        this.listen = m.listen();
        this.port = listen.port() == null ? 0 : listen.port();
        this.unspecified = isUnspecified(listen.address());
    }

    /**
     * {@link #check(Config)}, and authentication too: a commit that takes the last admin token away from a running
     * config that had one would leave every change through the API refused, also after a restart (issue 19), so it is
     * refused unless the config sets {@code management.anti-lockout: false}.
     *
     * @param running the running config, or null before the first commit
     */
    public static List<Problem> check(Config running, Config config) {
        List<Problem> out = new java.util.ArrayList<>(check(config));
        if (config.management().antiLockout() && running != null && hasAdmin(running) && !hasAdmin(config)) {
            out.add(Problem.error("/management/tokens", "no admin token would remain: every change through the API would be refused from "
                    + "then on, and a restart keeps it so; keep at least one token with role admin (make one with: bulwark token new --role admin), "
                    + "or set management.anti-lockout to false"));
        }
        return List.copyOf(out);
    }

    private static boolean hasAdmin(Config c) {
        return c.management().tokens().stream().anyMatch(t -> t.role() == dev.bulwark.config.model.Role.ADMIN);
    }

    /** The reasons the config would lock the API out; empty when it would not, or when anti-lockout is off. */
    public static List<Problem> check(Config config) {
        AntiLockout a = new AntiLockout(config);
        a.run();
        return List.copyOf(a.problems);
    }

    private void run() {
        if (!m.antiLockout() || listen.port() == null || isLoopback(listen.address())) return;
        List<String> zones = m.zones().stream().filter(config.zones()::containsKey).distinct().toList();
        if (zones.isEmpty()) return; // validation warns that nothing is protected, or reports the unknown zone
        if (!unspecified) listenAddressOnAZone(zones);
        for (String z : zones) {
            List<IpAddress> targets;
            if (unspecified) {
                targets = zoneAddresses(z).stream().map(InterfaceAddress::address)
                        .filter(a -> listen.family() == Family.IPV6 || a.family() == Family.IPV4).distinct().toList();
                if (targets.isEmpty()) {
                    error("/management/listen", "the management API listens on " + listen + ", but no enabled interface of management zone '"
                            + z + "' has " + (listen.family() == Family.IPV4 ? "an IPv4 address" : "an address")
                            + " for clients there to connect to; give one an address, or set management.anti-lockout to false");
                }
            } else {
                targets = List.of(listen.address());
            }
            for (IpAddress a : targets) walk(z, a);
        }
    }

    // ---- the listen address

    private void listenAddressOnAZone(List<String> zones) {
        IpAddress a = listen.address();
        for (String z : zones) {
            for (InterfaceAddress ia : zoneAddresses(z)) if (ia.address().equals(a)) return;
        }
        StringBuilder where = new StringBuilder();
        String holder = null;
        for (Map.Entry<String, Interface> e : config.interfaces().entrySet()) {
            for (InterfaceAddress ia : e.getValue().addresses()) {
                if (ia.address().equals(a)) holder = e.getKey();
            }
        }
        if (holder == null) {
            where.append("no interface of this config has that address");
        } else {
            String hz = zoneOf(holder);
            Interface hi = config.interfaces().get(holder);
            where.append("it is the address of interface '").append(holder).append("'")
                    .append(hz == null ? ", which is in no zone" : " in zone '" + hz + "'")
                    .append(hi.enabled() ? "" : ", which is disabled");
        }
        List<String> candidates = new ArrayList<>();
        for (String z : zones) {
            for (InterfaceAddress ia : zoneAddresses(z)) if (ia.family() == a.family()) candidates.add(new Endpoint(ia.address(), port).toString());
        }
        error("/management/listen", "the management API listens on " + listen + ", but " + a + " is on no enabled interface of management zone"
                + (zones.size() > 1 ? "s " : " ") + quoted(zones) + " (" + where + ")"
                + "; listen on " + (candidates.isEmpty() ? "an address of " + (zones.size() > 1 ? "their" : "its") + " interfaces"
                : String.join(" or ", candidates))
                + ", or set management.anti-lockout to false");
    }

    // ---- the walk

    /** What a packet from zone {@code z} to {@code dst}:port meets, in the order of the compiled ruleset. */
    private void walk(String z, IpAddress dst) {
        String what = "tcp to " + (unspecified ? dst + " port " : "port ") + port;
        String cutOff = "the management API on " + listen + " would be cut off from its management zone '" + z + "'";
        if (dnat(z, dst, what, cutOff)) return;

        Set<CtState> states = EnumSet.of(CtState.NEW);
        if (!config.firewall().acceptEstablished()) states.add(CtState.ESTABLISHED);
        List<NoTrack> nts = config.conntrack().notrack();
        for (NoTrack n : nts) {
            if (n.from() != null && !n.from().equals(z)) continue;
            if (n.protocol() != Protocol.TCP && n.protocol() != Protocol.ANY) continue;
            Family f = family(null, n.source(), n.destination(), n.protocol());
            if (f != null && f != dst.family()) continue;
            if (!n.destination().isEmpty() && !contains(n.destination(), dst)) continue;
            if (!n.port().isEmpty() && !containsPort(n.port(), port)) continue;
            if (!n.source().isEmpty() && !anyAddress(n.source(), dst.family())) continue;
            states.add(CtState.UNTRACKED);
        }

        List<String> partial = new ArrayList<>();
        List<Rule> rules = config.firewall().rules();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (!r.enabled() || !z.equals(r.from()) || !Rule.SELF.equals(r.to())) continue;
            Family f = family(r.family(), r.source(), r.destination(), r.protocol());
            if (f != null && f != dst.family()) continue;
            if (r.protocol() != Protocol.TCP && r.protocol() != Protocol.ANY) continue;
            if (!r.destination().isEmpty() && !contains(r.destination(), dst)) continue;
            if (!r.port().isEmpty() && !containsPort(r.port(), port)) continue;
            if (!r.state().isEmpty() && r.state().stream().noneMatch(states::contains)) continue;
            if (!r.source().isEmpty() && !anyAddress(r.source(), dst.family())) continue;
            if (!r.sourcePort().isEmpty() && !anyPort(r.sourcePort())) continue;
            // the rule may match; does it match every such packet?
            List<String> only = new ArrayList<>();
            if (!r.source().isEmpty() && !coversAll(r.source(), dst.family())) only.add("from " + list(r.source()));
            if (!r.sourcePort().isEmpty() && !coversAllPorts(r.sourcePort())) only.add("from source port " + list(r.sourcePort()));
            if (!r.state().isEmpty() && !r.state().containsAll(states)) {
                only.add("in state " + r.state().stream().map(Names::enumName).collect(Collectors.joining(", ")) + " (not "
                        + states.stream().filter(s -> !r.state().contains(s)).map(Names::enumName).collect(Collectors.joining(", ")) + ")");
            }
            if (r.limit() != null) only.add("up to " + r.limit().rate() + (r.limit().burst() != null ? " (burst " + r.limit().burst() + ")" : ""));
            String p = Pointers.child("/firewall/rules", i);
            String rule = "rule '" + r.name() + "' (" + p + ")";
            if (r.action() == Verdict.ACCEPT) {
                if (only.isEmpty()) return; // reachable
                partial.add(rule + " accepts it only " + String.join(" and ", only));
                continue;
            }
            error(p, rule + " " + (r.action() == Verdict.DROP ? "drops " : "rejects ") + what + " from zone " + z
                    + (only.isEmpty() ? "" : " (" + String.join(", ", only) + ")") + " before any rule accepts it"
                    + (partial.isEmpty() ? "" : " for every source (" + String.join("; ", partial) + ")")
                    + ": " + cutOff + ". Accept " + what + " from " + z + " to self before this rule, or set management.anti-lockout to false");
            return;
        }
        Zone zone = config.zones().get(z);
        if (zone.input() == Verdict.ACCEPT) return;
        String p = Pointers.child(Pointers.child("/zones", z), "input");
        error(p, "the input policy of zone " + z + " (" + p + ") " + (zone.input() == Verdict.DROP ? "drops " : "rejects ") + what
                + " from zone " + z + ", and no rule from " + z + " to self accepts it before"
                + (partial.isEmpty() ? "" : " for every source (" + String.join("; ", partial) + ")")
                + ": " + cutOff + ". Add a rule {from: " + z + ", to: self, protocol: tcp, port: " + port + ", action: accept}, "
                + "or set management.anti-lockout to false");
    }

    /** Whether prerouting NAT sends the packet elsewhere; reports it. */
    private boolean dnat(String z, IpAddress dst, String what, String cutOff) {
        List<PortForward> fwds = config.nat().portForwards();
        for (int i = 0; i < fwds.size(); i++) {
            PortForward f = fwds.get(i);
            if (f.protocol() != Protocol.TCP || f.port().from() > port || f.port().to() < port) continue;
            if (f.to().family() != dst.family()) continue;
            boolean direct = f.in().equals(z) && (f.destination() == null || f.destination().equals(dst))
                    && (f.source().isEmpty() || anyAddress(f.source(), dst.family()));
            boolean hairpin = f.hairpin() && !f.in().equals(z) && hairpinExternals(f).contains(dst);
            if (!direct && !hairpin) continue;
            String p = Pointers.child("/nat/port-forwards", i);
            error(p, "port-forward '" + f.name() + "' (" + p + ") sends " + what + " from zone " + z + " on to " + f.to()
                    + (hairpin ? " (by hairpin NAT)" : "") + " before it reaches the router: " + cutOff
                    + ". Move the API or the forward to another port, or set management.anti-lockout to false");
            return true;
        }
        List<OneToOne> ones = config.nat().oneToOne();
        for (int i = 0; i < ones.size(); i++) {
            OneToOne o = ones.get(i);
            if (!o.in().equals(z) || o.external().family() != dst.family()) continue;
            if (!contains(List.of(o.external()), dst)) continue;
            String p = Pointers.child("/nat/one-to-one", i);
            error(p, "1:1 NAT '" + o.name() + "' (" + p + ") translates " + dst + " arriving from zone " + z + " to " + o.internal()
                    + ", so " + what + " never reaches the router: " + cutOff + ". Listen on another address, or set management.anti-lockout to false");
            return true;
        }
        return false;
    }

    /** The external addresses a hairpin forward matches, as the compiler builds them. */
    private List<IpAddress> hairpinExternals(PortForward f) {
        if (f.destination() != null) return List.of(f.destination());
        List<IpAddress> out = new ArrayList<>();
        Zone in = config.zones().get(f.in());
        if (in == null) return out;
        for (String iface : in.interfaces()) {
            Interface i = config.interfaces().get(iface);
            if (i == null) continue;
            for (InterfaceAddress a : i.addresses()) if (a.family() == f.to().family()) out.add(a.address());
        }
        return out;
    }

    // ---- zones and addresses

    private List<InterfaceAddress> zoneAddresses(String zone) {
        List<InterfaceAddress> out = new ArrayList<>();
        Zone z = config.zones().get(zone);
        if (z == null) return out;
        for (String name : z.interfaces()) {
            Interface i = config.interfaces().get(name);
            if (i != null && i.enabled()) out.addAll(i.addresses());
        }
        return out;
    }

    private String zoneOf(String iface) {
        for (Map.Entry<String, Zone> e : config.zones().entrySet()) if (e.getValue().interfaces().contains(iface)) return e.getKey();
        return null;
    }

    /** The family a rule is bound to, derived as the compiler derives it; null for both. */
    private Family family(Family explicit, List<AddressMatch> src, List<AddressMatch> dst, Protocol protocol) {
        if (explicit != null) return explicit;
        for (List<AddressMatch> l : List.of(src, dst)) {
            for (AddressMatch a : l) {
                if (a instanceof SetRef s) {
                    NamedSet set = config.sets().get(s.name());
                    if (set != null && set.type() != SetType.PORT) return set.type() == SetType.IPV4 ? Family.IPV4 : Family.IPV6;
                } else {
                    return a.family();
                }
            }
        }
        return protocol.family();
    }

    /** The address intervals of a match list in one family, set references resolved. */
    private List<IpAddress[]> intervals(List<AddressMatch> list, Family f) {
        List<IpAddress[]> out = new ArrayList<>();
        for (AddressMatch a : list) {
            if (a instanceof SetRef s) {
                NamedSet set = config.sets().get(s.name());
                if (set == null) continue;
                for (SetElement e : set.elements()) {
                    if (e instanceof AddressMatch am) addInterval(out, am, f);
                }
            } else {
                addInterval(out, a, f);
            }
        }
        return out;
    }

    private static void addInterval(List<IpAddress[]> out, AddressMatch a, Family f) {
        if (a.family() != f) return;
        switch (a) {
            case IpAddress x -> out.add(new IpAddress[] {x, x});
            case IpPrefix p -> out.add(new IpAddress[] {p.network(), p.network().lastInPrefix(p.length())});
            case IpRange r -> out.add(new IpAddress[] {r.from(), r.to()});
            case SetRef s -> { }
        }
    }

    private boolean contains(List<AddressMatch> list, IpAddress a) {
        for (IpAddress[] iv : intervals(list, a.family())) if (iv[0].compareTo(a) <= 0 && a.compareTo(iv[1]) <= 0) return true;
        return false;
    }

    private boolean anyAddress(List<AddressMatch> list, Family f) {
        return !intervals(list, f).isEmpty();
    }

    /** Whether the list matches every address of the family (e.g. 0.0.0.0/0, or ranges that join up). */
    private boolean coversAll(List<AddressMatch> list, Family f) {
        List<IpAddress[]> ivs = intervals(list, f);
        ivs.sort(Comparator.comparing((IpAddress[] iv) -> iv[0]));
        IpAddress min = new IpAddress(f, 0, 0);
        IpAddress max = f == Family.IPV4 ? IpAddress.v4(0xFFFF_FFFFL) : new IpAddress(f, -1L, -1L);
        IpAddress next = min; // the first address not yet covered
        for (IpAddress[] iv : ivs) {
            if (iv[0].compareTo(next) > 0) return false;
            if (iv[1].compareTo(next) >= 0) {
                if (iv[1].equals(max)) return true;
                next = successor(iv[1]);
            }
        }
        return false;
    }

    private static IpAddress successor(IpAddress a) {
        if (a.family() == Family.IPV4) return IpAddress.v4(a.lo() + 1);
        long lo = a.lo() + 1;
        long hi = lo == 0 ? a.hi() + 1 : a.hi();
        return new IpAddress(Family.IPV6, hi, lo);
    }

    private List<PortRange> portRanges(List<PortMatch> list) {
        List<PortRange> out = new ArrayList<>();
        for (PortMatch pm : list) {
            if (pm instanceof PortRange r) {
                out.add(r);
            } else if (pm instanceof SetRef s) {
                NamedSet set = config.sets().get(s.name());
                if (set == null) continue;
                for (SetElement e : set.elements()) if (e instanceof PortRange r) out.add(r);
            }
        }
        return out;
    }

    private boolean containsPort(List<PortMatch> list, int p) {
        return portRanges(list).stream().anyMatch(r -> r.from() <= p && p <= r.to());
    }

    private boolean anyPort(List<PortMatch> list) {
        return !portRanges(list).isEmpty();
    }

    private boolean coversAllPorts(List<PortMatch> list) {
        List<PortRange> rs = new ArrayList<>(portRanges(list));
        rs.sort(Comparator.comparingInt(PortRange::from));
        int next = 1;
        for (PortRange r : rs) {
            if (r.from() > next) return false;
            next = Math.max(next, r.to() + 1);
        }
        return next > 65535;
    }

    // ---- helpers

    private void error(String pointer, String message) {
        problems.add(Problem.error(pointer, message));
    }

    private static String list(List<?> l) {
        return l.size() == 1 ? l.getFirst().toString() : l.stream().map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String quoted(List<String> l) {
        return l.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
    }

    static boolean isLoopback(IpAddress a) {
        return a.family() == Family.IPV4 ? (a.lo() >>> 24) == 127 : a.hi() == 0 && a.lo() == 1;
    }

    static boolean isUnspecified(IpAddress a) {
        return a.hi() == 0 && a.lo() == 0;
    }
}
