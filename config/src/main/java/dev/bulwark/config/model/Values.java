package dev.bulwark.config.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers that keep model collections immutable, ordered and never null. */
final class Values {
    private Values() {
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(l));
    }

    static <K, V> Map<K, V> map(Map<K, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
