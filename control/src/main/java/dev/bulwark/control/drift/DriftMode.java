package dev.bulwark.control.drift;

/** What the engine does when the kernel no longer matches the committed config. Either way the drift is recorded. */
public enum DriftMode {
    /** Put the committed state back (the default). */
    REPAIR,
    /** Only record and report what differs; the next commit or a manual resync repairs it. */
    REPORT
}
