package dev.mode.test;

import dev.mode.time.ManualClock;
import java.io.PrintStream;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link ModeTest @ModeTest}; also usable as {@code
 * @ExtendWith(ModeExtension.class)} (then with {@code @ModeTest}'s defaults).
 *
 * <p>Before each test it makes a {@link ModeTestKit} (with a new {@link ManualClock} unless the test
 * asks for the system clock) and starts capturing the log; test methods and {@code @BeforeEach} /
 * {@code @AfterEach} methods receive the kit, the clock and the {@link CapturedLogs} as parameters.
 * After each test (after its {@code @AfterEach} methods, also when it failed) it does the kit's
 * end-of-test work ({@link ModeTestKit#close()}), prints the captured log to standard error if the
 * test failed or left something behind, and fails the test naming what was left behind.
 */
public final class ModeExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ModeExtension.class);
  private static final String KIT = "kit";

  /** Made by JUnit. */
  public ModeExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    kit(context);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    ModeTestKit kit = context.getStore(NAMESPACE).remove(KIT, ModeTestKit.class);
    if (kit == null) return;
    List<String> problems = kit.finish();
    Optional<Throwable> failure = context.getExecutionException();
    if (failure.isPresent() || !problems.isEmpty()) {
      PrintStream err = System.err;
      err.println("---- Mode log of " + context.getDisplayName() + " (" + context.getRequiredTestClass().getSimpleName() + ") ----");
      err.print(kit.logs().dump());
      err.println("---- end of the Mode log ----");
    }
    if (!problems.isEmpty()) throw new AssertionError(String.join("\n", problems));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return parameter.getDeclaringExecutable() instanceof Method
        && (type == ModeTestKit.class || type == ManualClock.class || type == CapturedLogs.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "Mode's test kit is made per test: take a " + type.getSimpleName() + " parameter in a @Test, @BeforeEach or @AfterEach method, not in "
              + parameter.getDeclaringExecutable().getName());
    }
    ModeTestKit kit = kit(context);
    if (type == ModeTestKit.class) return kit;
    if (type == CapturedLogs.class) return kit.logs();
    if (kit.usesSystemClock()) {
      throw new ParameterResolutionException(
          "This test runs on the system clock (@ModeTest(systemClock = true)), so there is no ManualClock to give to "
              + parameter.getDeclaringExecutable().getName());
    }
    return kit.clock();
  }

  private static ModeTestKit kit(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(KIT, key -> newKit(settings(context)), ModeTestKit.class);
  }

  private static ModeTestKit newKit(ModeTest s) {
    return s == null
        ? ModeTestKit.manualClock()
        : new ModeTestKit(s.systemClock(), s.failOnUnobservedCrash(), s.quietLogs(), s.logLevel());
  }

  // the nearest @ModeTest: on the method, else on the class or an enclosing class (for @Nested)
  private static ModeTest settings(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<AnnotatedElement> element = c.get().getElement();
      if (element.isEmpty()) continue;
      ModeTest found = find(element.get());
      if (found != null) return found;
    }
    return null;
  }

  private static ModeTest find(AnnotatedElement element) {
    ModeTest direct = element.getAnnotation(ModeTest.class);
    if (direct != null) return direct;
    for (var a : element.getAnnotations()) {
      ModeTest meta = a.annotationType().getAnnotation(ModeTest.class);
      if (meta != null) return meta;
    }
    return null;
  }
}
