package dev.bulwark.config;

import dev.bulwark.config.model.ApiToken;
import dev.bulwark.config.model.Bridge;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Conntrack;
import dev.bulwark.config.model.CtState;
import dev.bulwark.config.model.Firewall;
import dev.bulwark.config.model.Helper;
import dev.bulwark.config.model.HelperType;
import dev.bulwark.config.model.IcmpType;
import dev.bulwark.config.model.Interface;
import dev.bulwark.config.model.Limit;
import dev.bulwark.config.model.Log;
import dev.bulwark.config.model.LogLevel;
import dev.bulwark.config.model.Management;
import dev.bulwark.config.model.Masquerade;
import dev.bulwark.config.model.NamedSet;
import dev.bulwark.config.model.Nat;
import dev.bulwark.config.model.NoTrack;
import dev.bulwark.config.model.OneToOne;
import dev.bulwark.config.model.Policy;
import dev.bulwark.config.model.PortForward;
import dev.bulwark.config.model.Protocol;
import dev.bulwark.config.model.Role;
import dev.bulwark.config.model.Route;
import dev.bulwark.config.model.Rule;
import dev.bulwark.config.model.SetType;
import dev.bulwark.config.model.Snat;
import dev.bulwark.config.model.Timeouts;
import dev.bulwark.config.model.Tls;
import dev.bulwark.config.model.Verdict;
import dev.bulwark.config.model.Vlan;
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
import dev.bulwark.config.types.Rate;
import dev.bulwark.config.types.RouteDestination;
import dev.bulwark.config.types.SetElement;
import dev.bulwark.config.types.SetRef;
import dev.bulwark.config.types.TokenHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of configs that are semantically valid by construction: every section is filled (0-4 entries per
 * collection), interface subnets come from distinct indices (10.k.0.0/16 and fd00:0:k::/48, one k per address), and
 * everything that references a zone, set, interface or subnet picks one that exists. Free text, device names and
 * identifiers mix plain values with ones that look like YAML syntax, numbers, booleans or null, to test the writer's
 * quoting.
 */
final class ConfigArbitraries {
    private ConfigArbitraries() {
    }

    // ---------------------------------------------------------------- scalars

    /** Identifiers that a YAML reader may take for something else than a string. */
    static final List<String> TRICKY_NAMES = List.of("null", "Null", "NULL", "true", "True", "FALSE", "yes", "No", "on",
            "OFF", "y", "n", "Y", "N", "NaN", "nan", "inf", "Infinity", "e1", "E5", "x0", "a-1", "b_2", "Z", "self", "any",
            "default", "tcp");

    /** Free text that needs care in YAML: looks like another type, holds indicators, blanks, line breaks, unicode. */
    static final List<String> TRICKY_TEXT = List.of("", " ", "null", "Null", "~", "true", "False", "no", "on", "y", "123",
            "-7", "0x10", "0o17", "017", "1e3", "1_000", ".5", "+1", ".inf", "-.Inf", ".NaN", "1:30", "12:30:45",
            "2024-01-02", "-", "- a", ":", ": x", "a: b", "a:b", "#", "# c", "a #b", "@x", "&a", "*a", "!tag", "!!str x",
            "%x", "'", "\"", "''", "[", "]", "{}", "[a, b]", "? x", "|", ">", "`x`", "\t", "a\tb", "a\nb", "a\n", "\n",
            "trailing ", " leading", "a  b", "é", "日本語", "😀", "\u0085", "\u2028", "\u2029", "\u00a0", "\ufeff",
            "\u0000", "\u0007", "\u001b[0m", "\u007f", "\ud7ff", "\ue000", "\\", "\\n", "<<", "---", "...", "=",
            "a,b", "{a: 1}");

    static final List<String> TRICKY_DEVICES = List.of("~", "-", "?", "null", "true", "yes", "No", "0", "-1", "1.5",
            "0x1F", "1e3", "1_0", ".inf", "+1", "0o7", "08", "#x", "&a", "*a", "!x", "%x", "@x", "`x", "|", ">", "[x]",
            "{x}", "a,b", "-x", "a#b", "...", "---", "\\", "<<", "=");

    static Arbitrary<Boolean> bools() {
        return Arbitraries.of(true, false);
    }

    /** A name we define: [A-Za-z][A-Za-z0-9_-]*, at most 12 characters so that suffixes still fit. */
    static Arbitrary<String> identifier() {
        Arbitrary<String> random = Combinators.combine(
                        Arbitraries.chars().alpha(),
                        Arbitraries.strings().alpha().numeric().withChars("-_").ofMaxLength(11))
                .as((c, s) -> c + s);
        return Arbitraries.frequencyOf(Tuple.of(4, random), Tuple.of(1, Arbitraries.of(TRICKY_NAMES)));
    }

    /** An identifier that may name an interface or zone (not a reserved word). */
    static Arbitrary<String> ownName() {
        return identifier().filter(s -> !s.equals("self") && !s.equals("any"));
    }

    /** A kernel device name: 1-15 printable characters without '/', ':' or quotes. */
    static Arbitrary<String> deviceName() {
        Arbitrary<String> plain = Combinators.combine(
                        Arbitraries.of("eth", "ens", "enp3s", "wlan", "bond", "lan", "wan", "v", "dummy"),
                        Arbitraries.integers().between(0, 99))
                .as((p, n) -> p + n);
        Arbitrary<String> random = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(15)
                .map(s -> s.replaceAll("[/:\"']", "x"))
                .map(s -> s.equals(".") || s.equals("..") ? "dot" : s);
        return Arbitraries.frequencyOf(Tuple.of(3, plain), Tuple.of(2, random), Tuple.of(1, Arbitraries.of(TRICKY_DEVICES)));
    }

    /** Any text (no lone surrogates: a config read from a file never has them). */
    static Arbitrary<String> freeText() {
        Arbitrary<String> unicode = Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(8)
                .map(cps -> {
                    StringBuilder sb = new StringBuilder();
                    cps.forEach(sb::appendCodePoint);
                    return sb.toString();
                });
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(24)),
                Tuple.of(2, Arbitraries.of(TRICKY_TEXT)),
                Tuple.of(1, unicode),
                Tuple.of(1, Arbitraries.of(TRICKY_TEXT).list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l))));
    }

    static Arbitrary<String> nonBlankText() {
        return freeText().map(s -> s.isBlank() ? "x" + s : s);
    }

    /** A log prefix the kernel takes: at most 127 characters, no control characters, no '"'. */
    static Arbitrary<String> logPrefix() {
        return freeText().map(s -> s.replaceAll("[\\x00-\\x1f\"]", "_")).map(s -> s.length() > 127 ? s.substring(0, 127) : s);
    }

    // ---------------------------------------------------------------- addresses and ports

    static Arbitrary<IpAddress> address(Family f) {
        if (f == Family.IPV4) {
            return Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.longs().between(0, 0xFFFF_FFFFL)),
                    Tuple.of(1, Arbitraries.of(0L, 0xFFFF_FFFFL, 0x7F00_0001L, 0x0A00_0001L, 0xC0A8_0101L)))
                    .map(IpAddress::v4);
        }
        Arbitrary<Long> part = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.longs().between(0, 0xFFFF)),
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(1, Arbitraries.of(0xfd00_0000_0000_0000L, 0x2001_0db8_0000_0000L, 0xfe80_0000_0000_0000L,
                        0x0001_0000_0000_0001L, 0x0000_ffff_0000_0000L)));
        return Combinators.combine(part, part).as((hi, lo) -> new IpAddress(Family.IPV6, hi, lo));
    }

    static Arbitrary<IpPrefix> prefix(Family f) {
        return Combinators.combine(address(f), Arbitraries.integers().between(0, f.bits()))
                .as((a, len) -> new IpPrefix(a.masked(len), len));
    }

    static Arbitrary<IpRange> range(Family f) {
        return Combinators.combine(address(f), address(f))
                .as((a, b) -> a.compareTo(b) <= 0 ? new IpRange(a, b) : new IpRange(b, a));
    }

    static Arbitrary<AddressMatch> addressLiteral(Family f) {
        return Arbitraries.<AddressMatch>oneOf(address(f), prefix(f), range(f));
    }

    static Arbitrary<Integer> port() {
        return Arbitraries.integers().between(1, 65535);
    }

    static Arbitrary<PortRange> portRange() {
        Arbitrary<PortRange> single = port().map(PortRange::of);
        Arbitrary<PortRange> span = Combinators.combine(port(), port())
                .as((a, b) -> new PortRange(Math.min(a, b), Math.max(a, b)));
        return Arbitraries.oneOf(single, span);
    }

    static Arbitrary<SetElement> setElement(SetType t) {
        return switch (t) {
            case PORT -> portRange().map(p -> (SetElement) p);
            case IPV4 -> Arbitraries.<SetElement>oneOf(address(Family.IPV4), prefix(Family.IPV4), range(Family.IPV4));
            case IPV6 -> Arbitraries.<SetElement>oneOf(address(Family.IPV6), prefix(Family.IPV6), range(Family.IPV6));
        };
    }

    // ---------------------------------------------------------------- the skeleton: interfaces, zones, sets

    /** An interface address and the logical interface that has it. */
    record Subnet(String iface, InterfaceAddress address) {
        Family family() {
            return address.family();
        }

        /** An address inside the subnet, chosen by the bits given. */
        IpAddress inside(long hiBits, long loBits) {
            IpPrefix p = address.prefix();
            IpAddress n = p.network();
            if (n.family() == Family.IPV4) {
                return IpAddress.v4(n.lo() + Math.floorMod(loBits, 1L << (32 - p.length())));
            }
            return new IpAddress(Family.IPV6, n.hi() | (hiBits & hostMaskHi(p.length())), n.lo() | (loBits & hostMaskLo(p.length())));
        }
    }

    record Net(Map<String, Interface> interfaces, List<Subnet> subnets) {
    }

    /** What the sections refer to: interfaces with their subnets, zones, sets. */
    record Base(Net net, Map<String, Zone> zones, Map<String, NamedSet> sets) {
        List<String> zoneNames() {
            return List.copyOf(zones.keySet());
        }

        List<String> zonesAndSelf() {
            List<String> l = new ArrayList<>(zones.keySet());
            l.add(Rule.SELF);
            return l;
        }

        List<String> setsOf(SetType t) {
            return sets.entrySet().stream().filter(e -> e.getValue().type() == t).map(Map.Entry::getKey).toList();
        }

        List<Subnet> subnets(Family f) {
            return net.subnets().stream().filter(s -> s.family() == f).toList();
        }

        /** Families a NAT target may have: those of the interface addresses, or both when there are none. */
        List<Family> natFamilies() {
            if (net.subnets().isEmpty()) return List.of(Family.values());
            return Arrays.stream(Family.values()).filter(f -> !subnets(f).isEmpty()).toList();
        }
    }

    private record LinkDraft(Interface.Kind kind, String device, boolean derive, String vlanParent, int vlanId,
                             List<String> members, boolean stp) {
    }

    private record AddrDraft(boolean v6, int lengthSeed, long hostHi, long hostLo) {
    }

    private record IfaceDraft(LinkDraft link, List<AddrDraft> addresses, Integer mtuSeed, boolean enabled, String description) {
    }

    private static Arbitrary<IfaceDraft> ifaceDraft() {
        Arbitrary<LinkDraft> link = Combinators.combine(Arbitraries.of(Interface.Kind.class), deviceName(), bools(),
                        deviceName(), Arbitraries.integers().between(1, 4094), deviceName().list().ofMaxSize(3), bools())
                .as(LinkDraft::new);
        Arbitrary<AddrDraft> addr = Combinators.combine(bools(), Arbitraries.integers().between(0, 80), Arbitraries.longs(),
                Arbitraries.longs()).as(AddrDraft::new);
        return Combinators.combine(link, addr.list().ofMaxSize(3),
                        Arbitraries.integers().between(0, 65535).injectNull(0.6), bools(), freeText().injectNull(0.7))
                .as(IfaceDraft::new);
    }

    static Arbitrary<Net> net() {
        return Combinators.combine(ownName().list().uniqueElements().ofMaxSize(4), ifaceDraft().list().ofSize(4))
                .as(ConfigArbitraries::buildNet);
    }

    private static Net buildNet(List<String> names, List<IfaceDraft> drafts) {
        Set<String> used = new HashSet<>();
        String[] devices = new String[names.size()];
        // First every interface's own kernel device, then bridge members, which must differ from all of them.
        for (int i = 0; i < names.size(); i++) {
            LinkDraft l = drafts.get(i).link();
            Interface shape = new Interface(null, l.kind() == Interface.Kind.VLAN ? new Vlan(l.vlanParent(), l.vlanId()) : null,
                    l.kind() == Interface.Kind.BRIDGE ? new Bridge(List.of(), false) : null, List.of(), null, true, null);
            String derived = shape.deviceName(names.get(i));
            if (l.kind() != Interface.Kind.DEVICE && l.derive() && Names.isDeviceName(derived) && !used.contains(derived)) {
                used.add(derived);
            } else {
                devices[i] = fresh(l.device(), used, 15);
            }
        }
        Map<String, Interface> ifs = new LinkedHashMap<>();
        List<Subnet> subnets = new ArrayList<>();
        int index = 0;
        for (int i = 0; i < names.size(); i++) {
            IfaceDraft d = drafts.get(i);
            LinkDraft l = d.link();
            Vlan vlan = l.kind() == Interface.Kind.VLAN ? new Vlan(l.vlanParent(), l.vlanId()) : null;
            Bridge bridge = null;
            if (l.kind() == Interface.Kind.BRIDGE) {
                List<String> members = new ArrayList<>();
                for (String m : l.members()) if (used.add(m)) members.add(m);
                bridge = new Bridge(members, l.stp());
            }
            List<InterfaceAddress> addresses = new ArrayList<>();
            for (AddrDraft a : d.addresses()) {
                InterfaceAddress ia = a.v6() ? v6Address(index++, a) : v4Address(index++, a);
                addresses.add(ia);
                subnets.add(new Subnet(names.get(i), ia));
            }
            Integer mtu = null;
            if (d.mtuSeed() != null) {
                int min = addresses.stream().anyMatch(a -> a.family() == Family.IPV6) ? 1280 : 68;
                mtu = min + d.mtuSeed() % (65536 - min);
            }
            ifs.put(names.get(i), new Interface(devices[i], vlan, bridge, addresses, mtu, d.enabled(), d.description()));
        }
        return new Net(ifs, subnets);
    }

    /** 10.k.0.0/16 holds the k-th subnet; the address is a host address of a /16-/32 inside it. */
    private static InterfaceAddress v4Address(int k, AddrDraft a) {
        int len = 16 + a.lengthSeed() % 17;
        long network = (10L << 24) | ((long) k << 16);
        long size = 1L << (32 - len);
        long offset = len < 31 ? 1 + Math.floorMod(a.hostLo(), size - 1) : Math.floorMod(a.hostLo(), size);
        return new InterfaceAddress(IpAddress.v4(network + offset), len);
    }

    /** fd00:0:k::/48 holds the k-th subnet; the address is any address of a /48-/128 inside it. */
    private static InterfaceAddress v6Address(int k, AddrDraft a) {
        int len = 48 + a.lengthSeed();
        long hi = (0xfd00L << 48) | ((long) k << 16);
        return new InterfaceAddress(new IpAddress(Family.IPV6, hi | (a.hostHi() & hostMaskHi(len)), a.hostLo() & hostMaskLo(len)), len);
    }

    private static long hostMaskHi(int len) {
        return len >= 64 ? 0 : len == 0 ? -1L : -1L >>> len;
    }

    private static long hostMaskLo(int len) {
        return len <= 64 ? -1L : len >= 128 ? 0 : -1L >>> (len - 64);
    }

    /** {@code base}, or a variant of it (at most {@code max} characters) that is not in {@code used}; marks it used. */
    static String fresh(String base, Set<String> used, int max) {
        if (used.add(base)) return base;
        for (int k = 0; ; k++) {
            String suffix = "-" + k;
            String candidate = base.substring(0, Math.min(base.length(), max - suffix.length())) + suffix;
            if (used.add(candidate)) return candidate;
        }
    }

    private record ZoneSettings(Verdict input, Verdict forward, Verdict output, String description) {
    }

    /** Zones that hold every interface exactly once (at least one zone when there are interfaces). */
    static Arbitrary<Map<String, Zone>> zones(Net net) {
        List<String> ifs = List.copyOf(net.interfaces().keySet());
        Arbitrary<ZoneSettings> settings = Combinators.combine(Arbitraries.of(Verdict.class), Arbitraries.of(Verdict.class),
                Arbitraries.of(Verdict.class), freeText().injectNull(0.8)).as(ZoneSettings::new);
        return ownName().list().uniqueElements().ofMinSize(ifs.isEmpty() ? 0 : 1).ofMaxSize(4).flatMap(names ->
                Combinators.combine(
                                Arbitraries.integers().between(0, Math.max(0, names.size() - 1)).list().ofSize(ifs.size()),
                                settings.list().ofSize(names.size()))
                        .as((owner, zs) -> {
                            Map<String, Zone> out = new LinkedHashMap<>();
                            for (int z = 0; z < names.size(); z++) {
                                List<String> members = new ArrayList<>();
                                for (int i = 0; i < ifs.size(); i++) if (owner.get(i) == z) members.add(ifs.get(i));
                                ZoneSettings s = zs.get(z);
                                out.put(names.get(z), new Zone(members, s.input(), s.forward(), s.output(), s.description()));
                            }
                            return out;
                        }));
    }

    static Arbitrary<Map<String, NamedSet>> sets() {
        Arbitrary<NamedSet> set = Arbitraries.of(SetType.class).flatMap(t -> Combinators.combine(
                        setElement(t).list().uniqueElements().ofMaxSize(4), freeText().injectNull(0.8))
                .as((els, d) -> new NamedSet(t, els, d)));
        return Combinators.combine(identifier().list().uniqueElements().ofMaxSize(4), set.list().ofSize(4)).as((names, sets) -> {
            Map<String, NamedSet> out = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) out.put(names.get(i), sets.get(i));
            return out;
        });
    }

    static Arbitrary<Base> base() {
        return net().flatMap(n -> Combinators.combine(zones(n), sets()).as((z, s) -> new Base(n, z, s)).withoutEdgeCases());
    }

    // ---------------------------------------------------------------- references

    static <T> Arbitrary<List<T>> distinctFrom(List<T> pool, int max) {
        if (pool.isEmpty()) return Arbitraries.just(List.of());
        return Arbitraries.of(pool).list().uniqueElements().ofMaxSize(Math.min(max, pool.size()));
    }

    static Arbitrary<AddressMatch> addressMatch(Family f, Base b) {
        List<String> refs = b.setsOf(f == Family.IPV4 ? SetType.IPV4 : SetType.IPV6);
        if (refs.isEmpty()) return addressLiteral(f);
        return Arbitraries.frequencyOf(Tuple.of(3, addressLiteral(f)), Tuple.of(1, Arbitraries.of(refs).map(SetRef::new)));
    }

    static Arbitrary<PortMatch> portMatch(Base b) {
        List<String> refs = b.setsOf(SetType.PORT);
        Arbitrary<PortMatch> literal = portRange().map(p -> p);
        if (refs.isEmpty()) return literal;
        return Arbitraries.frequencyOf(Tuple.of(3, literal), Tuple.of(1, Arbitraries.of(refs).map(SetRef::new)));
    }

    /** An address inside one of the subnets of that family, else any address of it. */
    static Arbitrary<IpAddress> insideOrAny(Family f, Base b) {
        List<Subnet> subs = b.subnets(f);
        if (subs.isEmpty()) return address(f);
        return Combinators.combine(Arbitraries.of(subs), Arbitraries.longs(), Arbitraries.longs()).as(Subnet::inside);
    }

    static Arbitrary<Protocol> protocolFor(Family f) {
        return Arbitraries.of(Protocol.TCP, Protocol.UDP, Protocol.ANY, f == Family.IPV4 ? Protocol.ICMP : Protocol.ICMPV6);
    }

    static <T> List<T> distinctBy(List<T> l, Function<T, Object> key) {
        Set<Object> seen = new HashSet<>();
        return l.stream().filter(x -> seen.add(key.apply(x))).toList();
    }

    // ---------------------------------------------------------------- routes

    static Arbitrary<List<Route>> routes(Base b) {
        List<String> ifaces = List.copyOf(b.net().interfaces().keySet());
        Arbitrary<Route> route = Arbitraries.of(Family.class).flatMap(f -> Combinators.combine(
                insideOrAny(f, b),
                ifaces.isEmpty() ? Arbitraries.just((String) null) : Arbitraries.of(ifaces).injectNull(0.5),
                Arbitraries.oneOf(Arbitraries.just(RouteDestination.DEFAULT), prefix(f).map(RouteDestination::new)),
                Arbitraries.integers().between(0, Integer.MAX_VALUE).injectNull(0.5),
                Arbitraries.longs().between(1, 4_294_967_295L).filter(t -> t != 253 && t != 255).injectNull(0.6),
                freeText().injectNull(0.8),
                bools()
        ).as((via, iface, to, metric, table, description, dropVia) ->
                new Route(to, iface != null && !to.isDefault() && dropVia ? null : via, iface, metric, table, description)));
        return route.list().ofMaxSize(4).map(l -> distinctBy(l, r -> (r.via() != null ? r.via().family() : r.to().family())
                + " " + r.to() + " " + (r.table() == null ? 254 : r.table()) + " " + (r.metric() == null ? 0 : r.metric())));
    }

    // ---------------------------------------------------------------- firewall

    static Arbitrary<Limit> limit() {
        Arbitrary<Rate> rate = Combinators.combine(Arbitraries.longs().between(1, 4_294_967_295L), Arbitraries.of(Rate.Unit.class))
                .as(Rate::new);
        return Combinators.combine(rate, Arbitraries.integers().between(1, 65535).injectNull(0.5)).as(Limit::new);
    }

    static Arbitrary<Log> log() {
        return Combinators.combine(logPrefix().injectNull(0.4), Arbitraries.of(LogLevel.class),
                Arbitraries.integers().between(0, 65535).injectNull(0.7)).as(Log::new);
    }

    private record Head(String name, String from, String to, Verdict action) {
    }

    private record Matchers(Family family, List<AddressMatch> source, List<AddressMatch> destination, Protocol protocol,
                            List<PortMatch> port, List<PortMatch> sourcePort, List<IcmpType> icmpType) {
    }

    private record Extras(List<CtState> state, Limit limit, Log log, boolean counter, boolean enabled, String description) {
    }

    /** One family per rule: addresses and sets of that family, ports only with tcp/udp, ICMP types of the family. */
    private static Arbitrary<Matchers> matchers(Base b) {
        return Arbitraries.of(Family.class).flatMap(f -> protocolFor(f).flatMap(proto -> Combinators.combine(
                bools(),
                addressMatch(f, b).list().ofMaxSize(3),
                addressMatch(f, b).list().ofMaxSize(3),
                proto.hasPorts() ? portMatch(b).list().ofMaxSize(3) : Arbitraries.just(List.<PortMatch>of()),
                proto.hasPorts() ? portMatch(b).list().ofMaxSize(2) : Arbitraries.just(List.<PortMatch>of()),
                proto.family() != null
                        ? distinctFrom(Arrays.stream(IcmpType.values()).filter(t -> t.existsIn(f)).toList(), 3)
                        : Arbitraries.just(List.<IcmpType>of())
        ).as((explicit, src, dst, ports, sports, icmp) -> new Matchers(explicit ? f : null, src, dst, proto, ports, sports, icmp))));
    }

    private static Arbitrary<Head> head(Base b) {
        List<String> ends = b.zonesAndSelf();
        return Combinators.combine(identifier(), Arbitraries.of(ends), Arbitraries.of(ends), Arbitraries.of(Verdict.class))
                .as((name, from, to, action) -> new Head(name, from, Rule.SELF.equals(from) && Rule.SELF.equals(to) ? b.zoneNames().getFirst() : to, action));
    }

    static Arbitrary<Firewall> firewall(Base b) {
        List<String> zones = b.zoneNames();
        if (zones.isEmpty()) {
            return Combinators.combine(bools(), bools()).as((ae, di) -> new Firewall(ae, di, List.of(), List.of()));
        }
        Arbitrary<Policy> policy = Combinators.combine(Arbitraries.of(zones), Arbitraries.of(zones), Arbitraries.of(Verdict.class),
                log().injectNull(0.7)).as(Policy::new);
        Arbitrary<Extras> extras = Combinators.combine(distinctFrom(List.of(CtState.values()), 3), limit().injectNull(0.7),
                log().injectNull(0.7), bools(), bools(), freeText().injectNull(0.8)).as(Extras::new);
        Arbitrary<Rule> rule = Combinators.combine(head(b), matchers(b), extras).as((h, m, x) -> new Rule(h.name(), h.from(), h.to(),
                m.family(), m.source(), m.destination(), m.protocol(), m.port(), m.sourcePort(), m.icmpType(), x.state(), x.limit(),
                x.log(), x.counter(), h.action(), x.enabled(), x.description()));
        return Combinators.combine(bools(), bools(),
                        policy.list().ofMaxSize(4).map(l -> distinctBy(l, p -> p.from() + ">" + p.to())),
                        rule.list().ofMaxSize(4).uniqueElements(Rule::name))
                .as(Firewall::new);
    }

    // ---------------------------------------------------------------- nat

    static Arbitrary<Nat> nat(Base b) {
        List<String> zones = b.zoneNames();
        if (zones.isEmpty()) return Arbitraries.just(new Nat(null, null, null, null));
        List<Family> fams = b.natFamilies();
        Arbitrary<Masquerade> masquerade = Combinators.combine(Arbitraries.of(zones), Arbitraries.of(zones),
                        Arbitraries.of(Family.class).flatMap(f -> addressMatch(f, b).list().ofMaxSize(2)))
                .as(Masquerade::new);
        Arbitrary<Snat> snat = Arbitraries.of(fams).flatMap(f -> Combinators.combine(identifier(), Arbitraries.of(zones),
                        Arbitraries.of(zones), addressMatch(f, b).list().ofMaxSize(2),
                        Arbitraries.<AddressMatch>oneOf(address(f), range(f)))
                .as(Snat::new));
        Arbitrary<PortForward> forward = Arbitraries.of(fams).flatMap(f -> {
            boolean onSubnet = !b.subnets(f).isEmpty();
            Arbitrary<PortForward> noHairpin = Combinators.combine(identifier(), Arbitraries.of(zones),
                    Arbitraries.of(Protocol.TCP, Protocol.UDP), portRange(), insideOrAny(f, b), port().injectNull(0.5),
                    address(f).injectNull(0.7), addressMatch(f, b).list().ofMaxSize(2)
            ).as((name, in, proto, port, inside, toPort, dst, src) -> new PortForward(name, in, proto, port,
                    new Endpoint(inside, port.single() ? toPort : null), dst, src, false));
            return Combinators.combine(noHairpin, bools()).as((pf, hairpin) -> new PortForward(pf.name(), pf.in(), pf.protocol(),
                    pf.port(), pf.to(), pf.destination(), pf.source(), hairpin && onSubnet));
        });
        Arbitrary<OneToOne> oneToOne = Arbitraries.of(fams).flatMap(f -> Combinators.combine(identifier(), Arbitraries.of(zones),
                bools(), Arbitraries.integers().between(0, f.bits()), address(f), insideOrAny(f, b)
        ).as((name, in, asPrefix, len, ext, inside) -> asPrefix
                ? new OneToOne(name, in, new IpPrefix(ext.masked(len), len), new IpPrefix(inside.masked(len), len))
                : new OneToOne(name, in, ext, inside)));
        return Combinators.combine(
                masquerade.list().ofMaxSize(3).map(l -> distinctBy(l, m -> m.source().isEmpty() ? m.from() + ">" + m.out() : m)),
                snat.list().ofMaxSize(3).uniqueElements(Snat::name),
                forward.list().ofMaxSize(3),
                oneToOne.list().ofMaxSize(3).uniqueElements(OneToOne::name)
        ).as(Nat::new);
    }

    // ---------------------------------------------------------------- conntrack

    static Arbitrary<Conntrack> conntrack(Base b) {
        List<String> zones = b.zoneNames();
        Arbitrary<Timeouts> timeouts = Arbitraries.integers().between(1, Integer.MAX_VALUE).injectNull(0.7).list().ofSize(12)
                .map(t -> new Timeouts(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5), t.get(6), t.get(7), t.get(8),
                        t.get(9), t.get(10), t.get(11)));
        Arbitrary<Helper> helper = Combinators.combine(Arbitraries.of(HelperType.class), portRange().injectNull(0.6),
                distinctFrom(zones, 2)).as(Helper::new);
        Arbitrary<NoTrack> noTrack = Arbitraries.of(Family.class).flatMap(f -> protocolFor(f).flatMap(proto -> Combinators.combine(
                identifier(),
                zones.isEmpty() ? Arbitraries.just((String) null) : Arbitraries.of(zones).injectNull(0.5),
                addressMatch(f, b).list().ofMaxSize(2),
                addressMatch(f, b).list().ofMaxSize(2),
                proto.hasPorts() ? portMatch(b).list().ofMaxSize(2) : Arbitraries.just(List.<PortMatch>of())
        ).as((name, from, src, dst, ports) -> new NoTrack(name, from, src, dst, proto, ports))));
        return Combinators.combine(
                Arbitraries.integers().between(1024, Integer.MAX_VALUE).injectNull(0.5),
                timeouts,
                helper.list().ofMaxSize(3).map(l -> distinctBy(l, h -> h.type() + ":" + h.effectivePort())),
                noTrack.list().ofMaxSize(3).uniqueElements(NoTrack::name)
        ).as(Conntrack::new);
    }

    // ---------------------------------------------------------------- management

    static Arbitrary<Management> management(Base b) {
        Arbitrary<Endpoint> listen = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(IpAddress.parse("127.0.0.1"))),
                        Tuple.of(2, Arbitraries.of(Family.class).flatMap(ConfigArbitraries::address))),
                port()).as(Endpoint::new);
        Arbitrary<ApiToken> token = Combinators.combine(identifier(), Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
                Arbitraries.of(Role.class)).as((name, secret, role) -> new ApiToken(name, TokenHash.of(secret), role));
        return Combinators.combine(
                listen,
                distinctFrom(b.zoneNames(), 3),
                token.list().ofMaxSize(3).uniqueElements(ApiToken::name).map(l -> distinctBy(l, ApiToken::hash)),
                bools(),
                Combinators.combine(nonBlankText(), nonBlankText()).as(Tls::new).injectNull(0.6)
        ).as(Management::new);
    }

    // ---------------------------------------------------------------- whole configs

    static Arbitrary<Config> configs() {
        return base().flatMap(b -> Combinators.combine(routes(b), firewall(b), nat(b), conntrack(b), management(b))
                .as((routes, firewall, nat, conntrack, management) -> new Config(1, b.net().interfaces(), routes, b.zones(),
                        b.sets(), firewall, uniqueCounters(firewall, nat), conntrack, management)).withoutEdgeCases());
    }

    /** Rules and port-forwards share one namespace (kernel counters): rename forwards that clash. */
    private static Nat uniqueCounters(Firewall fw, Nat nat) {
        Set<String> used = new HashSet<>();
        fw.rules().forEach(r -> used.add(r.name()));
        List<PortForward> forwards = nat.portForwards().stream().map(f -> new PortForward(fresh(f.name(), used, 32), f.in(),
                f.protocol(), f.port(), f.to(), f.destination(), f.source(), f.hairpin())).toList();
        return new Nat(nat.masquerade(), nat.snat(), forwards, nat.oneToOne());
    }
}
