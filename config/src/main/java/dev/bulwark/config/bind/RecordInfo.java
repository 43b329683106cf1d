package dev.bulwark.config.bind;

import dev.bulwark.config.types.Names;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the binder, writer, schema generator and diff need to know about a config record: its keys in order, their
 * types, which are required, their defaults and docs. Read once per class by reflection.
 */
public final class RecordInfo {

    /** One key of a config object. */
    public record Field(String key, String component, Type type, Class<?> raw, boolean required,
                        String defaultText, String doc, Method accessor) {

        public Object get(Object record) {
            try {
                return accessor.invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
    }

    private static final ClassValue<RecordInfo> CACHE = new ClassValue<>() {
        @Override
        protected RecordInfo computeValue(Class<?> type) {
            return new RecordInfo(type);
        }
    };

    private final Class<?> type;
    private final List<Field> fields;
    private final Map<String, Field> byKey;
    private final Constructor<?> constructor;
    /** The bound {@link Default} of each key, by index, once asked for. */
    private final AtomicReferenceArray<Object> defaults;

    private RecordInfo(Class<?> type) {
        if (!type.isRecord()) throw new IllegalArgumentException(type + " is not a record");
        this.type = type;
        RecordComponent[] rc = type.getRecordComponents();
        List<Field> fs = new ArrayList<>();
        Class<?>[] params = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            RecordComponent c = rc[i];
            params[i] = c.getType();
            Key k = c.getAnnotation(Key.class);
            Default d = c.getAnnotation(Default.class);
            Doc doc = c.getAnnotation(Doc.class);
            boolean required = c.isAnnotationPresent(Required.class);
            if (c.getType().isPrimitive() && !required && d == null) {
                throw new IllegalStateException(type.getSimpleName() + "." + c.getName() + " is primitive: it needs @Required or @Default");
            }
            Method accessor = c.getAccessor();
            accessor.setAccessible(true); // no access check on each call: the writer reads every key of every record
            fs.add(new Field(k != null ? k.value() : Names.kebab(c.getName()), c.getName(), c.getGenericType(), c.getType(),
                    required, d == null ? null : d.value(), doc == null ? null : doc.value(), accessor));
        }
        this.fields = Collections.unmodifiableList(fs);
        Map<String, Field> m = new LinkedHashMap<>();
        for (Field f : fs) m.put(f.key(), f);
        this.byKey = Collections.unmodifiableMap(m);
        this.defaults = new AtomicReferenceArray<>(fs.size());
        try {
            this.constructor = type.getDeclaredConstructor(params);
            this.constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RecordInfo of(Class<?> type) {
        return CACHE.get(type);
    }

    public Class<?> type() {
        return type;
    }

    public List<Field> fields() {
        return fields;
    }

    public Field field(String key) {
        return byKey.get(key);
    }

    public java.util.Set<String> keys() {
        return byKey.keySet();
    }

    /** The default of key {@code i} if {@link #cacheDefault} kept one, else null. */
    Object cachedDefault(int i) {
        return defaults.get(i);
    }

    /** Keeps the default of key {@code i} unless one is kept already; returns the one kept. */
    Object cacheDefault(int i, Object value) {
        return defaults.compareAndExchange(i, null, value) instanceof Object prev ? prev : value;
    }

    /** Calls the canonical constructor; an {@link IllegalArgumentException} from it is passed on as is. */
    public Object construct(Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
