package dev.bulwark.mgmt.daemon;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The daemon's logs: one line per event on standard error, {@code key=value} pairs (logfmt):
 * {@code time=2025-06-01T12:00:00.123Z level=INFO logger=dev.bulwark.mgmt.api event=http method=GET ...}. A message that
 * already is key=value pairs (it starts with {@code event=}) is written as it is; any other message becomes
 * {@code msg="..."} with quotes, backslashes and line breaks escaped, and a throwable {@code error="..."}, so a
 * multi-line kernel error still is one line. Bulwark's own code logs through {@link System.Logger}, which
 * {@link LogfmtLoggerFinder} writes straight to standard error (so that the lines of a shutdown are not lost when
 * java.util.logging resets itself in its own shutdown hook); this formatter does the same for what logs through
 * java.util.logging (Vert.x, Netty), installed by the daemon command.
 */
public final class StructuredLog extends Formatter {

    /** Replaces the root logger's handlers with one that writes this format to standard error. */
    public static void install(Level level) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        ConsoleHandler h = new ConsoleHandler();
        h.setFormatter(new StructuredLog());
        h.setLevel(level);
        root.addHandler(h);
        root.setLevel(level);
        Logger.getLogger("io.netty").setLevel(Level.WARNING);
        Logger.getLogger("io.vertx").setLevel(Level.WARNING);
    }

    @Override
    public String format(LogRecord r) {
        return line(r.getMillis(), level(r.getLevel()), r.getLoggerName(), formatMessage(r), r.getThrown());
    }

    /** One event as one line: {@code time=... level=... logger=... event=...|msg="..." [error="..."]} and a line break. */
    static String line(long millis, String level, String logger, String msg, Throwable thrown) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("time=").append(Instant.ofEpochMilli(millis))
                .append(" level=").append(level)
                .append(" logger=").append(logger == null || logger.isEmpty() ? "-" : logger).append(' ');
        if (msg != null && msg.startsWith("event=") && msg.indexOf('\n') < 0 && msg.indexOf('\r') < 0) sb.append(msg);
        else sb.append("msg=").append(quote(msg == null ? "" : msg));
        if (thrown != null) {
            StringWriter w = new StringWriter();
            thrown.printStackTrace(new PrintWriter(w));
            sb.append(" error=").append(quote(w.toString().strip()));
        }
        return sb.append(System.lineSeparator()).toString();
    }

    private static String level(Level l) {
        if (l.intValue() >= Level.SEVERE.intValue()) return "ERROR";
        if (l.intValue() >= Level.WARNING.intValue()) return "WARN";
        if (l.intValue() >= Level.INFO.intValue()) return "INFO";
        return "DEBUG";
    }

    static String quote(String s) {
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
