package dev.bulwark.config.bind;

/**
 * A JSON pointer kept as its parent and one more step, spelled out (as {@link Pointers#child} would) only when a
 * problem needs it: binding a large config visits hundreds of thousands of values and reports a handful.
 */
final class Pointer {
    static final Pointer ROOT = new Pointer(null, null, 0);

    private final Pointer parent;
    /** The member's key (unescaped), or null for an array element. */
    private final String key;
    private final int index;

    private Pointer(Pointer parent, String key, int index) {
        this.parent = parent;
        this.key = key;
        this.index = index;
    }

    Pointer key(String key) {
        return new Pointer(this, key, -1);
    }

    Pointer index(int index) {
        return new Pointer(this, null, index);
    }

    @Override
    public String toString() {
        if (parent == null) return "";
        String p = parent.toString();
        return key != null ? Pointers.child(p, key) : Pointers.child(p, index);
    }
}
