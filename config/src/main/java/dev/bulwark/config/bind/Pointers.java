package dev.bulwark.config.bind;

/** RFC 6901 JSON pointers. */
public final class Pointers {
    private Pointers() {
    }

    public static String child(String parent, String key) {
        return parent + "/" + escape(key);
    }

    /** A key as one pointer step: {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    public static String child(String parent, int index) {
        return parent + "/" + index;
    }

    /** The parent pointer, or null for the root. */
    public static String parent(String pointer) {
        if (pointer.isEmpty()) return null;
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }
}
