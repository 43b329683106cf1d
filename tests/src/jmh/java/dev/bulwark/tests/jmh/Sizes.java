package dev.bulwark.tests.jmh;

import dev.bulwark.tests.bench.Workload;

/**
 * The default benchmark workload: 10,000 rules over 8 zones, a set of 100,000 elements. The rule and element counts
 * are JMH parameters of every benchmark ({@code -p rules=1000 -p elements=1000000}); the zones stay at 8.
 */
final class Sizes {
    static final String RULES = "10000";
    static final String ELEMENTS = "100000";
    static final int ZONES = 8;
    static final int API_PORT = 8443;
    static final String TOKEN = "bench-token";

    private Sizes() {
    }

    static Workload workload(int rules, int elements) {
        return new Workload(rules, ZONES, elements, API_PORT, TOKEN);
    }
}
