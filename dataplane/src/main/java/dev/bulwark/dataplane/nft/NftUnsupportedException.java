package dev.bulwark.dataplane.nft;

/**
 * Something in our table that the value types cannot express (an expression, object or attribute Bulwark never
 * writes, e.g. added by hand with nft). Reading fails with this instead of returning a state that would compare equal
 * to something else; the caller's remedy is a full apply, which replaces the table.
 */
public class NftUnsupportedException extends RuntimeException {
    public NftUnsupportedException(String message) {
        super(message);
    }
}
