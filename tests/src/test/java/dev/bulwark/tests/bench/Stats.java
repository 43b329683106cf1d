package dev.bulwark.tests.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles of measured runs. */
final class Stats {
    private Stats() {
    }

    static double median(double[] v) {
        if (v.length == 0) throw new IllegalArgumentException("no samples");
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double[] of(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] one(double v) {
        return new double[]{v};
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
