package dev.bulwark.mgmt.daemon;

import java.io.PrintStream;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * The {@link System.LoggerFinder} of Bulwark processes (registered in {@code META-INF/services}): every
 * {@link System.Logger} writes {@link StructuredLog} lines (logfmt, one line per event) straight to standard error,
 * at or above {@link #level(System.Logger.Level)} (INFO by default). Independent of java.util.logging, whose
 * shutdown hook would otherwise drop what is logged while the daemon stops.
 */
public final class LogfmtLoggerFinder extends System.LoggerFinder {
    private static volatile System.Logger.Level threshold = System.Logger.Level.INFO;

    /** Sets the lowest level written. */
    public static void level(System.Logger.Level l) {
        threshold = l;
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new Logger(name);
    }

    private record Logger(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (!isLoggable(level)) return;
            write(level, msg, thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) return;
            write(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params), null);
        }

        private void write(Level level, String msg, Throwable thrown) {
            String l = switch (level) {
                case ERROR -> "ERROR";
                case WARNING -> "WARN";
                case INFO -> "INFO";
                default -> "DEBUG";
            };
            PrintStream err = System.err;
            err.print(StructuredLog.line(System.currentTimeMillis(), l, name, msg, thrown)); // one write per line
            err.flush();
        }
    }
}
