package dev.bulwark.dataplane.testing;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The behaviour behind {@link KernelTest}: the check before each test, and no class set-up when it cannot pass. */
public final class KernelTestExtension implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor {

    @Override
    public void beforeEach(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        String name = context.getRequiredTestClass().getSimpleName() + "." + m.getName();
        // a parameterized invocation adds its own display name; a plain method's is its signature, which says nothing more
        if (!context.getDisplayName().startsWith(m.getName() + "(")) name += " (" + context.getDisplayName() + ")";
        KernelAssume.CURRENT_TEST.set(name);
        Set<KernelFeature> features = features(context.getRequiredTestClass());
        features.addAll(features(m));
        if (!features.isEmpty()) KernelAssume.assumeKernel(features.toArray(KernelFeature[]::new));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        KernelAssume.CURRENT_TEST.remove();
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runUnlessMissing(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runUnlessMissing(invocation, context);
    }

    /** Class set-up and tear-down run only when the class's features are there; its tests then skip one by one. */
    private static void runUnlessMissing(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        Set<KernelFeature> features = features(context.getRequiredTestClass());
        Optional<String> missing = features.isEmpty() ? Optional.empty() : KernelAssume.missing(features.toArray(KernelFeature[]::new));
        if (missing.isPresent()) {
            invocation.skip();
        } else {
            invocation.proceed();
        }
    }

    /** The features named by @KernelTest on the element (for a class: also on the classes enclosing it). */
    private static Set<KernelFeature> features(AnnotatedElement e) {
        Set<KernelFeature> out = EnumSet.noneOf(KernelFeature.class);
        AnnotationSupport.findAnnotation(e, KernelTest.class).ifPresent(k -> out.addAll(List.of(k.value())));
        if (e instanceof Class<?> c && c.getEnclosingClass() != null) out.addAll(features(c.getEnclosingClass()));
        return out;
    }
}
