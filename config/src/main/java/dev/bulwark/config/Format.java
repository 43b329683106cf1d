package dev.bulwark.config;

import java.nio.file.Path;
import java.util.Locale;

/** The two config syntaxes; both map to the same model. */
public enum Format {
    YAML, JSON;

    /** By file name: {@code .json} is JSON, anything else YAML (JSON documents are read as JSON when they start with '{'). */
    public static Format of(Path file, byte[] content) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) return JSON;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) return YAML;
        return sniff(content);
    }

    /** JSON when the first non-blank byte is '{', otherwise YAML. */
    public static Format sniff(byte[] content) {
        for (byte b : content) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
            if ((b & 0xFF) == 0xEF) continue; // UTF-8 BOM
            return b == '{' ? JSON : YAML;
        }
        return YAML;
    }
}
