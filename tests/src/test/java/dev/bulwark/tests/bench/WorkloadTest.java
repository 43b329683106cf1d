package dev.bulwark.tests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigDiff;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.types.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's generated workload (a smoke test of the harness; the benchmark itself runs only from
 * {@code scripts/bench}): valid, deterministic, elements that no merging can shrink, and variants that differ by
 * exactly one element and one port.
 */
class WorkloadTest {

    private final Workload w = new Workload(200, 4, 5000, 8443, "smoke-token");

    @Test
    void theConfigIsValidAndTheSameEachTime() {
        Config c = w.config(0, 0);
        assertThat(c.firewall().rules()).hasSize(200);
        assertThat(c.sets().get("blocklist").elements()).hasSize(5000);
        assertThat(w.text()).isEqualTo(new Workload(200, 4, 5000, 8443, "smoke-token").text());
    }

    @Test
    void elementsAreScatteredNeverAdjacentOrOverlapping() {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String e = Workload.element(i);
            IpPrefix p = IpPrefix.parse(e.contains("/") ? e : e + "/32");
            long first = toLong(p.network().toString());
            long size = 1L << (32 - p.length());
            ranges.add(new long[]{first, first + size - 1});
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i)[0]).as("gap before element %d", i).isGreaterThan(ranges.get(i - 1)[1] + 1);
        }
        // consecutive indexes land far apart (not one run of neighbouring addresses)
        assertThat(Math.abs(toLong(Workload.element(1)) - toLong(Workload.element(2)))).isGreaterThan(1 << 12);
    }

    @Test
    void aVariantAddsOneElementAndChangesOnePort() {
        Config base = w.config(0, 0);
        Config next = w.config(1, 1);
        assertThat(next.sets().get("blocklist").elements()).hasSize(5001);
        List<ConfigDiff.Change> changes = ConfigDiff.between(base, next);
        assertThat(ConfigDiff.render(changes)).contains("blocklist").contains("rule '" + Workload.ruleName(w.changedRule()) + "' port");
        assertThat(w.changedPort(1)).isNotEqualTo(w.changedPort(0));
    }

    private static long toLong(String dotted) {
        String a = dotted.contains("/") ? dotted.substring(0, dotted.indexOf('/')) : dotted;
        long v = 0;
        for (String part : a.split("\\.")) v = v << 8 | Long.parseLong(part);
        return v;
    }
}
