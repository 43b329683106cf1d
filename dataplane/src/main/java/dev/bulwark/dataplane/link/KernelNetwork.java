package dev.bulwark.dataplane.link;

import dev.bulwark.dataplane.apply.Operation;
import dev.bulwark.dataplane.port.KernelContext;
import dev.bulwark.dataplane.port.NetworkPort;
import dev.bulwark.dataplane.route.Route;
import dev.bulwark.dataplane.route.Routes;
import java.util.List;

/** {@link NetworkPort} over the namespace's rtnetlink socket: {@link Links}, {@link Addresses}, {@link Routes}. */
public final class KernelNetwork implements NetworkPort {

    private final KernelContext kernel;

    public KernelNetwork(KernelContext kernel) {
        this.kernel = kernel;
    }

    @Override
    public List<Link> links() {
        return Links.read(kernel.rtnetlink());
    }

    @Override
    public List<Address> addresses() {
        return Addresses.read(kernel.rtnetlink());
    }

    @Override
    public List<Route> ourRoutes() {
        return Routes.read(kernel.rtnetlink(), true);
    }

    @Override
    public List<Route> allRoutes() {
        return Routes.read(kernel.rtnetlink(), false);
    }

    @Override
    public void apply(Operation operation) {
        operation.apply(kernel.rtnetlink());
    }
}
