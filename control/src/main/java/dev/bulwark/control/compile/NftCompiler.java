package dev.bulwark.control.compile;

import dev.bulwark.config.Problem;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Conntrack;
import dev.bulwark.config.model.CtState;
import dev.bulwark.config.model.Helper;
import dev.bulwark.config.model.IcmpType;
import dev.bulwark.config.model.Interface;
import dev.bulwark.config.model.Limit;
import dev.bulwark.config.model.Log;
import dev.bulwark.config.model.LogLevel;
import dev.bulwark.config.model.Masquerade;
import dev.bulwark.config.model.NamedSet;
import dev.bulwark.config.model.NoTrack;
import dev.bulwark.config.model.OneToOne;
import dev.bulwark.config.model.Policy;
import dev.bulwark.config.model.PortForward;
import dev.bulwark.config.model.Protocol;
import dev.bulwark.config.model.Route;
import dev.bulwark.config.model.Rule;
import dev.bulwark.config.model.Snat;
import dev.bulwark.config.model.Timeouts;
import dev.bulwark.config.model.Verdict;
import dev.bulwark.config.model.Zone;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.InterfaceAddress;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.IpPrefix;
import dev.bulwark.config.types.IpRange;
import dev.bulwark.config.types.Names;
import dev.bulwark.config.types.PortMatch;
import dev.bulwark.config.types.SetRef;
import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Chain;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftObject;
import dev.bulwark.dataplane.nft.NftRuleset;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.SetElement;
import dev.bulwark.dataplane.nft.Table;
import dev.bulwark.dataplane.nft.stmt.AddrField;
import dev.bulwark.dataplane.nft.stmt.AddrMatch;
import dev.bulwark.dataplane.nft.stmt.AddrValue;
import dev.bulwark.dataplane.nft.stmt.CounterStmt;
import dev.bulwark.dataplane.nft.stmt.CtHelperSetStmt;
import dev.bulwark.dataplane.nft.stmt.CtStateMatch;
import dev.bulwark.dataplane.nft.stmt.CtStatusMatch;
import dev.bulwark.dataplane.nft.stmt.IcmpTypeMatch;
import dev.bulwark.dataplane.nft.stmt.IfDir;
import dev.bulwark.dataplane.nft.stmt.IfnameMatch;
import dev.bulwark.dataplane.nft.stmt.IfnameSetMatch;
import dev.bulwark.dataplane.nft.stmt.Intervals.Interval;
import dev.bulwark.dataplane.nft.stmt.L4protoMatch;
import dev.bulwark.dataplane.nft.stmt.LimitStmt;
import dev.bulwark.dataplane.nft.stmt.LogStmt;
import dev.bulwark.dataplane.nft.stmt.MasqueradeStmt;
import dev.bulwark.dataplane.nft.stmt.NatStmt;
import dev.bulwark.dataplane.nft.stmt.NfprotoMatch;
import dev.bulwark.dataplane.nft.stmt.NotrackStmt;
import dev.bulwark.dataplane.nft.stmt.PortField;
import dev.bulwark.dataplane.nft.stmt.PortValue;
import dev.bulwark.dataplane.nft.stmt.RejectStmt;
import dev.bulwark.dataplane.nft.stmt.Rulesets;
import dev.bulwark.dataplane.nft.stmt.StatementRule;
import dev.bulwark.dataplane.nft.stmt.Stmt;
import dev.bulwark.dataplane.nft.stmt.Symbols;
import dev.bulwark.dataplane.nft.stmt.VerdictStmt;
import dev.bulwark.dataplane.nft.stmt.VmapStmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Compiles a config into the one nftables table Bulwark owns, {@code inet bulwark}, firewall4 style.
 *
 * <pre>
 * raw_prerouting  filter prerouting raw      no-track rules
 * dstnat          nat prerouting dstnat      port-forwards (+ hairpin), 1:1 NAT inbound
 * helpers         filter prerouting filter   ct helper assignment
 * input           filter input, drop         lo, ct state, iifname vmap @input_zones   -> input_ZONE
 * forward         filter forward, drop       ct state, iifname vmap @forward_zones     -> forward_ZONE
 * output          filter output, accept      lo, ct state, oifname vmap @output_zones  -> output_ZONE
 * srcnat          nat postrouting srcnat     hairpin masquerade, 1:1 NAT outbound, SNAT, masquerade
 * handle_reject   tcp reset for tcp, icmpx port-unreachable for the rest
 * input_ZONE      rules ZONE -> self, then the zone's input policy
 * output_ZONE     rules self -> ZONE, then the zone's output policy
 * forward_ZONE    oifname @zone_OTHER jump forward_ZONE_to_OTHER ..., then the zone's forward policy
 * forward_A_to_B  rules A -> B, port-forward accepts, then the A -> B policy if one is given
 * </pre>
 *
 * Zones are interface-name sets ({@code zone_ZONE}) and verdict maps; config sets become {@code set_NAME}; every
 * enabled rule and port-forward counts into a named counter ({@code rule_NAME}, {@code fwd_NAME}). Conntrack table
 * size and timeouts are sysctls ({@link CompiledNft#sysctls()}), not nftables state.
 */
public final class NftCompiler {

    public static final String TABLE = Table.BULWARK;

    static final String RAW = "raw_prerouting";
    static final String DSTNAT = "dstnat";
    static final String HELPERS = "helpers";
    static final String INPUT = "input";
    static final String FORWARD = "forward";
    static final String OUTPUT = "output";
    static final String SRCNAT = "srcnat";
    static final String REJECT = "handle_reject";
    static final String INPUT_MAP = "input_zones";
    static final String FORWARD_MAP = "forward_zones";
    static final String OUTPUT_MAP = "output_zones";

    static String zoneSet(String zone) {
        return "zone_" + zone;
    }

    static String inputChain(String zone) {
        return "input_" + zone;
    }

    static String outputChain(String zone) {
        return "output_" + zone;
    }

    static String forwardChain(String zone) {
        return "forward_" + zone;
    }

    static String pairChain(String from, String to) {
        return "forward_" + from + "_to_" + to;
    }

    static String ruleCounter(String rule) {
        return "rule_" + rule;
    }

    static String forwardCounter(String name) {
        return "fwd_" + name;
    }

    /**
     * The l3proto of a helper object. The kernel has IPv4-only versions of some helpers; asked for inet it binds
     * those and reports ip, so they are compiled as ip to read back equal.
     */
    static int helperFamily(dev.bulwark.config.model.HelperType type) {
        return switch (type) {
            case IRC, PPTP, SNMP, NETBIOS_NS -> Nft.NFPROTO_IPV4;
            default -> Nft.NFPROTO_INET;
        };
    }

    public static NftCompileResult compile(Config config) {
        NftCompiler c = new NftCompiler(config);
        CompiledNft out = c.run();
        return new NftCompileResult(out, c.errors);
    }

    /** Rules, forward accepts and the policy of traffic from one zone to another. */
    private static final class Pair {
        final List<List<Stmt>> rules = new ArrayList<>();
        final List<String> comments = new ArrayList<>();
        final List<List<Stmt>> accepts = new ArrayList<>();
        final List<String> acceptComments = new ArrayList<>();
        Policy policy;
        LogStmt policyLog;

        boolean used() {
            return !rules.isEmpty() || !accepts.isEmpty() || policy != null;
        }
    }

    private final Config config;
    private final List<Problem> errors = new ArrayList<>();
    private final Map<String, List<String>> zoneDevices = new LinkedHashMap<>();
    private final Map<String, String> interfaceZone = new HashMap<>();
    private final Map<String, NftObject> objects = new LinkedHashMap<>();
    private final Map<String, String> counters = new LinkedHashMap<>();
    private final Map<String, List<StatementRule>> zoneInput = new LinkedHashMap<>();
    private final Map<String, List<StatementRule>> zoneOutput = new LinkedHashMap<>();
    private final Map<String, List<StatementRule>> zoneForwardFirst = new LinkedHashMap<>();
    private final Map<String, Map<String, Pair>> pairs = new LinkedHashMap<>();
    private final List<StatementRule> raw = new ArrayList<>();
    private final List<StatementRule> dstnat = new ArrayList<>();
    private final List<StatementRule> helpers = new ArrayList<>();
    private final List<StatementRule> srcnatHairpin = new ArrayList<>();
    private final List<StatementRule> srcnat = new ArrayList<>();
    private boolean rejectUsed;
    private final Map<String, Chain> baseChains = new LinkedHashMap<>();

    private NftCompiler(Config config) {
        this.config = config;
    }

    private void error(String pointer, String message) {
        errors.add(Problem.error(pointer, message));
    }

    private CompiledNft run() {
        zones();
        for (String z : config.zones().keySet()) {
            zoneInput.put(z, new ArrayList<>());
            zoneOutput.put(z, new ArrayList<>());
            zoneForwardFirst.put(z, new ArrayList<>());
            Map<String, Pair> m = new LinkedHashMap<>();
            for (String y : config.zones().keySet()) m.put(y, new Pair());
            pairs.put(z, m);
        }
        firewall();
        nat();
        conntrack();
        if (!errors.isEmpty()) return null;
        return assemble();
    }

    // ---- zones

    private void zones() {
        for (Map.Entry<String, Zone> e : config.zones().entrySet()) {
            List<String> devices = new ArrayList<>();
            List<String> ifs = e.getValue().interfaces();
            for (int i = 0; i < ifs.size(); i++) {
                Interface iface = config.interfaces().get(ifs.get(i));
                String dev = iface == null ? null : iface.deviceName(ifs.get(i));
                if (dev == null) {
                    error("/zones/" + e.getKey() + "/interfaces/" + i, "interface '" + ifs.get(i) + "' has no device name to match in nftables");
                    continue;
                }
                devices.add(dev);
                interfaceZone.put(ifs.get(i), e.getKey());
            }
            zoneDevices.put(e.getKey(), devices);
        }
    }

    private boolean zoneKnown(String pointer, String zone) {
        if (config.zones().containsKey(zone)) return true;
        error(pointer, "unknown zone '" + zone + "'");
        return false;
    }

    private VerdictStmt zoneVerdict(Verdict v) {
        return switch (v) {
            case ACCEPT -> VerdictStmt.accept();
            case DROP -> VerdictStmt.drop();
            case REJECT -> {
                rejectUsed = true;
                yield VerdictStmt.jump(REJECT);
            }
        };
    }

    // ---- firewall rules and policies

    private void firewall() {
        List<Policy> policies = config.firewall().policies();
        for (int i = 0; i < policies.size(); i++) {
            Policy p = policies.get(i);
            String ptr = "/firewall/policies/" + i;
            if (!zoneKnown(ptr + "/from", p.from()) | !zoneKnown(ptr + "/to", p.to())) continue;
            Pair pair = pairs.get(p.from()).get(p.to());
            pair.policy = p;
            if (p.log() != null) pair.policyLog = logStmt(ptr + "/log", p.log());
        }
        List<Rule> rules = config.firewall().rules();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (!r.enabled()) continue;
            rule(r, "/firewall/rules/" + i);
        }
    }

    private void rule(Rule r, String p) {
        boolean fromSelf = Rule.SELF.equals(r.from()), toSelf = Rule.SELF.equals(r.to());
        if (!fromSelf && !zoneKnown(p + "/from", r.from())) return;
        if (!toSelf && !zoneKnown(p + "/to", r.to())) return;
        Family family = family(r.family(), r.source(), r.destination(), r.protocol());
        List<List<Stmt>> alternatives = matches(family, r.source(), r.destination(), r.protocol(), r.sourcePort(), r.port(), r.icmpType());
        List<Stmt> tail = new ArrayList<>();
        if (!r.state().isEmpty()) {
            int mask = 0;
            for (CtState s : r.state()) mask |= ctState(s);
            tail.add(new CtStateMatch(mask));
        }
        if (r.limit() != null) tail.add(limit(r.limit()));
        if (r.counter()) {
            String name = ruleCounter(r.name());
            objects.put(name, new NftObject.CounterObject(name));
            counters.put(name, p);
            tail.add(new CounterStmt(name));
        }
        if (r.log() != null) {
            LogStmt log = logStmt(p + "/log", r.log());
            if (log != null) tail.add(log);
        }
        tail.add(switch (r.action()) {
            case ACCEPT -> VerdictStmt.accept();
            case DROP -> VerdictStmt.drop();
            case REJECT -> reject(r.protocol());
        });
        List<List<Stmt>> out = new ArrayList<>();
        for (List<Stmt> alt : alternatives) {
            List<Stmt> s = new ArrayList<>(alt);
            s.addAll(tail);
            out.add(s);
        }
        if (toSelf) {
            for (List<Stmt> s : out) zoneInput.get(r.from()).add(new StatementRule(inputChain(r.from()), s, r.name()));
        } else if (fromSelf) {
            for (List<Stmt> s : out) zoneOutput.get(r.to()).add(new StatementRule(outputChain(r.to()), s, r.name()));
        } else {
            Pair pair = pairs.get(r.from()).get(r.to());
            for (List<Stmt> s : out) {
                pair.rules.add(s);
                pair.comments.add(r.name());
            }
        }
    }

    /** A reject answers TCP with a reset and anything else with ICMP(v6) port unreachable. */
    private Stmt reject(Protocol protocol) {
        return switch (protocol) {
            case TCP -> RejectStmt.tcpReset();
            case UDP, ICMP, ICMPV6 -> RejectStmt.icmpxPortUnreachable();
            case ANY -> {
                rejectUsed = true;
                yield VerdictStmt.jump(REJECT);
            }
        };
    }

    private static int ctState(CtState s) {
        return switch (s) {
            case NEW -> Nft.CT_STATE_NEW;
            case ESTABLISHED -> Nft.CT_STATE_ESTABLISHED;
            case RELATED -> Nft.CT_STATE_RELATED;
            case INVALID -> Nft.CT_STATE_INVALID;
            case UNTRACKED -> Nft.CT_STATE_UNTRACKED;
        };
    }

    private static LimitStmt limit(Limit l) {
        long unit = switch (l.rate().unit()) {
            case SECOND -> 1;
            case MINUTE -> 60;
            case HOUR -> 3600;
            case DAY -> 86400;
        };
        return new LimitStmt(l.rate().count(), unit, l.burst());
    }

    /**
     * A log statement. The level is always written (the kernel reports warn for a log without one, so writing it keeps
     * what we send equal to what we read back); with an nflog group there is no level, and nft refuses one.
     */
    private LogStmt logStmt(String p, Log l) {
        if (l.group() != null) {
            if (l.level() != null && l.level() != LogLevel.WARN) {
                error(p + "/level", "nftables cannot log at a level to an nflog group (group " + l.group()
                        + "); remove 'level' (nflog has none) or 'group' (to log to the kernel log at level "
                        + Names.enumName(l.level()) + ")");
                return null;
            }
            return new LogStmt(l.prefix(), null, l.group());
        }
        LogLevel level = l.level() != null ? l.level() : LogLevel.WARN;
        return new LogStmt(l.prefix(), level.ordinal(), null);
    }

    /** The family a match is bound to: given, or implied by its addresses, sets or protocol; null for both. */
    private Family family(Family explicit, List<AddressMatch> src, List<AddressMatch> dst, Protocol protocol) {
        if (explicit != null) return explicit;
        for (List<AddressMatch> l : List.of(src, dst)) {
            for (AddressMatch m : l) {
                if (m instanceof SetRef s) {
                    NamedSet set = config.sets().get(s.name());
                    if (set != null && KernelValues.family(set.type()) != null) return KernelValues.family(set.type());
                } else {
                    return m.family();
                }
            }
        }
        return protocol.family();
    }

    /**
     * The match statements of a rule-like thing: one list per alternative (set references and literal lists cannot
     * share one nft match, so a list mixing them becomes several rules).
     */
    private List<List<Stmt>> matches(Family family, List<AddressMatch> src, List<AddressMatch> dst, Protocol protocol,
                                     List<PortMatch> sport, List<PortMatch> dport, List<IcmpType> icmpTypes) {
        boolean v6 = family == Family.IPV6;
        List<AddrValue> srcAlt = orNone(KernelValues.addressAlternatives(src));
        List<AddrValue> dstAlt = orNone(KernelValues.addressAlternatives(dst));
        List<PortValue> sportAlt = orNone(KernelValues.portAlternatives(sport));
        List<PortValue> dportAlt = orNone(KernelValues.portAlternatives(dport));
        boolean nfproto = family != null && src.isEmpty() && dst.isEmpty() && protocol != Protocol.ICMP && protocol != Protocol.ICMPV6;
        List<List<Stmt>> out = new ArrayList<>();
        for (AddrValue s : srcAlt) {
            for (AddrValue d : dstAlt) {
                for (PortValue sp : sportAlt) {
                    for (PortValue dp : dportAlt) {
                        List<Stmt> l = new ArrayList<>();
                        if (nfproto) l.add(v6 ? NfprotoMatch.ipv6() : NfprotoMatch.ipv4());
                        if (s != null) l.add(AddrMatch.of(AddrField.source(v6), s));
                        if (d != null) l.add(AddrMatch.of(AddrField.destination(v6), d));
                        switch (protocol) {
                            case TCP, UDP -> {
                                int proto = protocol == Protocol.TCP ? Symbols.IPPROTO_TCP : Symbols.IPPROTO_UDP;
                                if (sp == null && dp == null) l.add(L4protoMatch.of(proto));
                                if (sp != null) l.add(portMatch(proto, PortField.SPORT, sp));
                                if (dp != null) l.add(portMatch(proto, PortField.DPORT, dp));
                            }
                            case ICMP, ICMPV6 -> {
                                boolean icmp6 = protocol == Protocol.ICMPV6;
                                if (icmpTypes.isEmpty()) {
                                    l.add(L4protoMatch.of(icmp6 ? Symbols.IPPROTO_ICMPV6 : Symbols.IPPROTO_ICMP));
                                } else {
                                    l.add(new IcmpTypeMatch(icmp6, icmpTypes.stream().map(t -> Symbols.icmpType(icmp6, Names.enumName(t))).toList()));
                                }
                            }
                            case ANY -> {
                            }
                        }
                        out.add(l);
                    }
                }
            }
        }
        return out;
    }

    private static <T> List<T> orNone(List<T> l) {
        if (!l.isEmpty()) return l;
        List<T> none = new ArrayList<>();
        none.add(null);
        return none;
    }

    private static dev.bulwark.dataplane.nft.stmt.PortMatch portMatch(int proto, PortField field, PortValue value) {
        return new dev.bulwark.dataplane.nft.stmt.PortMatch(proto, field, value, false);
    }

    // ---- NAT

    private void nat() {
        List<PortForward> fwds = config.nat().portForwards();
        for (int i = 0; i < fwds.size(); i++) portForward(fwds.get(i), "/nat/port-forwards/" + i);
        List<OneToOne> ones = config.nat().oneToOne();
        for (int i = 0; i < ones.size(); i++) oneToOne(ones.get(i), "/nat/one-to-one/" + i);
        List<Snat> snats = config.nat().snat();
        for (int i = 0; i < snats.size(); i++) snat(snats.get(i), "/nat/snat/" + i);
        List<Masquerade> masq = config.nat().masquerade();
        for (int i = 0; i < masq.size(); i++) masquerade(masq.get(i), "/nat/masquerade/" + i);
    }

    private void portForward(PortForward f, String p) {
        if (!zoneKnown(p + "/in", f.in())) return;
        if (f.protocol() != Protocol.TCP && f.protocol() != Protocol.UDP) {
            error(p + "/protocol", "a port-forward forwards tcp or udp");
            return;
        }
        int proto = f.protocol() == Protocol.TCP ? Symbols.IPPROTO_TCP : Symbols.IPPROTO_UDP;
        Family family = f.to().family();
        boolean v6 = family == Family.IPV6;
        Bytes inside = KernelValues.bytes(f.to().address());
        PortValue external = KernelValues.port(f.port());
        PortValue internal = f.to().port() != null ? new PortValue.Single(f.to().port()) : external;
        String counter = forwardCounter(f.name());
        objects.put(counter, new NftObject.CounterObject(counter));
        counters.put(counter, p);

        for (AddrValue src : orNone(KernelValues.addressAlternatives(f.source()))) {
            List<Stmt> s = new ArrayList<>();
            s.add(IfnameSetMatch.of(IfDir.IIF, zoneSet(f.in())));
            if (f.destination() == null && src == null) s.add(v6 ? NfprotoMatch.ipv6() : NfprotoMatch.ipv4());
            if (f.destination() != null) s.add(AddrMatch.of(AddrField.destination(v6), new AddrValue.Single(KernelValues.bytes(f.destination()))));
            if (src != null) s.add(AddrMatch.of(AddrField.source(v6), src));
            s.add(portMatch(proto, PortField.DPORT, external));
            s.add(new CounterStmt(counter));
            s.add(NatStmt.dnat(v6, inside, f.to().port()));
            dstnat.add(new StatementRule(DSTNAT, s, f.name()));
        }

        List<Stmt> accept = List.of(AddrMatch.of(AddrField.destination(v6), new AddrValue.Single(inside)),
                portMatch(proto, PortField.DPORT, internal), CtStatusMatch.dnat(), VerdictStmt.accept());
        String target = zoneOf(f.to().address());
        addAccept(f.in(), target, accept, f.name());

        if (!f.hairpin()) return;
        // NAT reflection: connections from every other zone to the external address are forwarded too; those from
        // the inside host's own subnet are also masqueraded, or the host would answer them directly, bypassing the
        // router (clients on other subnets get their answers through the router anyway and keep their address)
        String hostZone = zoneOfInterfaceSubnet(f.to().address());
        if (hostZone == null) {
            error(p + "/hairpin", "hairpin needs the inside host " + f.to().address() + " on the subnet of an interface in a zone, "
                    + "to know which clients share its subnet");
            return;
        }
        List<IpAddress> externals = new ArrayList<>();
        if (f.destination() != null) {
            externals.add(f.destination());
        } else {
            for (String iface : config.zones().get(f.in()).interfaces()) {
                Interface i = config.interfaces().get(iface);
                if (i == null) continue;
                for (InterfaceAddress a : i.addresses()) if (a.family() == family) externals.add(a.address());
            }
        }
        if (externals.isEmpty()) {
            error(p + "/hairpin", "hairpin needs the external " + family.label() + " address that inside hosts connect to, and the interfaces of zone '"
                    + f.in() + "' have no static one; set 'destination' to it");
            return;
        }
        List<Interval> subnets = new ArrayList<>();
        for (String iface : config.zones().get(hostZone).interfaces()) {
            Interface i = config.interfaces().get(iface);
            if (i == null) continue;
            for (InterfaceAddress a : i.addresses()) if (a.family() == family) subnets.add(KernelValues.interval(a.prefix()));
        }
        List<Stmt> in = new ArrayList<>();
        in.add(new IfnameSetMatch(IfDir.IIF, zoneSet(f.in()), true));
        in.add(AddrMatch.of(AddrField.destination(v6), externals.size() == 1 ? new AddrValue.Single(KernelValues.bytes(externals.getFirst()))
                : new AddrValue.Anonymous(externals.stream().map(a -> Interval.single(KernelValues.bytes(a))).toList())));
        in.add(portMatch(proto, PortField.DPORT, external));
        in.add(new CounterStmt(counter));
        in.add(NatStmt.dnat(v6, inside, f.to().port()));
        dstnat.add(new StatementRule(DSTNAT, in, f.name() + " hairpin"));

        List<Stmt> out = new ArrayList<>();
        out.add(IfnameSetMatch.of(IfDir.OIF, zoneSet(hostZone)));
        out.add(AddrMatch.of(AddrField.source(v6), new AddrValue.Anonymous(subnets)));
        out.add(AddrMatch.of(AddrField.destination(v6), new AddrValue.Single(inside)));
        out.add(portMatch(proto, PortField.DPORT, internal));
        out.add(CtStatusMatch.dnat());
        out.add(new MasqueradeStmt());
        srcnatHairpin.add(new StatementRule(SRCNAT, out, f.name() + " hairpin"));
        for (String z : config.zones().keySet()) {
            if (!z.equals(f.in())) addAccept(z, target, accept, f.name() + " hairpin");
        }
    }

    /** The accept of DNATed traffic: in the zone pair's chain when the target's zone is known, else first in the zone's forward chain. */
    private void addAccept(String from, String target, List<Stmt> accept, String comment) {
        if (target != null) {
            Pair pair = pairs.get(from).get(target);
            pair.accepts.add(accept);
            pair.acceptComments.add(comment);
        } else {
            zoneForwardFirst.get(from).add(new StatementRule(forwardChain(from), accept, comment));
        }
    }

    /** The zone whose interface subnet holds the address. */
    private String zoneOfInterfaceSubnet(IpAddress a) {
        for (Map.Entry<String, Interface> e : config.interfaces().entrySet()) {
            for (InterfaceAddress ia : e.getValue().addresses()) {
                if (ia.prefix().contains(a)) return interfaceZone.get(e.getKey());
            }
        }
        return null;
    }

    /** The zone an address is reached through: its interface subnet, else the most specific route to it. */
    private String zoneOf(IpAddress a) {
        String z = zoneOfInterfaceSubnet(a);
        if (z != null) return z;
        Route best = null;
        for (Route r : config.routes()) {
            IpPrefix pr = r.to().prefix();
            if (pr == null || !pr.contains(a)) continue;
            if (best == null || pr.length() > best.to().prefix().length()) best = r;
        }
        if (best == null) return null;
        if (best.iface() != null) return interfaceZone.get(best.iface());
        return best.via() != null ? zoneOfInterfaceSubnet(best.via()) : null;
    }

    private void oneToOne(OneToOne o, String p) {
        if (!zoneKnown(p + "/in", o.in())) return;
        int extLen = length(o.external()), intLen = length(o.internal());
        if (extLen < 0 || intLen < 0 || extLen != intLen || o.external().family() != o.internal().family()) {
            error(p, "1:1 NAT maps an address or prefix to one of the same family and length");
            return;
        }
        boolean v6 = o.external().family() == Family.IPV6;
        IpAddress ext = network(o.external()), in = network(o.internal());
        boolean single = extLen == o.external().family().bits();
        List<Stmt> d = new ArrayList<>();
        d.add(IfnameSetMatch.of(IfDir.IIF, zoneSet(o.in())));
        List<Stmt> s = new ArrayList<>();
        s.add(IfnameSetMatch.of(IfDir.OIF, zoneSet(o.in())));
        if (single) {
            d.add(AddrMatch.of(AddrField.destination(v6), new AddrValue.Single(KernelValues.bytes(ext))));
            d.add(NatStmt.dnat(v6, KernelValues.bytes(in), null));
            s.add(AddrMatch.of(AddrField.source(v6), new AddrValue.Single(KernelValues.bytes(in))));
            s.add(NatStmt.snat(v6, KernelValues.bytes(ext)));
        } else {
            d.add(AddrMatch.of(AddrField.destination(v6), new AddrValue.Prefix(KernelValues.bytes(ext), extLen)));
            d.add(new NatStmt(Nft.NAT_DNAT, v6, KernelValues.bytes(in), KernelValues.bytes(in.lastInPrefix(intLen)), null, true));
            s.add(AddrMatch.of(AddrField.source(v6), new AddrValue.Prefix(KernelValues.bytes(in), intLen)));
            s.add(new NatStmt(Nft.NAT_SNAT, v6, KernelValues.bytes(ext), KernelValues.bytes(ext.lastInPrefix(extLen)), null, true));
        }
        dstnat.add(new StatementRule(DSTNAT, d, o.name()));
        srcnat.add(new StatementRule(SRCNAT, s, o.name()));
    }

    private static int length(AddressMatch m) {
        return m instanceof IpAddress a ? a.family().bits() : m instanceof IpPrefix p ? p.length() : -1;
    }

    private static IpAddress network(AddressMatch m) {
        return m instanceof IpAddress a ? a : ((IpPrefix) m).network();
    }

    private void snat(Snat s, String p) {
        if (!zoneKnown(p + "/from", s.from()) | !zoneKnown(p + "/out", s.out())) return;
        boolean v6 = s.to().family() == Family.IPV6;
        NatStmt nat = switch (s.to()) {
            case IpAddress a -> NatStmt.snat(v6, KernelValues.bytes(a));
            case IpRange r -> new NatStmt(Nft.NAT_SNAT, v6, KernelValues.bytes(r.from()), KernelValues.bytes(r.to()), null, false);
            default -> null;
        };
        if (nat == null) {
            error(p + "/to", "SNAT translates to one address or an address range");
            return;
        }
        for (AddrValue src : orNone(KernelValues.addressAlternatives(s.source()))) {
            List<Stmt> l = new ArrayList<>();
            l.add(IfnameSetMatch.of(IfDir.IIF, zoneSet(s.from())));
            l.add(IfnameSetMatch.of(IfDir.OIF, zoneSet(s.out())));
            if (src == null) l.add(v6 ? NfprotoMatch.ipv6() : NfprotoMatch.ipv4());
            else l.add(AddrMatch.of(AddrField.source(v6), src));
            l.add(nat);
            srcnat.add(new StatementRule(SRCNAT, l, s.name()));
        }
    }

    /** Masquerade is IPv4 unless its source addresses say IPv6: NAT66 is rarely what a router should do. */
    private void masquerade(Masquerade m, String p) {
        if (!zoneKnown(p + "/from", m.from()) | !zoneKnown(p + "/out", m.out())) return;
        Family family = family(null, m.source(), List.of(), Protocol.ANY);
        boolean v6 = family == Family.IPV6;
        for (AddrValue src : orNone(KernelValues.addressAlternatives(m.source()))) {
            List<Stmt> l = new ArrayList<>();
            l.add(IfnameSetMatch.of(IfDir.IIF, zoneSet(m.from())));
            l.add(IfnameSetMatch.of(IfDir.OIF, zoneSet(m.out())));
            if (src == null) l.add(NfprotoMatch.ipv4());
            else l.add(AddrMatch.of(AddrField.source(v6), src));
            l.add(new MasqueradeStmt());
            srcnat.add(new StatementRule(SRCNAT, l, null));
        }
    }

    // ---- conntrack

    private void conntrack() {
        Conntrack ct = config.conntrack();
        List<Helper> hs = ct.helpers();
        for (int i = 0; i < hs.size(); i++) {
            Helper h = hs.get(i);
            String p = "/conntrack/helpers/" + i;
            String name = "helper_" + Names.enumName(h.type()).replace('-', '_')
                    + (h.port() != null && !h.port().equals(h.type().defaultPort()) ? "_" + h.port().toString().replace('-', '_') : "");
            int proto = h.type().protocol() == Protocol.TCP ? Symbols.IPPROTO_TCP : Symbols.IPPROTO_UDP;
            objects.put(name, new NftObject.CtHelper(name, h.type().kernelName(), helperFamily(h.type()), proto));
            List<String> zones = h.zones();
            if (zones.isEmpty()) {
                helpers.add(new StatementRule(HELPERS, List.of(portMatch(proto, PortField.DPORT, KernelValues.port(h.effectivePort())),
                        new CtHelperSetStmt(name)), null));
            }
            for (int z = 0; z < zones.size(); z++) {
                if (!zoneKnown(p + "/zones/" + z, zones.get(z))) continue;
                helpers.add(new StatementRule(HELPERS, List.of(IfnameSetMatch.of(IfDir.IIF, zoneSet(zones.get(z))),
                        portMatch(proto, PortField.DPORT, KernelValues.port(h.effectivePort())), new CtHelperSetStmt(name)), null));
            }
        }
        List<NoTrack> nts = ct.notrack();
        for (int i = 0; i < nts.size(); i++) {
            NoTrack n = nts.get(i);
            String p = "/conntrack/notrack/" + i;
            if (n.from() != null && !zoneKnown(p + "/from", n.from())) continue;
            Family family = family(null, n.source(), n.destination(), n.protocol());
            for (List<Stmt> m : matches(family, n.source(), n.destination(), n.protocol(), List.of(), n.port(), List.of())) {
                List<Stmt> l = new ArrayList<>();
                if (n.from() != null) l.add(IfnameSetMatch.of(IfDir.IIF, zoneSet(n.from())));
                l.addAll(m);
                l.add(new NotrackStmt());
                raw.add(new StatementRule(RAW, l, n.name()));
            }
        }
    }

    // ---- the table

    private CompiledNft assemble() {
        Map<String, Chain> chains = baseChains;
        List<StatementRule> rules = new ArrayList<>();
        List<String> zones = new ArrayList<>(config.zones().keySet());
        boolean est = config.firewall().acceptEstablished(), inv = config.firewall().dropInvalid();

        if (!raw.isEmpty()) add(chains, rules, Chain.base(RAW, "filter", Nft.HOOK_PREROUTING, Nft.PRIORITY_RAW, Nft.NF_ACCEPT), raw);
        if (!dstnat.isEmpty()) add(chains, rules, Chain.base(DSTNAT, "nat", Nft.HOOK_PREROUTING, Nft.PRIORITY_DSTNAT, Nft.NF_ACCEPT), dstnat);
        if (!helpers.isEmpty()) add(chains, rules, Chain.base(HELPERS, "filter", Nft.HOOK_PREROUTING, Nft.PRIORITY_FILTER, Nft.NF_ACCEPT), helpers);

        List<StatementRule> input = new ArrayList<>();
        input.add(StatementRule.of(INPUT, IfnameMatch.of(IfDir.IIF, "lo"), VerdictStmt.accept()));
        stateful(input, INPUT, est, inv);
        input.add(StatementRule.of(INPUT, new VmapStmt(IfDir.IIF, INPUT_MAP)));
        add(chains, rules, Chain.base(INPUT, "filter", Nft.HOOK_INPUT, Nft.PRIORITY_FILTER, Nft.NF_DROP), input);

        List<StatementRule> forward = new ArrayList<>();
        stateful(forward, FORWARD, est, inv);
        forward.add(StatementRule.of(FORWARD, new VmapStmt(IfDir.IIF, FORWARD_MAP)));
        add(chains, rules, Chain.base(FORWARD, "filter", Nft.HOOK_FORWARD, Nft.PRIORITY_FILTER, Nft.NF_DROP), forward);

        List<StatementRule> output = new ArrayList<>();
        output.add(StatementRule.of(OUTPUT, IfnameMatch.of(IfDir.OIF, "lo"), VerdictStmt.accept()));
        stateful(output, OUTPUT, est, inv);
        output.add(StatementRule.of(OUTPUT, new VmapStmt(IfDir.OIF, OUTPUT_MAP)));
        add(chains, rules, Chain.base(OUTPUT, "filter", Nft.HOOK_OUTPUT, Nft.PRIORITY_FILTER, Nft.NF_ACCEPT), output);

        List<StatementRule> snat = new ArrayList<>(srcnatHairpin);
        snat.addAll(srcnat);
        if (!snat.isEmpty()) add(chains, rules, Chain.base(SRCNAT, "nat", Nft.HOOK_POSTROUTING, Nft.PRIORITY_SRCNAT, Nft.NF_ACCEPT), snat);

        // zone chains; reject verdicts found here decide whether handle_reject is needed, so it is added after them
        Map<String, Chain> zoneChains = new LinkedHashMap<>();
        List<StatementRule> zoneRules = new ArrayList<>();
        for (String z : zones) {
            Zone zone = config.zones().get(z);
            List<StatementRule> in = new ArrayList<>(zoneInput.get(z));
            in.add(new StatementRule(inputChain(z), List.of(zoneVerdict(zone.input())), "zone " + z + " input policy"));
            add(zoneChains, zoneRules, Chain.regular(inputChain(z)), in);

            List<StatementRule> out = new ArrayList<>(zoneOutput.get(z));
            out.add(new StatementRule(outputChain(z), List.of(zoneVerdict(zone.output())), "zone " + z + " output policy"));
            add(zoneChains, zoneRules, Chain.regular(outputChain(z)), out);

            List<StatementRule> fwd = new ArrayList<>(zoneForwardFirst.get(z));
            for (String y : zones) {
                if (pairs.get(z).get(y).used()) {
                    fwd.add(StatementRule.of(forwardChain(z), IfnameSetMatch.of(IfDir.OIF, zoneSet(y)), VerdictStmt.jump(pairChain(z, y))));
                }
            }
            fwd.add(new StatementRule(forwardChain(z), List.of(zoneVerdict(zone.forward())), "zone " + z + " forward policy"));
            add(zoneChains, zoneRules, Chain.regular(forwardChain(z)), fwd);

            for (String y : zones) {
                Pair pair = pairs.get(z).get(y);
                if (!pair.used()) continue;
                String name = pairChain(z, y);
                List<StatementRule> l = new ArrayList<>();
                for (int i = 0; i < pair.rules.size(); i++) l.add(new StatementRule(name, pair.rules.get(i), pair.comments.get(i)));
                for (int i = 0; i < pair.accepts.size(); i++) l.add(new StatementRule(name, pair.accepts.get(i), pair.acceptComments.get(i)));
                if (pair.policy != null) {
                    List<Stmt> s = new ArrayList<>();
                    if (pair.policyLog != null) s.add(pair.policyLog);
                    s.add(zoneVerdict(pair.policy.action()));
                    l.add(new StatementRule(name, s, "policy " + z + " to " + y));
                }
                add(zoneChains, zoneRules, Chain.regular(name), l);
            }
        }
        if (rejectUsed) {
            add(chains, rules, Chain.regular(REJECT), List.of(
                    StatementRule.of(REJECT, L4protoMatch.of(Symbols.IPPROTO_TCP), RejectStmt.tcpReset()),
                    StatementRule.of(REJECT, RejectStmt.icmpxPortUnreachable())));
        }
        for (Chain c : zoneChains.values()) chains.putIfAbsent(c.name(), c);
        rules.addAll(zoneRules);
        if (!errors.isEmpty()) return null;

        Map<String, NftSet> sets = new LinkedHashMap<>();
        config.sets().forEach((name, s) -> sets.put(KernelValues.setName(name), KernelValues.set(name, s)));
        SortedSet<SetElement> inMap = new TreeSet<>(), fwdMap = new TreeSet<>(), outMap = new TreeSet<>();
        for (String z : zones) {
            SortedSet<SetElement> devs = new TreeSet<>();
            for (String d : zoneDevices.get(z)) {
                Bytes key = Bytes.ifname(d);
                devs.add(SetElement.of(key));
                inMap.add(SetElement.jump(key, inputChain(z)));
                fwdMap.add(SetElement.jump(key, forwardChain(z)));
                outMap.add(SetElement.jump(key, outputChain(z)));
            }
            sets.put(zoneSet(z), new NftSet(zoneSet(z), Nft.TYPE_IFNAME, 16, 0, null, 0, devs));
        }
        sets.put(INPUT_MAP, verdictMap(INPUT_MAP, inMap));
        sets.put(FORWARD_MAP, verdictMap(FORWARD_MAP, fwdMap));
        sets.put(OUTPUT_MAP, verdictMap(OUTPUT_MAP, outMap));

        Map<String, NftObject> objs = new LinkedHashMap<>();
        objects.values().stream().filter(o -> o instanceof NftObject.CounterObject).forEach(o -> objs.put(o.name(), o));
        objects.values().stream().filter(o -> !(o instanceof NftObject.CounterObject)).forEach(o -> objs.put(o.name(), o));

        NftRuleset base = new NftRuleset(Table.inet(TABLE), chains, sets, objs, Map.of());
        NftRuleset ruleset;
        try {
            ruleset = Rulesets.withRules(base, rules);
        } catch (IllegalArgumentException e) {
            error("", "internal compiler error: " + e.getMessage());
            return null;
        }
        // the text lists the rules chain by chain, as the ruleset holds them
        List<StatementRule> ordered = new ArrayList<>();
        for (String c : chains.keySet()) for (StatementRule r : rules) if (r.chain().equals(c)) ordered.add(r);
        return new CompiledNft(ruleset, ordered, counters, SysctlCompiler.compile(config));
    }

    /** A verdict map of interface names; the kernel keeps the data length of a verdict (struct nft_verdict, 16 bytes). */
    private static NftSet verdictMap(String name, SortedSet<SetElement> elements) {
        return new NftSet(name, Nft.TYPE_IFNAME, 16, Nft.SET_MAP, Nft.DATA_VERDICT, 16, elements);
    }

    private static void stateful(List<StatementRule> l, String chain, boolean est, boolean inv) {
        if (est) l.add(StatementRule.of(chain, CtStateMatch.establishedRelated(), VerdictStmt.accept()));
        if (inv) l.add(StatementRule.of(chain, CtStateMatch.invalid(), VerdictStmt.drop()));
    }

    private void add(Map<String, Chain> chains, List<StatementRule> rules, Chain c, List<StatementRule> r) {
        if (chains.putIfAbsent(c.name(), c) != null || (chains != baseChains && baseChains.containsKey(c.name()))) {
            error("/zones", "zone names produce the nft chain name '" + c.name() + "' twice (zone and zone-pair chains are named "
                    + "input_ZONE, output_ZONE, forward_ZONE and forward_FROM_to_TO); rename a zone");
        }
        rules.addAll(r);
    }
}
