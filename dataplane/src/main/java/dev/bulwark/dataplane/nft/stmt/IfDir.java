package dev.bulwark.dataplane.nft.stmt;

import dev.bulwark.dataplane.nft.Nft;

/** Which interface a statement looks at: the one the packet came in on, or the one it leaves through. */
public enum IfDir {
    IIF(Nft.META_IIFNAME, "iifname"),
    OIF(Nft.META_OIFNAME, "oifname");

    private final int metaKey;
    private final String keyword;

    IfDir(int metaKey, String keyword) {
        this.metaKey = metaKey;
        this.keyword = keyword;
    }

    public int metaKey() {
        return metaKey;
    }

    public String keyword() {
        return keyword;
    }
}
