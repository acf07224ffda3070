package dev.mode.examples.tutorial;

import dev.mode.worker.Worker;

/**
 * Runs the tutorial's {@link App} under the {@link Worker}: {@code ./build.sh run} (add Worker or
 * tutorial options, e.g. {@code ./build.sh run --web-port 8080 --console-port 5050}; {@code --help}
 * lists them). Stop it with Ctrl-C.
 */
public final class TutorialMain {
  private TutorialMain() {}

  public static void main(String[] args) {
    TutorialOptions options = new TutorialOptions();
    Worker.builder(new App(options)).name("tutorial").options(options).build().executeFromCommandLine(args);
  }
}
