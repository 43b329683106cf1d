package dev.bulwark.config.types;

import dev.bulwark.config.bind.Scalar;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stored form of an API token: {@code sha256:<64 hex digits>} of the token's UTF-8 bytes. Tokens are long random
 * strings (see {@code bulwark token new}), so a fast hash is enough and each API request can check it cheaply; the
 * config never holds the token itself.
 */
@Scalar(expected = "a token hash 'sha256:' followed by 64 hex digits (make one with: bulwark token hash)",
        examples = {"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})
public record TokenHash(String hex) {

    public TokenHash {
        // ASCII lowercase only: the hash is compared as ASCII hex, so a digit of another script (Character.digit
        // accepts fullwidth ones) would validate and then never match, refusing every token
        if (hex == null || hex.length() != 64 || !Names.lowercaseHex(hex)) {
            throw new IllegalArgumentException("a sha256 hash has 64 lowercase hex digits (0-9, a-f)");
        }
    }

    public static TokenHash parse(String text) {
        String s = text.strip();
        if (!s.startsWith("sha256:")) {
            throw new IllegalArgumentException("tokens are stored hashed: write 'sha256:<hex>' (run 'bulwark token hash' to make it), never the token itself");
        }
        String hex = s.substring("sha256:".length());
        if (hex.length() != 64 || !Names.lowercaseHex(hex)) {
            throw new IllegalArgumentException("'" + (s.length() > 20 ? s.substring(0, 20) + "…" : s) + "' is not a sha256 hash: it needs exactly 64 "
                    + "lowercase ASCII hex digits (0-9, a-f) after 'sha256:', as 'bulwark token hash' prints them");
        }
        return new TokenHash(hex);
    }

    /** The hash of a token as the config stores it. */
    public static TokenHash of(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return new TokenHash(HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Constant-time check of a presented token against this hash. */
    public boolean matches(String token) {
        byte[] presented = HexFormat.of().parseHex(of(token).hex);
        return MessageDigest.isEqual(presented, HexFormat.of().parseHex(hex));
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
