package dev.bulwark.dataplane.nft.expr;

/** Logs the packet: with a prefix and syslog level to the kernel log, or to an nflog group (then level is null). */
public record Log(String prefix, Integer level, Integer group) implements Expr {
    @Override
    public String kind() {
        return "log";
    }
}
