package dev.mode.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class (or one test method) with the {@link ModeExtension}: each test gets a
 * {@link ModeTestKit}, a {@link dev.mode.time.ManualClock} and {@link CapturedLogs} as parameters;
 * after each test, every service it started through the kit is stopped in reverse order, even when the
 * test failed, and the test fails if a thread of those services is still alive or if a service crashed
 * and the test never looked at the crash.
 *
 * <pre>{@code
 * @ModeTest
 * class CacheTest {
 *   @Test
 *   void refreshesEveryMinute(ModeTestKit kit, ManualClock clock) {
 *     Cache cache = kit.start(new Cache());
 *     clock.advance(Duration.ofMinutes(1));
 *     assertThat(cache.refreshes()).isEqualTo(1);
 *   }
 * }
 * }</pre>
 *
 * <p>On a method, the attributes apply to that test only and win over the class's.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ModeExtension.class)
public @interface ModeTest {
  /**
   * True to leave services on the system clock: the kit then does not set a clock and a {@code
   * ManualClock} parameter is refused.
   */
  boolean systemClock() default false;

  /**
   * False to let a test pass although a service crashed and the test never looked at the crash (see
   * {@link ModeTestKit#crashes()}).
   */
  boolean failOnUnobservedCrash() default true;

  /**
   * True (the default) to keep the console quiet: Logback's appenders are detached for the test and
   * every line goes to {@link CapturedLogs} only; the captured lines are printed when the test fails.
   * False leaves the logging configuration as it is and captures as well.
   */
  boolean quietLogs() default true;

  /** The lowest level captured (and, when quiet, the root level during the test): TRACE to ERROR. */
  String logLevel() default "INFO";
}
