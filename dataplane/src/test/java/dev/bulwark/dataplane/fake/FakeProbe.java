package dev.bulwark.dataplane.fake;

/** The fake of {@link FakeDataplaneTest.ProbePort}, found by its name. */
final class FakeProbe implements FakeDataplaneTest.ProbePort {
    private final FakeKernel kernel;

    FakeProbe(FakeKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public void poke(String what) {
        kernel.operation("poke " + what);
    }
}
