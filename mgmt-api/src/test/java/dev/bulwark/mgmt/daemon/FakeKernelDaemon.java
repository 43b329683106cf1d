package dev.bulwark.mgmt.daemon;

import dev.bulwark.dataplane.fake.FakeDataplane;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * For the API and CLI tests: a real daemon, listening on a free port of 127.0.0.1, whose kernel is the in-memory one
 * of dataplane's test-jar (no root, no notifications), started and ready.
 */
public final class FakeKernelDaemon {
    private FakeKernelDaemon() {
    }

    /** A ready daemon committing {@code config} into {@code state} on a fake kernel with devices eth0 and eth1. */
    public static Daemon start(Path config, Path state) throws Exception {
        return start(config, state, new FakeDataplane("eth0", "eth1"), UnaryOperator.identity());
    }

    /** A ready daemon on {@code kernel}; {@code more} adjusts its options (a fake conntrack table, limits). */
    public static Daemon start(Path config, Path state, FakeDataplane kernel, UnaryOperator<Daemon.Options> more) throws Exception {
        Daemon d = Daemon.start(more.apply(Daemon.Options.of(config, state).listen("127.0.0.1", 0)
                .engine(eo -> eo.withDataplane(() -> kernel).withMonitor(null))));
        try {
            d.ready().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            d.close();
            throw e;
        }
        return d;
    }
}
