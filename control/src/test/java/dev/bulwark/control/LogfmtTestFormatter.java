package dev.bulwark.control;

import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The log format of control's test JVMs. Bulwark's code logs through {@link System.Logger}; in a daemon that is
 * mgmt-api's LogfmtLoggerFinder, which control cannot see, so here it ends in java.util.logging, whose default
 * format takes two lines per event. Named in {@code src/test/resources/logging.properties}, this writes the daemon's
 * one-line format instead ({@code time=... level=WARN logger=... msg="..."}, as mgmt-api's StructuredLog does), with
 * one difference: a throwable is written as {@code error="Class: message"} without its stack trace, since the tests
 * that log one provoke it on purpose. A failing test still prints its own stack trace (JUnit reports it, not the log).
 */
public final class LogfmtTestFormatter extends Formatter {

    @Override
    public String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(160)
                .append("time=").append(Instant.ofEpochMilli(r.getMillis()))
                .append(" level=").append(level(r.getLevel()))
                .append(" logger=").append(r.getLoggerName() == null || r.getLoggerName().isEmpty() ? "-" : r.getLoggerName())
                .append(' ');
        String msg = formatMessage(r);
        if (msg != null && msg.startsWith("event=") && msg.indexOf('\n') < 0 && msg.indexOf('\r') < 0) sb.append(msg);
        else sb.append("msg=").append(quote(msg == null ? "" : msg));
        if (r.getThrown() != null) {
            StringBuilder error = new StringBuilder(String.valueOf(r.getThrown()));
            for (Throwable c = r.getThrown().getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                error.append("; caused by ").append(c);
            }
            sb.append(" error=").append(quote(error.toString()));
        }
        return sb.append(System.lineSeparator()).toString();
    }

    private static String level(Level l) {
        if (l.intValue() >= Level.SEVERE.intValue()) return "ERROR";
        if (l.intValue() >= Level.WARNING.intValue()) return "WARN";
        if (l.intValue() >= Level.INFO.intValue()) return "INFO";
        return "DEBUG";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < 0x20 ? ' ' : c);
            }
        }
        return sb.append('"').toString();
    }
}
