package dev.bulwark.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One finding about a config: where (JSON pointer, and line/column in the source where known), what was wrong and,
 * in the message, what would be right.
 *
 * @param severity error (the config is refused) or warning (accepted, but probably not what was meant)
 * @param pointer  RFC 6901 JSON pointer of the offending node, "" for the whole document
 * @param message  plain-language explanation
 * @param line     1-based line in the source, or null
 * @param column   1-based column in the source, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(Severity severity, String pointer, String message, Integer line, Integer column) {

    public enum Severity { ERROR, WARNING }

    public static Problem error(String pointer, String message) {
        return new Problem(Severity.ERROR, pointer, message, null, null);
    }

    public static Problem warning(String pointer, String message) {
        return new Problem(Severity.WARNING, pointer, message, null, null);
    }

    public Problem at(int line, int column) {
        return new Problem(severity, pointer, message, line, column);
    }

    public Problem withPointer(String p) {
        return new Problem(severity, p, message, line, column);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code /firewall/rules/3/port: message (line 12, column 15)}. */
    @Override
    public String toString() {
        String where = line == null ? "" : " (line " + line + ", column " + column + ")";
        return (pointer.isEmpty() ? "/" : pointer) + ": " + message + where;
    }
}
