package dev.bulwark.control.compile;

import dev.bulwark.config.model.NamedSet;
import dev.bulwark.config.model.SetType;
import dev.bulwark.config.types.AddressMatch;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.IpPrefix;
import dev.bulwark.config.types.IpRange;
import dev.bulwark.config.types.PortMatch;
import dev.bulwark.config.types.PortRange;
import dev.bulwark.config.types.SetElement;
import dev.bulwark.config.types.SetRef;
import dev.bulwark.dataplane.nft.Bytes;
import dev.bulwark.dataplane.nft.Nft;
import dev.bulwark.dataplane.nft.NftSet;
import dev.bulwark.dataplane.nft.stmt.AddrValue;
import dev.bulwark.dataplane.nft.stmt.Intervals;
import dev.bulwark.dataplane.nft.stmt.Intervals.Interval;
import dev.bulwark.dataplane.nft.stmt.PortValue;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Config scalar types to the statement layer's kernel values. */
final class KernelValues {
    private KernelValues() {
    }

    /** The nft name of a config set: prefixed, so that no set name can be an nft keyword. */
    static String setName(String configName) {
        return "set_" + configName;
    }

    static Bytes bytes(IpAddress a) {
        if (a.family() == Family.IPV4) return Bytes.be(a.lo(), 4);
        byte[] b = new byte[16];
        System.arraycopy(Bytes.be(a.hi(), 8).toArray(), 0, b, 0, 8);
        System.arraycopy(Bytes.be(a.lo(), 8).toArray(), 0, b, 8, 8);
        return Bytes.of(b);
    }

    static Interval interval(SetElement e) {
        return switch (e) {
            case IpAddress a -> Interval.single(bytes(a));
            case IpPrefix p -> new Interval(bytes(p.network()), bytes(p.network().lastInPrefix(p.length())));
            case IpRange r -> new Interval(bytes(r.from()), bytes(r.to()));
            case PortRange r -> new Interval(PortValue.key(r.from()), PortValue.key(r.to()));
        };
    }

    /** One literal address value (not a set reference). */
    static AddrValue address(AddressMatch m) {
        return switch (m) {
            case IpAddress a -> new AddrValue.Single(bytes(a));
            case IpPrefix p -> p.length() == p.family().bits() ? new AddrValue.Single(bytes(p.network()))
                    : new AddrValue.Prefix(bytes(p.network()), p.length());
            case IpRange r -> r.from().equals(r.to()) ? new AddrValue.Single(bytes(r.from())) : new AddrValue.Range(bytes(r.from()), bytes(r.to()));
            case SetRef s -> new AddrValue.Named(setName(s.name()));
        };
    }

    /**
     * The alternatives a list of address matches stands for: every set reference on its own (a rule matches one
     * set), and all literals together (one value, or an anonymous set). A rule with several alternatives becomes
     * several nft rules.
     */
    static List<AddrValue> addressAlternatives(List<AddressMatch> list) {
        List<AddrValue> out = new ArrayList<>();
        List<AddressMatch> literals = new ArrayList<>();
        for (AddressMatch m : list) {
            if (m instanceof SetRef s) out.add(new AddrValue.Named(setName(s.name())));
            else literals.add(m);
        }
        if (literals.size() == 1) out.addFirst(address(literals.getFirst()));
        if (literals.size() > 1) out.addFirst(new AddrValue.Anonymous(literals.stream().map(m -> interval((SetElement) m)).toList()));
        return out;
    }

    static List<PortValue> portAlternatives(List<PortMatch> list) {
        List<PortValue> out = new ArrayList<>();
        List<PortRange> literals = new ArrayList<>();
        for (PortMatch m : list) {
            if (m instanceof SetRef s) out.add(new PortValue.Named(setName(s.name())));
            else literals.add((PortRange) m);
        }
        if (literals.size() == 1) out.addFirst(port(literals.getFirst()));
        if (literals.size() > 1) out.addFirst(PortValue.Anonymous.ofRanges(literals.stream().map(r -> new int[]{r.from(), r.to()}).toList()));
        return out;
    }

    static PortValue port(PortRange r) {
        return r.single() ? new PortValue.Single(r.from()) : new PortValue.Range(r.from(), r.to());
    }

    /** A config set as an nft set: an interval set when any element is wider than one key. */
    static NftSet set(String configName, NamedSet s) {
        int keyType, keyLen;
        switch (s.type()) {
            case IPV4 -> {
                keyType = Nft.TYPE_IPADDR;
                keyLen = 4;
            }
            case IPV6 -> {
                keyType = Nft.TYPE_IP6ADDR;
                keyLen = 16;
            }
            default -> {
                keyType = Nft.TYPE_INET_SERVICE;
                keyLen = 2;
            }
        }
        List<Interval> intervals = s.elements().stream().map(KernelValues::interval).toList();
        boolean interval = intervals.stream().anyMatch(i -> !i.isSingle());
        SortedSet<dev.bulwark.dataplane.nft.SetElement> elements;
        if (interval) {
            elements = Intervals.elements(intervals);
        } else {
            elements = new TreeSet<>();
            for (Interval i : intervals) elements.add(dev.bulwark.dataplane.nft.SetElement.of(i.from()));
        }
        return new NftSet(setName(configName), keyType, keyLen, interval ? Nft.SET_INTERVAL : 0, null, 0, elements);
    }

    static Family family(SetType t) {
        return t == SetType.IPV4 ? Family.IPV4 : t == SetType.IPV6 ? Family.IPV6 : null;
    }
}
