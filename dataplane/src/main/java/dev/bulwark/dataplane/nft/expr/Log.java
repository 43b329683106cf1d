package dev.bulwark.dataplane.nft.expr;

/** Logs the packet: with a prefix and syslog level to the kernel log, or to an nflog group (then level is null). */
public record Log(String prefix, Integer level, Integer group) implements Expr {

    /** LOGLEVEL_WARNING: the level the kernel gives (and reports for) a kernel-log statement without one. */
    public static final int DEFAULT_LEVEL = 4;

    public Log {
        if (group == null && level == null) level = DEFAULT_LEVEL;
    }
    @Override
    public String kind() {
        return "log";
    }
}
