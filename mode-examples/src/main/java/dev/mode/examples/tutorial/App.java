package dev.mode.examples.tutorial;

import dev.mode.Service;
import dev.mode.graph.DependencyGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tutorial's application, as in Python Mode's README: a web server, a WebSocket server and a
 * user cache, started in that order of dependencies and stopped in reverse. At start it writes the
 * service graph as DOT, and as SVG when Graphviz's {@code dot} is on the PATH.
 */
public class App extends Service {
  private final TutorialOptions options;
  private UserCache userCache;
  private Websockets websockets;
  private Webserver webserver;

  public App(TutorialOptions options) {
    this.options = options;
  }

  // Built at the first start, when the Worker has filled in the options from the command line.
  @Override
  protected Iterable<? extends Service> onInitDependencies() {
    userCache = new UserCache(options.userTtl);
    websockets = new Websockets(options.host, options.wsPort, userCache);
    webserver = new Webserver(options.host, options.webPort, userCache);
    return List.of(userCache, websockets, webserver);
  }

  @Override
  protected void onStarted() {
    log.info("Web server at {} (try {}?user=ann and {}users)", webserver.url(), webserver.url(), webserver.url());
    log.info("WebSocket server at {} (send: hello NAME)", websockets.url());
    writeGraph();
  }

  public Webserver webserver() {
    return webserver;
  }

  public Websockets websockets() {
    return websockets;
  }

  public UserCache userCache() {
    return userCache;
  }

  // the whole tree, from the root (the Worker when run under one)
  private void writeGraph() {
    Service root = beacon().root().service();
    Path dir = options.graphDir;
    Path dot = dir.resolve("app.dot");
    try {
      Files.createDirectories(dir);
      Files.writeString(dot, DependencyGraph.of(root).toDot());
    } catch (IOException e) {
      log.warn("Could not write the service graph to {}: {}", dot, e.toString());
      return;
    }
    Path svg = dir.resolve("app.svg");
    try {
      Process p = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString(), dot.toString())
          .redirectErrorStream(true)
          .start();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        log.info("Wrote the service graph to {} and {}", dot, svg);
      } else {
        p.destroyForcibly();
        log.info("Wrote the service graph to {} (Graphviz dot failed: {})", dot, new String(p.getInputStream().readAllBytes()).strip());
      }
    } catch (IOException e) {
      log.info("Wrote the service graph to {} (install Graphviz for an SVG: apt-get install graphviz)", dot);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
