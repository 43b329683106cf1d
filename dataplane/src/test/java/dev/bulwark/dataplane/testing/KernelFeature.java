package dev.bulwark.dataplane.testing;

/**
 * What a kernel test needs beyond root or CAP_NET_ADMIN (which {@link KernelAssume#assumeKernel} always checks).
 * Each is probed once per JVM, cheaply (the kernel config, /sys/module, PATH; {@code nft --version} at most), and the
 * answer is cached. When a probe cannot tell (no kernel config, no module lists), the feature counts as present: the
 * test then runs and says itself what is missing.
 */
public enum KernelFeature {

    /** Throwaway network namespaces ({@code ip netns add}): the ip command, and uid 0 or CAP_SYS_ADMIN to mount them. */
    NETNS,
    /** nf_tables in the kernel (CONFIG_NF_TABLES). */
    NFTABLES,
    /** The {@code nft} command (Debian package nftables), which the differential tests compare us against. */
    NFT_CLI,
    /** Connection tracking in the kernel (CONFIG_NF_CONNTRACK). */
    CONNTRACK,
    /** veth pairs (CONFIG_VETH). */
    VETH,
    /** Bridges (CONFIG_BRIDGE). */
    BRIDGE,
    /** dummy links (CONFIG_DUMMY). */
    DUMMY,
    /** 802.1Q VLAN links (CONFIG_VLAN_8021Q). */
    VLAN_8021Q,
    /** Mounting a small tmpfs (a full disk on demand): the mount command, and uid 0 or CAP_SYS_ADMIN. */
    TMPFS
}
