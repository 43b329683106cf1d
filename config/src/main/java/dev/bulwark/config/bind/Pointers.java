package dev.bulwark.config.bind;

/** RFC 6901 JSON pointers. */
public final class Pointers {
    private Pointers() {
    }

    public static String child(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
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
