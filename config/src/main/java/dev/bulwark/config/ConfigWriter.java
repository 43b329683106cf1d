package dev.bulwark.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.bulwark.config.bind.PlainScalars;
import dev.bulwark.config.bind.TreeWriter;
import dev.bulwark.config.model.Config;
import dev.bulwark.config.types.Names;
import java.io.IOException;
import java.io.Writer;
import org.yaml.snakeyaml.DumperOptions;

/**
 * Writes a config in canonical form: keys in model order, canonical spellings (addresses, prefixes, enum names),
 * defaults and empty sections left out. Reading the output gives an equal {@link Config}, and writing that gives the
 * same text: the form revisions are stored and diffed in.
 */
public final class ConfigWriter {
    private ConfigWriter() {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new Factory(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .stringQuotingChecker(new Quoting())));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Quotes every string that the reader would take for something else. Jackson's default checks miss plain scalars
     * that SnakeYAML's resolver, which the reader uses, reads as a number, boolean or null: {@code 1e3}, {@code .inf},
     * {@code 0x10}, {@code 1_000}, {@code 1:30}. A description or device name spelled so must stay a string.
     */
    private static final class Quoting extends StringQuotingChecker.Default {
        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || !PlainScalars.readsAsString(value) && !PlainScalars.resolvedAsString(value);
        }
    }

    /**
     * Whether the whole text matches {@code [+-]?[0-9]*(\.[0-9]*)?}, the pattern by which Jackson's YAML generator
     * quotes a string that would read back as a number ({@code ALWAYS_QUOTE_NUMBERS_AS_STRINGS}).
     */
    static boolean plainNumber(String s) {
        int n = s.length();
        int i = 0;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        while (i < n && Names.isAsciiDigit(s.charAt(i))) i++;
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && Names.isAsciiDigit(s.charAt(i))) i++;
        }
        return i == n;
    }

    /** A line break that SnakeYAML writes as it is in a plain or single-quoted scalar: NEL, LS or PS. */
    private static boolean hasOtherLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0085' || c == '\u2028' || c == '\u2029') return true;
        }
        return false;
    }

    /**
     * Writes strings holding a line break other than {@code \n} (NEL U+0085, LS U+2028, PS U+2029) double-quoted,
     * where they are escaped ({@code \N}, {@code \L}, {@code \P}). Elsewhere SnakeYAML writes them as they are, and
     * a reader takes them for line breaks: a NEL came back as a newline or a space, and {@code "a:<LS>b"} written
     * plain did not parse at all.
     *
     * <p>A string that Jackson would write plain is written plain here without its number pattern (a regex per value):
     * when {@link #plainNumber} says it is no number, and the quoting checker sees nothing to quote.
     */
    private static final class Factory extends YAMLFactory {
        Factory(YAMLFactoryBuilder b) {
            super(b);
        }

        @Override
        protected YAMLGenerator _createGenerator(Writer out, IOContext ctxt) throws IOException {
            return new YAMLGenerator(ctxt, _generatorFeatures, _yamlGeneratorFeatures, _quotingChecker, _objectCodec, out, _version) {
                @Override
                public void writeString(String text) throws IOException {
                    if (text == null) {
                        super.writeString((String) null);
                    } else if (hasOtherLineBreak(text)) {
                        _verifyValueWrite("write String value");
                        _writeScalar(text, "string", DumperOptions.ScalarStyle.DOUBLE_QUOTED);
                    } else if (YAMLGenerator.Feature.MINIMIZE_QUOTES.enabledIn(_formatFeatures) && !text.isEmpty()
                            && text.indexOf('\n') < 0 && !plainNumber(text) && !_quotingChecker.needToQuoteValue(text)) {
                        // What super.writeString chooses for such a string, without its PLAIN_NUMBER_P match.
                        _verifyValueWrite("write String value");
                        _writeScalar(text, "string", DumperOptions.ScalarStyle.PLAIN);
                    } else {
                        super.writeString(text);
                    }
                }
            };
        }
    }

    public static JsonNode toTree(Config config) {
        return TreeWriter.write(config);
    }

    public static String toYaml(Config config) {
        try {
            return YAML.writeValueAsString(toTree(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toJson(Config config) {
        try {
            return JSON.writeValueAsString(toTree(config)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String write(Config config, Format format) {
        return format == Format.JSON ? toJson(config) : toYaml(config);
    }
}
