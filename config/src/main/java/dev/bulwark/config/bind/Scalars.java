package dev.bulwark.config.bind;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/** Calls the {@code static parse(String)} of a {@link Scalar} type. */
public final class Scalars {
    private Scalars() {
    }

    private static final ClassValue<MethodHandle> PARSERS = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                // Typed (String)Object once here, so that each call is an invokeExact without a conversion.
                return MethodHandles.publicLookup().findStatic(type, "parse", MethodType.methodType(type, String.class))
                        .asType(MethodType.methodType(Object.class, String.class));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                throw new IllegalStateException(type + " is @Scalar but has no public static parse(String)", e);
            }
        }
    };

    /** The {@link Scalar} annotation of each class, or null: looked up once, asked for every value bound or written. */
    private static final ClassValue<Optional<Scalar>> INFO = new ClassValue<>() {
        @Override
        protected Optional<Scalar> computeValue(Class<?> type) {
            return Optional.ofNullable(type.getAnnotation(Scalar.class));
        }
    };

    public static boolean isScalar(Class<?> type) {
        return INFO.get(type).isPresent();
    }

    public static Scalar info(Class<?> type) {
        return INFO.get(type).orElse(null);
    }

    /** Parses text into the type; throws {@link IllegalArgumentException} with the user-facing reason. */
    public static Object parse(Class<?> type, String text) {
        try {
            return (Object) PARSERS.get(type).invokeExact(text);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + info(type).expected(), e);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
