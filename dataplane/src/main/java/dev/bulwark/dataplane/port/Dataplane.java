package dev.bulwark.dataplane.port;

/**
 * The kernel of one network namespace, as control reaches it: one port per subsystem ({@link NftPort},
 * {@link NetworkPort}, {@link SysctlPort}, {@link ConntrackPort}, and whatever a new subsystem adds), in dataplane
 * value types. {@link KernelDataplane} opens them over netlink inside the namespace; tests use the in-memory fake of
 * the test-jar ({@code dev.bulwark.dataplane.fake.FakeDataplane}), which can fail any operation.
 *
 * <p>Every change a port makes is whole or, when the kernel refuses it, nothing, and then throws (a
 * {@link dev.bulwark.dataplane.netlink.NetlinkException} naming the operation, errno and the kernel's message). Ports
 * remember no kernel state: control's reconciler keeps the one memory of what is live. Not thread-safe unless a port
 * says so: control's one writer drives them.
 */
public interface Dataplane extends AutoCloseable {

    /** Where the changes go, for messages: "namespace NAME" or "current namespace". */
    String where();

    /** The port of {@code kind}, opened on first use and kept until {@link #close()}. */
    <P> P port(PortKind<P> kind);

    /** Messages sent so far that may change the kernel (requests that are not dumps), over all ports. */
    long changesSent();

    /** Every message sent so far, dumps included, over all ports. */
    long messagesSent();

    /** The netlink port ids our changes come from (see {@link NetlinkPorts}). */
    default NetlinkPorts netlinkPorts() {
        return NetlinkPorts.NONE;
    }

    @Override
    void close();
}
