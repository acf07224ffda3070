package dev.mode.examples.tutorial;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mode.Service;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server (the JDK's {@code com.sun.net.httpserver}), one virtual thread per request.
 *
 * <ul>
 *   <li>{@code GET /} greets, and {@code GET /?user=ann} records ann in the {@link UserCache};
 *   <li>{@code GET /users} lists the users seen lately.
 * </ul>
 */
public class Webserver extends Service {
  private final String host;
  private final int port;
  private final UserCache users;
  private volatile HttpServer server;

  public Webserver(String host, int port, UserCache users) {
    this.host = host;
    this.port = port;
    this.users = users;
  }

  @Override
  protected void onStart() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 0);
    ExecutorService requests = addCloseable(Executors.newVirtualThreadPerTaskExecutor());
    s.setExecutor(requests);
    s.createContext("/users", this::listUsers);
    s.createContext("/", this::hello);
    s.start();
    // closeables close LIFO: the server stops before the executor is closed
    addCloseable(() -> s.stop(0));
    server = s;
  }

  /** The URL the server answers on (the real port when 0 was asked for). */
  public URI url() {
    return URI.create("http://" + host + ":" + server.getAddress().getPort() + "/");
  }

  private void hello(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getQuery();
    String user = query != null && query.startsWith("user=") ? query.substring(5) : null;
    if (user != null && !user.isBlank()) users.seen(user);
    reply(ex, "Hello from Mode for Java" + (user == null ? "" : ", " + user) + "!\n");
  }

  private void listUsers(HttpExchange ex) throws IOException {
    reply(ex, String.join("\n", users.users()) + "\n");
  }

  private static void reply(HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
