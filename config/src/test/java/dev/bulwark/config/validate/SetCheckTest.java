package dev.bulwark.config.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.config.ConfigLoader;
import dev.bulwark.config.Format;
import dev.bulwark.config.LoadResult;
import dev.bulwark.config.Problem;
import org.junit.jupiter.api.Test;

/**
 * Set elements: duplicates, and overlaps found in order of first value (equal firsts in element order), each reported
 * against the widest element before it, at most 10 a set; IPv4, IPv6 and port sets.
 */
class SetCheckTest {

    private static final String DOC = """
            sets:
              v4:
                type: ipv4
                elements: [10.0.0.8/29, 10.0.0.0/24, 10.0.0.0, 10.0.0.0-10.0.0.5, 192.168.0.1, 10.0.1.0/24, 10.0.1.255,
                           10.0.2.0-10.0.3.0, 10.0.2.128/25, 10.0.3.0, 172.16.0.0/12, 172.16.5.5, 255.255.255.255, 255.255.255.254/31,
                           0.0.0.0, 128.0.0.0/1, 200.1.1.1, 10.0.0.0]
              v6:
                type: ipv6
                elements: ['fd00::/64', 'fd00::1', 'fd00::-fd00::5', '::', 'ffff::/16', 'ffff:ffff::1', '8000::/1', 'fd00:0:0:1::/64', '2001:db8::1']
              p:
                type: port
                elements: [8000-8100, 8080, 22, 20-23, 23, 65535, 1-2, 2]
            """;

    @Test
    void duplicatesAndOverlaps() {
        LoadResult r = ConfigLoader.parse(DOC, Format.YAML);
        StringBuilder sb = new StringBuilder();
        for (Problem p : r.errors()) sb.append(p).append('\n');
        for (Problem p : r.warnings()) sb.append("warning: ").append(p).append('\n');
        assertThat(sb.toString()).isEqualTo("""
                /sets/v4/elements/17: '10.0.0.0' is already element 2 of this set (line 6, column 49)
                warning: /sets/v4: set 'v4' is not used by any rule (line 2, column 3)
                warning: /sets/v4/elements/0: '10.0.0.8/29' overlaps '10.0.0.0/24' (element 1); the kernel keeps their union (line 4, column 16)
                warning: /sets/v4/elements/2: '10.0.0.0' overlaps '10.0.0.0/24' (element 1); the kernel keeps their union (line 4, column 42)
                warning: /sets/v4/elements/3: '10.0.0.0-10.0.0.5' overlaps '10.0.0.0/24' (element 1); the kernel keeps their union (line 4, column 52)
                warning: /sets/v4/elements/4: '192.168.0.1' overlaps '128.0.0.0/1' (element 15); the kernel keeps their union (line 4, column 71)
                warning: /sets/v4/elements/6: '10.0.1.255' overlaps '10.0.1.0/24' (element 5); the kernel keeps their union (line 4, column 97)
                warning: /sets/v4/elements/8: '10.0.2.128/25' overlaps '10.0.2.0-10.0.3.0' (element 7); the kernel keeps their union (line 5, column 35)
                warning: /sets/v4/elements/9: '10.0.3.0' overlaps '10.0.2.0-10.0.3.0' (element 7); the kernel keeps their union (line 5, column 50)
                warning: /sets/v4/elements/10: '172.16.0.0/12' overlaps '128.0.0.0/1' (element 15); the kernel keeps their union (line 5, column 60)
                warning: /sets/v4/elements/11: '172.16.5.5' overlaps '128.0.0.0/1' (element 15); the kernel keeps their union (line 5, column 75)
                warning: /sets/v4/elements/16: '200.1.1.1' overlaps '128.0.0.0/1' (element 15); the kernel keeps their union (line 6, column 38)
                warning: /sets/v6: set 'v6' is not used by any rule (line 7, column 3)
                warning: /sets/v6/elements/0: 'fd00::/64' overlaps '8000::/1' (element 6); the kernel keeps their union (line 9, column 16)
                warning: /sets/v6/elements/1: 'fd00::1' overlaps '8000::/1' (element 6); the kernel keeps their union (line 9, column 29)
                warning: /sets/v6/elements/2: 'fd00::-fd00::5' overlaps '8000::/1' (element 6); the kernel keeps their union (line 9, column 40)
                warning: /sets/v6/elements/4: 'ffff::/16' overlaps '8000::/1' (element 6); the kernel keeps their union (line 9, column 64)
                warning: /sets/v6/elements/5: 'ffff:ffff::1' overlaps '8000::/1' (element 6); the kernel keeps their union (line 9, column 77)
                warning: /sets/v6/elements/7: 'fd00:0:0:1::/64' overlaps '8000::/1' (element 6); the kernel keeps their union (line 9, column 105)
                warning: /sets/p: set 'p' is not used by any rule (line 10, column 3)
                warning: /sets/p/elements/1: '8080' overlaps '8000-8100' (element 0); the kernel keeps their union (line 12, column 27)
                warning: /sets/p/elements/2: '22' overlaps '20-23' (element 3); the kernel keeps their union (line 12, column 33)
                warning: /sets/p/elements/4: '23' overlaps '20-23' (element 3); the kernel keeps their union (line 12, column 44)
                warning: /sets/p/elements/7: '2' overlaps '1-2' (element 6); the kernel keeps their union (line 12, column 60)
                """);
    }
}
