package dev.mode.examples.tutorial;

import dev.mode.Service;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A WebSocket server (the Java-WebSocket library): a client that sends {@code hello NAME} is
 * recorded in the {@link UserCache} and greeted; anything else is echoed. The library runs its own
 * selector and worker threads; this service starts it, waits until it listens, and stops it.
 */
public class Websockets extends Service {
  private final String host;
  private final int port;
  private final UserCache users;
  private volatile Server server;

  public Websockets(String host, int port, UserCache users) {
    this.host = host;
    this.port = port;
    this.users = users;
  }

  @Override
  protected void onStart() throws Exception {
    Server s = new Server(new InetSocketAddress(host, port));
    s.setReuseAddr(true);
    s.start();
    server = s;
    s.listening.get(10, TimeUnit.SECONDS); // throws if it could not bind
  }

  @Override
  protected void onStop() throws InterruptedException {
    Server s = server;
    if (s != null) s.stop(1000, "server stopping");
  }

  /** The URL the server answers on (the real port when 0 was asked for). */
  public URI url() {
    return URI.create("ws://" + host + ":" + server.getPort() + "/");
  }

  private final class Server extends WebSocketServer {
    final CompletableFuture<Void> listening = new CompletableFuture<>();

    Server(InetSocketAddress address) {
      super(address);
    }

    @Override
    public void onStart() {
      listening.complete(null);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      conn.send("Welcome! Send: hello NAME");
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      if (message.startsWith("hello ")) {
        String name = message.substring(6).strip();
        users.seen(name);
        conn.send("Hello, " + name + "! Users online: " + users.users().size());
      } else {
        conn.send("echo: " + message);
      }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket conn, Exception e) {
      if (conn == null && !listening.isDone()) listening.completeExceptionally(e); // bind failed
      else log.warn("WebSocket error: {}", e.toString());
    }
  }
}
