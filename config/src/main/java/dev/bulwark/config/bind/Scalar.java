package dev.bulwark.config.bind;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a value type written in the config as one scalar (a string or a number) and parsed by its
 * {@code public static T parse(String)} method, which throws {@link IllegalArgumentException} with a message
 * for the user. {@code toString()} gives the canonical text. On a record type it means "also accepts this
 * scalar shorthand" besides the object form.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Scalar {
    /** What the user should write, for error messages and the schema: "an IPv4 or IPv6 address". */
    String expected();

    /** Example values for the schema's {@code examples}. */
    String[] examples() default {};

    /** Whether plain YAML/JSON numbers are accepted as well as strings (ports, counts). */
    boolean numbers() default false;

    /** Whether true/false are accepted (passed to parse as "true"/"false"). */
    boolean booleans() default false;

    /** On a record: the scalar is a shorthand, the object form is canonical (and what the writer emits). */
    boolean shorthand() default false;
}
