package dev.bulwark.dataplane.nft;

/** The counts of a named counter ({@code nft list counter inet bulwark NAME}): state, read apart from identity. */
public record CounterValue(long packets, long bytes) {
}
