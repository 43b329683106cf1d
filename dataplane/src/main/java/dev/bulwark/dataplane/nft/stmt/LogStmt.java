package dev.bulwark.dataplane.nft.stmt;

/**
 * {@code log prefix "ssh: " level info} to the kernel log, or {@code log group 2} to an nflog group; nft refuses a
 * level with a group. A log without a level logs at warn (the kernel then reports level 4), so Bulwark writes the
 * level out to keep what it sends and what it reads back equal.
 *
 * @param level syslog level 0-7, or null
 * @param group nflog group, or null
 */
public record LogStmt(String prefix, Integer level, Integer group) implements Stmt {

    public LogStmt {
        if (level != null && group != null) throw new IllegalArgumentException("log level and group are mutually exclusive");
        if (level != null) Symbols.logLevel(level);
        if (group != null && (group < 0 || group > 0xFFFF)) throw new IllegalArgumentException("log group " + group);
        if (prefix != null) InetText.quoted(prefix);
    }

    @Override
    public String render() {
        StringBuilder sb = new StringBuilder("log");
        if (prefix != null) sb.append(" prefix ").append(InetText.quoted(prefix));
        if (level != null) sb.append(" level ").append(Symbols.logLevel(level));
        if (group != null) sb.append(" group ").append(group);
        return sb.toString();
    }
}
