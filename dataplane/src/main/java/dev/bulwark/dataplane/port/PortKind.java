package dev.bulwark.dataplane.port;

import java.util.Objects;
import java.util.function.Function;

/**
 * One kind of port: the interface a subsystem reaches the kernel through, and how the kernel implementation of it is
 * opened in a namespace. Each port interface declares its kind as a constant ({@code NftPort.KIND}); a
 * {@link Dataplane} hands out one instance per kind. So a new port is its interface (with its kind), its kernel
 * implementation and its fake: {@link KernelDataplane} needs no edit.
 *
 * @param name   the subsystem's word for it, in messages: {@code nft}, {@code network}, {@code sysctl}
 * @param type   the port interface
 * @param kernel opens the kernel implementation on the namespace's sockets
 */
public record PortKind<P>(String name, Class<P> type, Function<KernelContext, ? extends P> kernel) {
    public PortKind {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(kernel, "kernel");
    }

    @Override
    public String toString() {
        return name + " port";
    }
}
