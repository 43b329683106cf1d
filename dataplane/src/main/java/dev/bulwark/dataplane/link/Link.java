package dev.bulwark.dataplane.link;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A network link (interface) as a plain value: what {@code ip -d link show} tells about it that Bulwark manages.
 * Desired and live links are the same type and compare with {@code equals}; the wire encoding is in {@link Links}.
 *
 * @param name   the interface name (at most 15 bytes, as the kernel allows)
 * @param kind   what sort of link it is; {@link Kind#DEVICE} is a link with no rtnetlink kind (a NIC, lo)
 * @param up     the administrative state (IFF_UP), as {@code ip link set NAME up} sets it
 * @param mtu    the MTU; in a desired link null means "leave as is" (live links always carry it)
 * @param master the bridge (or other master) this link is a port of, or null
 * @param parent the parent link of a VLAN (null for other kinds; null in a live VLAN whose parent is in another
 *               namespace)
 * @param vlanId the VLAN id (0-4094) of a VLAN, null for other kinds
 * @param peer   the other end of a veth pair (null for other kinds; null in a live veth whose peer is in another
 *               namespace)
 */
public record Link(String name, Kind kind, boolean up, Integer mtu, String master, String parent, Integer vlanId, String peer) {

    /** The kinds of link Bulwark tells apart; the rtnetlink kind names are "vlan", "bridge", "veth", "dummy". */
    public enum Kind {
        /** No rtnetlink kind: a physical NIC, lo. Bulwark configures these but never creates or deletes them. */
        DEVICE(null),
        VLAN("vlan"),
        BRIDGE("bridge"),
        VETH("veth"),
        DUMMY("dummy"),
        /** Any other kind (macvlan, vxlan, tun, ...): read, configured, never created or deleted. */
        OTHER(null);

        private final String rtnlKind;

        Kind(String rtnlKind) {
            this.rtnlKind = rtnlKind;
        }

        /** The IFLA_INFO_KIND name, or null for DEVICE and OTHER. */
        public String rtnlKind() {
            return rtnlKind;
        }

        /** Whether Bulwark creates and deletes links of this kind. */
        public boolean creatable() {
            return rtnlKind != null;
        }

        /** The kind for an IFLA_INFO_KIND value (null: no kind). */
        public static Kind of(String rtnlKind) {
            if (rtnlKind == null) return DEVICE;
            for (Kind k : values()) if (rtnlKind.equals(k.rtnlKind)) return k;
            return OTHER;
        }
    }

    /** IFNAMSIZ - 1. */
    public static final int MAX_NAME_BYTES = 15;

    public Link {
        checkName(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (mtu != null && mtu <= 0) throw new IllegalArgumentException(name + ": MTU must be positive, not " + mtu);
        if (master != null) {
            checkName(master, "master");
            if (master.equals(name)) throw new IllegalArgumentException(name + " cannot be its own master");
        }
        if (kind == Kind.VLAN) {
            if (vlanId == null || vlanId < 0 || vlanId > 4094) {
                throw new IllegalArgumentException(name + ": a VLAN needs an id from 0 to 4094, not " + vlanId);
            }
            if (parent != null) checkName(parent, "parent");
        } else if (parent != null || vlanId != null) {
            throw new IllegalArgumentException(name + ": only a VLAN has a parent and a VLAN id (this is a " + kind + ")");
        }
        if (kind == Kind.VETH) {
            if (peer != null) {
                checkName(peer, "peer");
                if (peer.equals(name)) throw new IllegalArgumentException(name + " cannot be its own veth peer");
            }
        } else if (peer != null) {
            throw new IllegalArgumentException(name + ": only a veth has a peer (this is a " + kind + ")");
        }
    }

    /** The kernel's rule (dev_valid_name): 1-15 bytes, not "." or "..", no '/', ':' or white space. */
    static void checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        boolean ok = bytes >= 1 && bytes <= MAX_NAME_BYTES && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0);
        if (!ok) {
            throw new IllegalArgumentException("'" + name + "' is not a valid interface name (" + what
                    + "): 1 to 15 bytes, not '.' or '..', without '/', ':' or white space");
        }
    }

    /** An existing device (NIC) to configure: down, MTU left as is, no master. */
    public static Link device(String name) {
        return new Link(name, Kind.DEVICE, false, null, null, null, null, null);
    }

    /** A bridge: down, MTU left as is. */
    public static Link bridge(String name) {
        return new Link(name, Kind.BRIDGE, false, null, null, null, null, null);
    }

    /** A dummy link: down, MTU left as is. */
    public static Link dummy(String name) {
        return new Link(name, Kind.DUMMY, false, null, null, null, null, null);
    }

    /** An 802.1Q VLAN {@code id} on {@code parent}: down, MTU left as is. */
    public static Link vlan(String name, String parent, int id) {
        return new Link(name, Kind.VLAN, false, null, null, Objects.requireNonNull(parent, "parent"), id, null);
    }

    /** One end of a veth pair whose other end is {@code peer}: down, MTU left as is. */
    public static Link veth(String name, String peer) {
        return new Link(name, Kind.VETH, false, null, null, null, null, Objects.requireNonNull(peer, "peer"));
    }

    public Link withUp(boolean up) {
        return new Link(name, kind, up, mtu, master, parent, vlanId, peer);
    }

    /** The same link with MTU {@code mtu} (null: leave as is). */
    public Link withMtu(Integer mtu) {
        return new Link(name, kind, up, mtu, master, parent, vlanId, peer);
    }

    /** The same link as a port of {@code master} (null: no master). */
    public Link withMaster(String master) {
        return new Link(name, kind, up, mtu, master, parent, vlanId, peer);
    }
}
