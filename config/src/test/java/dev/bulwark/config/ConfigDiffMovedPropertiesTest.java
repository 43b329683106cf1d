package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The n log n search for moved entries finds exactly what the plain quadratic search finds. */
class ConfigDiffMovedPropertiesTest {

    @Property(tries = 500)
    void sameAsTheQuadraticSearch(@ForAll @IntRange(min = 0, max = 60) int size, @ForAll long seed, @ForAll @IntRange(min = 0, max = 8) int swaps) {
        Random r = new Random(seed);
        List<String> before = new ArrayList<>();
        for (int i = 0; i < size; i++) before.add("r" + i);
        List<String> after = new ArrayList<>(before);
        if (r.nextBoolean()) {
            Collections.shuffle(after, r);
        } else {
            for (int k = 0; k < swaps && size > 1; k++) Collections.swap(after, r.nextInt(size), r.nextInt(size));
        }
        assertThat(ConfigDiff.moved(before, after)).containsExactlyElementsOf(quadratic(before, after));
    }

    /** The longest increasing subsequence by the textbook quadratic search (earliest end, first predecessor). */
    private static Set<String> quadratic(List<String> before, List<String> after) {
        int n = after.size();
        int[] pos = new int[n];
        for (int i = 0; i < n; i++) pos[i] = before.indexOf(after.get(i));
        int[] len = new int[n];
        int[] prev = new int[n];
        int best = -1;
        for (int i = 0; i < n; i++) {
            len[i] = 1;
            prev[i] = -1;
            for (int j = 0; j < i; j++) {
                if (pos[j] < pos[i] && len[j] + 1 > len[i]) {
                    len[i] = len[j] + 1;
                    prev[i] = j;
                }
            }
            if (best < 0 || len[i] > len[best]) best = i;
        }
        Set<String> keep = new HashSet<>();
        for (int i = best; i >= 0; i = prev[i]) keep.add(after.get(i));
        Set<String> out = new LinkedHashSet<>(after);
        out.removeAll(keep);
        return out;
    }
}
