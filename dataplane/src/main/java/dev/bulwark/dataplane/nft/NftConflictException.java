package dev.bulwark.dataplane.nft;

import dev.bulwark.dataplane.netlink.NetlinkException;

/**
 * The kernel refused a batch because the ruleset changed after we read its generation id: another writer (nft,
 * Docker, an admin) committed in between. Nothing of the batch was applied (ERESTART). The remedy is to re-read
 * (or fully re-apply) and try again; applying on the stale assumption would be wrong.
 */
public class NftConflictException extends NetlinkException {
    private final int expectedGeneration;

    public NftConflictException(String operation, int errno, String kernelMessage, int expectedGeneration) {
        super(operation + ": the nftables ruleset changed after generation " + Integer.toUnsignedString(expectedGeneration)
                + " was read (another writer committed in between); nothing was applied", errno, kernelMessage);
        this.expectedGeneration = expectedGeneration;
    }

    public int expectedGeneration() {
        return expectedGeneration;
    }
}
