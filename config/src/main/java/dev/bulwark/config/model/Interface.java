package dev.bulwark.config.model;

import dev.bulwark.config.bind.Default;
import dev.bulwark.config.bind.Doc;
import dev.bulwark.config.types.InterfaceAddress;
import java.util.List;

/**
 * A logical interface: exactly one of a physical {@code device}, a {@code vlan} sub-interface or a {@code bridge}.
 * For a VLAN or bridge, {@code device} optionally names the kernel device that Bulwark creates.
 */
@Doc("A logical interface: a physical device, a VLAN sub-interface or a bridge")
public record Interface(
        @Doc("Kernel device name (eth0). For a VLAN or bridge: the name of the device to create (optional).") String device,
        @Doc("Make this a VLAN sub-interface of a parent device.") Vlan vlan,
        @Doc("Make this a bridge over member devices.") Bridge bridge,
        @Doc("Addresses with prefix length, IPv4 and IPv6.") List<InterfaceAddress> addresses,
        @Doc("MTU in bytes (68-65535); the kernel's default when absent.") Integer mtu,
        @Doc("Whether the link is brought up.") @Default("true") boolean enabled,
        @Doc("Free text for humans.") String description) {

    public Interface {
        addresses = Values.list(addresses);
    }

    /** What kind of link this interface is. */
    public enum Kind { DEVICE, VLAN, BRIDGE }

    public Kind kind() {
        return vlan != null ? Kind.VLAN : bridge != null ? Kind.BRIDGE : Kind.DEVICE;
    }

    /**
     * The kernel device name: {@code device} when given, else {@code parent.id} for a VLAN and {@code br-NAME}
     * for a bridge named NAME in the config.
     */
    public String deviceName(String logicalName) {
        if (device != null) return device;
        if (vlan != null) return vlan.parent() + "." + vlan.id();
        if (bridge != null) return "br-" + logicalName;
        return null;
    }
}
