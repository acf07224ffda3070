package dev.mode.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mode.release.Reactor.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A logback.xml (or logback-test.xml) inside a jar configures Logback for every program that has the
 * jar on its class path, and the Worker then leaves logging alone: the user's --loglevel and log
 * format silently stop working. Logging setup belongs to the application, never to a library jar.
 */
class NoJarShipsALoggingSetupTest {
  private static final List<String> LOGGING_SETUP = List.of("logback.xml", "logback-test.xml");

  @Test
  void noStagedJarAndNoJarTheModulesBuiltContainsALogbackConfiguration() throws IOException {
    Reactor reactor = Reactor.current();
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(reactor.staging)) {
      walk.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
    }
    // unpublished modules (the bench, the examples) too: their jars end up on class paths as well
    for (Module module : reactor.modules()) {
      module.builtJar().ifPresent(jars::add);
    }
    assertThat(jars).as("jars to check (run through ./build.sh test)").isNotEmpty();

    List<String> offending = new ArrayList<>();
    for (Path jar : jars) {
      try (JarFile jf = new JarFile(jar.toFile())) {
        jf.stream()
            .map(e -> e.getName())
            .filter(name -> LOGGING_SETUP.contains(name.substring(name.lastIndexOf('/') + 1)))
            .forEach(name -> offending.add(jar + "!/" + name));
      }
    }
    assertThat(offending)
        .as("logging setup inside jars: move it out of src/main/resources (the bench keeps its own in"
            + " mode-bench/config, put on the class path by build.sh)")
        .isEmpty();
  }
}
