package dev.mode.examples.tutorial;

import dev.mode.worker.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The tutorial's own command-line options. The Worker adds them to its command line (see {@code
 * Worker.Builder#options}), so {@code --help} lists them beside the Worker's, and fills them in
 * before any service starts.
 */
public final class TutorialOptions {
  @Option(names = "--web-host", paramLabel = "HOST", description = "Address of the HTTP and WebSocket servers. Default: ${DEFAULT-VALUE}.")
  String host = "127.0.0.1";

  @Option(names = "--web-port", paramLabel = "PORT", description = "HTTP port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int webPort = 8000;

  @Option(names = "--ws-port", paramLabel = "PORT", description = "WebSocket port (0: any free port). Default: ${DEFAULT-VALUE}.")
  int wsPort = 8001;

  @Option(
      names = "--user-ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Forget users not seen for this long. Default: 1m.")
  Duration userTtl = Duration.ofMinutes(1);

  @Option(
      names = "--graph-dir",
      paramLabel = "DIR",
      description = "Where the service graph is written at start (app.dot, and app.svg with Graphviz). Default: ${DEFAULT-VALUE}.")
  Path graphDir = Path.of("target", "graph");
}
