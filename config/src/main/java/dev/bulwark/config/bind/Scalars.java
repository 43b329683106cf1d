package dev.bulwark.config.bind;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Calls the {@code static parse(String)} of a {@link Scalar} type. */
public final class Scalars {
    private Scalars() {
    }

    private static final ClassValue<MethodHandle> PARSERS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findStatic(type, "parse", MethodType.methodType(type, String.class));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                throw new IllegalStateException(type + " is @Scalar but has no public static parse(String)", e);
            }
        }
    };

    public static boolean isScalar(Class<?> type) {
        return type.isAnnotationPresent(Scalar.class);
    }

    public static Scalar info(Class<?> type) {
        return type.getAnnotation(Scalar.class);
    }

    /** Parses text into the type; throws {@link IllegalArgumentException} with the user-facing reason. */
    public static Object parse(Class<?> type, String text) {
        try {
            return PARSERS.get(type).invoke(text);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + info(type).expected(), e);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
