package dev.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.bulwark.config.bind.PlainScalars;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The quick decision that a plain scalar reads as a string agrees with SnakeYAML's resolver wherever it is made: a
 * wrong "string" would write {@code 1e3} or {@code no} unquoted, to read back as a number or a boolean, and would read
 * a plain {@code no} as the string "no". The writer's stand-in for the generator's number pattern is exact.
 */
class YamlScalarsTest {

    private static final String ALPHABET = "0123456789.:-+_eExXbBoO/@ ~!&*<=nNtTyYfFaslu\t#,é";

    @Test
    void theQuickDecisionNeverContradictsTheResolver() {
        List<String> values = new ArrayList<>(List.of("", " ", "~", "null", "Null", "NULL", "nULL", "y", "n", "yes", "No", "ON", "off",
                "true", "False", "<<", "<", "=", "!", "&", "*", "1e3", ".inf", "-.INF", ".NaN", "0x1F", "0b101", "017", "1_000",
                "1:30", "190:20:30.15", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "1.5", "1.", ".5",
                "+1", "-1", "1.2.3", "10.0.0.1", "10.0.0.0/8", "1/2", "1.2/3", "fd00::1", "::1", "@set", "é", "\0", "tcp", "self",
                "r1", "bwv0", "8000-8100", "12:30", "1_2.3_4", "1.2e+3"));
        // every string of up to three characters of the alphabet, and longer random ones
        StringBuilder sb = new StringBuilder();
        for (int a = -1; a < ALPHABET.length(); a++) {
            for (int b = -1; b < ALPHABET.length(); b++) {
                for (int c = 0; c < ALPHABET.length(); c++) {
                    sb.setLength(0);
                    if (a >= 0) sb.append(ALPHABET.charAt(a));
                    if (b >= 0) sb.append(ALPHABET.charAt(b));
                    values.add(sb.append(ALPHABET.charAt(c)).toString());
                }
            }
        }
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            sb.setLength(0);
            for (int k = 4 + r.nextInt(12); k > 0; k--) sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            values.add(sb.toString());
        }
        int quick = 0;
        for (String v : values) {
            if (PlainScalars.readsAsString(v)) {
                quick++;
                assertThat(PlainScalars.resolvedAsString(v)).as("[%s] is not read as a string", v).isTrue();
            }
        }
        assertThat(quick).as("the quick decision is made for most values").isGreaterThan(values.size() / 2);
    }

    /** The writer's stand-in for the YAML generator's number pattern matches exactly what it matches. */
    @Test
    void plainNumberIsTheGeneratorsPattern() throws ReflectiveOperationException {
        Field f = YAMLGenerator.class.getDeclaredField("PLAIN_NUMBER_P");
        f.setAccessible(true);
        Pattern jackson = (Pattern) f.get(null);
        String alphabet = "0123456789+-.e _a٣";
        List<String> values = new ArrayList<>(List.of("", "+", "-", ".", "+.", "1.", ".1", "-1.5", "+-1", "1.2.3", "10.0.0.1", "1e3", "٣"));
        Random r = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = r.nextInt(8); k > 0; k--) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            values.add(sb.toString());
        }
        for (String v : values) {
            assertThat(ConfigWriter.plainNumber(v)).as("[%s]", v).isEqualTo(jackson.matcher(v).matches());
        }
    }

    @Test
    void theQuickDecisionCoversAConfigsCommonValues() {
        for (String v : List.of("10.0.0.1", "192.168.100.200/30", "fd00::1", "@blocklist", "r123", "z1", "bwv0", "accept", "tcp")) {
            assertThat(PlainScalars.readsAsString(v)).as(v).isTrue();
        }
        for (String v : List.of("no", "NULL", "1.5", "1e3", "0x10", "1:30", "2001-12-14", "", "~")) {
            assertThat(PlainScalars.readsAsString(v)).as(v).isFalse();
            assertThat(PlainScalars.resolvedAsString(v)).as(v).isFalse();
        }
    }
}
