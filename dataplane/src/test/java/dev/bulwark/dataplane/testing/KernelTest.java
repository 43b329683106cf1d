package dev.bulwark.dataplane.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test (class or method) that needs the kernel: netlink, network namespaces, root. It carries the JUnit tag
 * {@code kernel}, so {@code mvn test -DexcludedGroups=kernel} runs everything else, as any user.
 *
 * <p>Before each test, {@link KernelAssume#assumeKernel} checks root (or CAP_NET_ADMIN) and the features named here, on
 * the class and on the method; when one is missing that test is reported skipped with the reason, and
 * {@code SKIPPED <test>: <reason>} is printed. Each test is skipped on its own, so a class never vanishes from the
 * counts. When the class's own features are missing, its {@code @BeforeAll} and {@code @AfterAll} methods (which set up
 * and tear down the kernel side) are not run either. Without features ({@code @KernelTest}) it only tags: for tests that
 * use netlink in the test's own namespace, which needs no privileges.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(KernelTest.TAG)
@ExtendWith(KernelTestExtension.class)
public @interface KernelTest {

    /** The JUnit tag of kernel tests. */
    String TAG = "kernel";

    /** What every test here needs besides root or CAP_NET_ADMIN; none: only the tag. */
    KernelFeature[] value() default {};
}
