package dev.bulwark.control.reconcile;

import dev.bulwark.dataplane.fake.FakeDataplane;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.control.compile.Compiler;
import dev.bulwark.control.compile.DesiredState;
import dev.bulwark.dataplane.route.Prefix;
import dev.bulwark.dataplane.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * All or nothing, proven against the in-memory fake: for a plan of n kernel operations, failing operation k (every k
 * from 1 to n: inside the nft batch, any link, address or route step, any sysctl) leaves the fake's state equal to
 * the state before the apply, and the next apply (a full resync) converges.
 */
class ReconcilerFaultInjectionTest {

    static final String[] DEVICES = {"eth0", "eth1", "eth2", "eth3"};

    static DesiredState example(String name) {
        return Compiler.compile(ConfigLoader.load(Path.of("..", "examples", name)).orThrow());
    }

    static DesiredState yaml(String text) {
        return Compiler.compile(ConfigLoader.parse(text, Format.YAML).orThrow());
    }

    static DesiredState homeWithExtraRoute() throws Exception {
        return yaml(Files.readString(Path.of("..", "examples", "home-router.yaml"))
                .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 192.168.1.254 }")
                .replace("elements: [192.168.1.10]", "elements: [192.168.1.10, 192.168.1.11]")
                .replace("udp: 30", "udp: 60"));
    }

    static Stream<Arguments> transitions() throws Exception {
        return Stream.of(
                Arguments.of("nothing -> home-router", null, example("home-router.yaml")),
                Arguments.of("nothing -> small-office", null, example("small-office.yaml")),
                Arguments.of("home-router -> small-office", example("home-router.yaml"), example("small-office.yaml")),
                Arguments.of("small-office -> home-router", example("small-office.yaml"), example("home-router.yaml")),
                Arguments.of("home-router -> home-router with a route, an element, a timeout", example("home-router.yaml"), homeWithExtraRoute()),
                // the kernel drops the route through 192.168.1.254 when 192.168.1.1/24 goes: the plan removes it first
                // and adds it back after 192.168.1.2/24, so that undo can restore it too
                Arguments.of("the LAN address moves under a kept route", homeWithExtraRoute(), yaml(Files.readString(Path.of("..", "examples", "home-router.yaml"))
                        .replace("- { to: default, via: 203.0.113.1 }", "- { to: default, via: 203.0.113.1 }\n  - { to: 10.9.0.0/16, via: 192.168.1.254 }")
                        .replace("addresses: [192.168.1.1/24,", "addresses: [192.168.1.2/24,"))));
    }

    /** A fake with the devices, a foreign route, and {@code from} applied by a reconciler. */
    static Reconciler prepared(FakeDataplane fake, DesiredState from) {
        fake.addForeignRoute(new Route(Prefix.parse("198.18.0.0/15"), null, "lo", null, Route.MAIN_TABLE, 4));
        Reconciler r = new Reconciler(fake);
        if (from != null) r.apply(from);
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void failingAnyOperationRestoresThePreviousState(String name, DesiredState from, DesiredState to) {
        FakeDataplane probe = new FakeDataplane(DEVICES);
        Plan plan = prepared(probe, from).plan(to);
        int n = plan.operations();
        System.out.println(name + ": " + n + " operations\n" + plan.text());
        assertThat(n).isPositive();
        List<String> failedSteps = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            FakeDataplane fake = new FakeDataplane(DEVICES);
            Reconciler r = prepared(fake, from);
            FakeDataplane.State before = fake.state();
            assertThat(r.plan(to).operations()).isEqualTo(n);

            fake.failOperation(k);
            ReconcileException e = catchThrowableOfType(ReconcileException.class, () -> r.apply(to));
            assertThat(e).as("operation %d of %d fails the apply", k, n).isNotNull();
            assertThat(fake.state()).as("state after failing operation %d of %d", k, n).isEqualTo(before);
            assertThat(e.restored()).isTrue();
            assertThat(e.errno()).isEqualTo(dev.bulwark.dataplane.fake.FakeKernel.EIO);
            assertThat(e.getMessage()).contains("injected failure").contains("full resync")
                    .containsAnyOf("the previous state is restored", "the previous state stands");
            failedSteps.add(e.subsystem());

            // After a failure nothing is trusted: the next apply reads everything back, and converges.
            assertThat(r.knowsLiveState()).isFalse();
            long reads = fake.reads();
            r.apply(to);
            assertThat(fake.reads()).isGreaterThan(reads);
            assertThat(r.check(to).isEmpty()).as("kernel matches after the retry").isTrue();
        }
        // every subsystem of the plan was hit
        assertThat(failedSteps).containsAll(plan.sections().stream().map(Plan.Section::subsystem).toList());
        assertThat(fakeAfter(from, to).routes()).anyMatch(rt -> rt.protocol() == 4);
    }

    static FakeDataplane.State fakeAfter(DesiredState from, DesiredState to) {
        FakeDataplane fake = new FakeDataplane(DEVICES);
        prepared(fake, from).apply(to);
        return fake.state();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void aFailedUndoIsReportedAndTheNextApplyRepairs(String name, DesiredState from, DesiredState to) {
        FakeDataplane fake = new FakeDataplane(DEVICES);
        Reconciler r = prepared(fake, from);
        int n = r.plan(to).operations();
        // the last operation fails, and so does the first undo operation after it
        fake.failOperation(n).failOperation(n + 1);
        ReconcileException e = catchThrowableOfType(ReconcileException.class, () -> r.apply(to));
        if (e.undone() == 0) return; // a one-step plan has nothing to undo
        assertThat(e.restored()).isFalse();
        assertThat(e.getMessage()).contains("rollback incomplete");
        assertThat(e.getSuppressed()).isNotEmpty();
        fake.clearFailures();
        r.apply(to);
        assertThat(r.check(to).isEmpty()).isTrue();
        assertThat(fake.state()).isEqualTo(fakeAfter(from, to));
    }
}
