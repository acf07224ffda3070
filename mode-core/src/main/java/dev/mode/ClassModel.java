package dev.mode;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Mode knows about a service class, computed once per class: its annotated jobs in declaration
 * order (superclass first, then by method name) and its logger. A bad annotation throws
 * {@link IllegalArgumentException} from the service's constructor, naming the method and the value.
 */
final class ClassModel {
  private static final ClassValue<ClassModel> CACHE =
      new ClassValue<>() {
        @Override
        protected ClassModel computeValue(Class<?> type) {
          return new ClassModel(type);
        }
      };

  /** The lifecycle callbacks a subclass may override; a bit each in {@link #overridden}. */
  static final List<String> CALLBACKS =
      List.of("onInitDependencies", "onFirstStart", "onStart", "onStarted", "onStop", "onShutdown", "onRestart");

  final List<JobSpec> jobs;
  final Logger logger;
  final String defaultLabel;
  private final int overridden; // bit i set: some class below Service declares CALLBACKS.get(i)

  private ClassModel(Class<?> type) {
    this.jobs = List.copyOf(scan(type));
    this.logger = LoggerFactory.getLogger(type);
    this.defaultLabel = labelOf(type);
    this.overridden = overriddenCallbacks(type);
  }

  /**
   * True if the class overrides the named callback. Calls to callbacks it does not override are
   * skipped: Service's own are no-ops, and skipping them saves allocation on large trees.
   */
  boolean overrides(String callback) {
    int i = CALLBACKS.indexOf(callback);
    return i < 0 || (overridden & (1 << i)) != 0;
  }

  private static int overriddenCallbacks(Class<?> type) {
    int bits = 0;
    for (Class<?> c = type; c != null && c != Service.class && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        int i = CALLBACKS.indexOf(m.getName());
        if (i >= 0 && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) bits |= 1 << i;
      }
    }
    return bits;
  }

  static ClassModel of(Class<?> type) {
    return CACHE.get(type);
  }

  private static List<JobSpec> scan(Class<?> type) {
    Deque<Class<?>> chain = new ArrayDeque<>();
    for (Class<?> c = type; c != null && c != Service.class && c != Object.class; c = c.getSuperclass()) {
      chain.push(c);
    }
    // name -> spec; a subclass overriding an annotated method keeps the superclass's position
    Map<String, JobSpec> byName = new LinkedHashMap<>();
    for (Class<?> c : chain) {
      Method[] methods = c.getDeclaredMethods();
      Arrays.sort(methods, Comparator.comparing(Method::getName));
      for (Method m : methods) {
        JobSpec spec = specOf(m);
        if (spec == null) continue;
        byName.put(m.getName(), spec); // replacing keeps the first position
      }
    }
    return new ArrayList<>(byName.values());
  }

  private static JobSpec specOf(Method m) {
    Task task = m.getAnnotation(Task.class);
    Timer timer = m.getAnnotation(Timer.class);
    Crontab cron = m.getAnnotation(Crontab.class);
    int count = (task != null ? 1 : 0) + (timer != null ? 1 : 0) + (cron != null ? 1 : 0);
    if (count == 0) return null;
    String where = m.getDeclaringClass().getName() + "." + m.getName() + "()";
    if (count > 1) {
      throw new IllegalArgumentException(where + ": use only one of @Task, @Timer and @Crontab on a method");
    }
    if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
      throw new IllegalArgumentException(
          where + ": @Task, @Timer and @Crontab go on instance methods with no parameters");
    }
    try {
      m.setAccessible(true);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          where + ": Mode cannot call this method (" + e.getMessage() + "); open its package to dev.mode", e);
    }
    try {
      if (task != null) return JobSpec.task(m.getName(), m);
      if (timer != null) {
        return JobSpec.timer(
            m.getName(), Durations.parse(timer.value()), timer.execFirst(), timer.continueOnError(), null, m);
      }
      return JobSpec.cron(
          m.getName(), cron.value(), JobSpec.parseZone(cron.zone()), cron.continueOnError(), null, m);
    } catch (IllegalArgumentException e) {
      String annotation =
          task != null ? "@Task" : timer != null ? "@Timer(\"" + timer.value() + "\")" : "@Crontab(value = \"" + cron.value() + "\", zone = \"" + cron.zone() + "\")";
      throw new IllegalArgumentException(where + " " + annotation + ": " + e.getMessage(), e);
    }
  }

  private static String labelOf(Class<?> type) {
    String simple = type.getSimpleName();
    if (!simple.isEmpty()) return simple;
    // anonymous: "Enclosing.Super", e.g. "AppTest.Service"
    Class<?> enclosing = type.getEnclosingClass();
    String sup = type.getSuperclass() == null ? "Service" : type.getSuperclass().getSimpleName();
    if (sup.isEmpty()) sup = "Service";
    return enclosing == null ? sup : labelOf(enclosing) + "." + sup;
  }
}
