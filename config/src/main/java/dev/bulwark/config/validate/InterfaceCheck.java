package dev.bulwark.config.validate;

import dev.bulwark.config.model.Interface;
import dev.bulwark.config.types.Family;
import dev.bulwark.config.types.InterfaceAddress;
import dev.bulwark.config.types.IpAddress;
import dev.bulwark.config.types.Names;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Interfaces: kind, device names, VLAN ids, MTU, addresses unique, bridge members sane. */
final class InterfaceCheck implements Check {

    @Override
    public void check(Context ctx) {
        Map<String, String> devices = new HashMap<>();
        Map<IpAddress, String> addresses = new HashMap<>();
        Map<String, String> bridgePorts = new HashMap<>();
        for (Map.Entry<String, Interface> e : ctx.config.interfaces().entrySet()) {
            String name = e.getKey();
            Interface i = e.getValue();
            String p = Context.at("/interfaces", name);
            if (name.equals("self") || name.equals("any")) {
                ctx.error(p, "'" + name + "' is a reserved word and cannot name an interface");
            }
            if (i.vlan() != null && i.bridge() != null) {
                ctx.error(p, "an interface is a VLAN or a bridge, not both; keep one of 'vlan' and 'bridge'");
                continue;
            }
            if (i.kind() == Interface.Kind.DEVICE && i.device() == null) {
                ctx.error(p, "missing 'device': a physical interface needs its kernel device name (e.g. device: eth0), or give 'vlan' or 'bridge'");
                continue;
            }
            if (i.device() != null && !Names.isDeviceName(i.device())) {
                ctx.error(p + "/device", "'" + i.device() + "' is not a valid device name: " + Names.DEVICE_RULE);
            } else {
                String dev = i.deviceName(name);
                if (!Names.isDeviceName(dev)) {
                    ctx.error(p, "the device name '" + dev + "' made for this " + i.kind().name().toLowerCase()
                            + " is not valid (" + Names.DEVICE_RULE + "); name it with 'device'");
                } else {
                    String first = devices.putIfAbsent(dev, name);
                    if (first != null) {
                        ctx.error(i.device() != null ? p + "/device" : p, "device '" + dev + "' is already used by interface '" + first + "'");
                    }
                }
            }
            if (i.vlan() != null) {
                if (!Names.isDeviceName(i.vlan().parent())) {
                    ctx.error(p + "/vlan/parent", "'" + i.vlan().parent() + "' is not a valid device name: " + Names.DEVICE_RULE);
                }
                if (i.vlan().id() < 1 || i.vlan().id() > 4094) {
                    ctx.error(p + "/vlan/id", "VLAN id " + i.vlan().id() + " is out of range 1-4094");
                }
            }
            if (i.bridge() != null) {
                List<String> members = i.bridge().members();
                for (int m = 0; m < members.size(); m++) {
                    String mp = p + "/bridge/members/" + m;
                    String member = members.get(m);
                    if (!Names.isDeviceName(member)) {
                        ctx.error(mp, "'" + member + "' is not a valid device name: " + Names.DEVICE_RULE);
                        continue;
                    }
                    if (member.equals(i.deviceName(name))) {
                        ctx.error(mp, "a bridge cannot be a member of itself");
                        continue;
                    }
                    String other = bridgePorts.putIfAbsent(member, name);
                    if (other != null) {
                        ctx.error(mp, "device '" + member + "' is already a member of bridge '" + other + "'");
                    }
                }
            }
            if (i.mtu() != null) {
                boolean v6 = i.addresses().stream().anyMatch(a -> a.family() == Family.IPV6);
                int min = v6 ? 1280 : 68;
                if (i.mtu() < min || i.mtu() > 65535) {
                    ctx.error(p + "/mtu", "MTU " + i.mtu() + " is out of range " + min + "-65535" + (v6 ? " (IPv6 needs at least 1280)" : ""));
                }
            }
            for (int a = 0; a < i.addresses().size(); a++) {
                InterfaceAddress ia = i.addresses().get(a);
                String ap = p + "/addresses/" + a;
                String first = addresses.putIfAbsent(ia.address(), name);
                if (first != null) {
                    ctx.error(ap, "address " + ia.address() + (first.equals(name) ? " is listed twice" : " is already on interface '" + first + "'"));
                }
                if (ia.family() == Family.IPV4 && ia.length() < 31 && ia.address().equals(ia.prefix().network())) {
                    ctx.error(ap, ia + " is the network address of its prefix; give the interface a host address, e.g. "
                            + IpAddress.v4(ia.address().lo() + 1) + "/" + ia.length());
                }
            }
        }
        // Bridge ports carry no addresses of their own: the bridge does.
        for (Map.Entry<String, Interface> e : ctx.config.interfaces().entrySet()) {
            String dev = e.getValue().deviceName(e.getKey());
            String bridge = bridgePorts.get(dev);
            if (bridge != null && !e.getValue().addresses().isEmpty()) {
                ctx.error(Context.at("/interfaces", e.getKey(), "addresses"), "device '" + dev + "' is a port of bridge '" + bridge
                        + "'; put the addresses on the bridge instead");
            }
        }
        overlaps(ctx);
    }

    /** Two interfaces on overlapping subnets make routing ambiguous. */
    private static void overlaps(Context ctx) {
        var entries = ctx.config.interfaces().entrySet().stream().toList();
        for (int x = 0; x < entries.size(); x++) {
            for (int y = x + 1; y < entries.size(); y++) {
                for (int k = 0; k < entries.get(y).getValue().addresses().size(); k++) {
                    InterfaceAddress b = entries.get(y).getValue().addresses().get(k);
                    for (InterfaceAddress a : entries.get(x).getValue().addresses()) {
                        if (a.prefix().overlaps(b.prefix())) {
                            ctx.warning(Context.at("/interfaces", entries.get(y).getKey(), "addresses", k),
                                    "subnet " + b.prefix() + " overlaps " + a.prefix() + " of interface '" + entries.get(x).getKey() + "'");
                            break; // once per address and interface, even when that interface lists a subnet twice
                        }
                    }
                }
            }
        }
    }
}
