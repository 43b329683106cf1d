package dev.bulwark.control.compile;

import dev.bulwark.config.model.Config;
import dev.bulwark.config.model.Interface;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.InterfaceAddress;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.IpPrefix;
import dev.bulwark.dataplane.link.Address;
import dev.bulwark.dataplane.link.Link;
import dev.bulwark.dataplane.route.Prefix;
import dev.bulwark.dataplane.route.Route;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the interfaces and routes of a (validated) config into links, addresses and routes. Physical devices are
 * configured, never created; VLANs and bridges are created and owned. Bridge members that the config does not
 * declare as interfaces are still enslaved to their bridge and brought up.
 */
public final class NetworkCompiler {
    private NetworkCompiler() {
    }

    public static DesiredNetwork compile(Config config) {
        Map<String, String> masterOf = new HashMap<>();
        for (Map.Entry<String, Interface> e : config.interfaces().entrySet()) {
            Interface i = e.getValue();
            if (i.bridge() != null) {
                for (String m : i.bridge().members()) masterOf.put(m, i.deviceName(e.getKey()));
            }
        }
        List<Link> links = new ArrayList<>();
        Set<String> owned = new LinkedHashSet<>();
        Set<String> devices = new LinkedHashSet<>();
        List<Address> addresses = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        for (Map.Entry<String, Interface> e : config.interfaces().entrySet()) {
            Interface i = e.getValue();
            String dev = i.deviceName(e.getKey());
            declared.add(dev);
            devices.add(dev);
            String master = masterOf.get(dev);
            Link link = switch (i.kind()) {
                case DEVICE -> new Link(dev, Link.Kind.DEVICE, i.enabled(), i.mtu(), master, null, null, null);
                case VLAN -> new Link(dev, Link.Kind.VLAN, i.enabled(), i.mtu(), master, i.vlan().parent(), i.vlan().id(), null);
                case BRIDGE -> new Link(dev, Link.Kind.BRIDGE, i.enabled(), i.mtu(), master, null, null, null);
            };
            links.add(link);
            if (i.kind() != Interface.Kind.DEVICE) owned.add(dev);
            for (InterfaceAddress a : i.addresses()) addresses.add(new Address(dev, inet(a.address()), a.length()));
        }
        for (Map.Entry<String, String> m : masterOf.entrySet()) {
            if (!declared.contains(m.getKey())) links.add(new Link(m.getKey(), Link.Kind.DEVICE, true, null, m.getValue(), null, null, null));
        }
        List<Route> routes = new ArrayList<>();
        for (dev.bulwark.config.model.Route r : config.routes()) {
            IpAddress via = r.via();
            Prefix destination;
            if (r.to().isDefault()) {
                destination = via.family() == Family.IPV4 ? Prefix.DEFAULT_V4 : Prefix.DEFAULT_V6;
            } else {
                IpPrefix p = r.to().prefix();
                destination = new Prefix(inet(p.network()), p.length());
            }
            String device = r.iface() == null ? null : config.interfaces().get(r.iface()).deviceName(r.iface());
            routes.add(new Route(destination, via == null ? null : inet(via), device,
                    r.metric() == null ? null : r.metric().longValue(),
                    r.table() == null ? Route.MAIN_TABLE : r.table(), Route.BULWARK_PROTOCOL));
        }
        return new DesiredNetwork(links, owned, devices, addresses, routes);
    }

    static InetAddress inet(IpAddress a) {
        byte[] b;
        if (a.family() == Family.IPV4) {
            long v = a.lo();
            b = new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        } else {
            b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (a.hi() >>> (56 - 8 * i));
                b[8 + i] = (byte) (a.lo() >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
