package dev.mode.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Measurement only (not committed): prints what the admin does with issue 13's hostile inputs. */
class Issue13Measure extends RunningAdmin {
  int quick(String request) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(admin.address().getAddress(), admin.port()), 5000);
      s.setSoTimeout(1000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.shutdownOutput();
      byte[] b = s.getInputStream().readNBytes(12);
      String line = new String(b, StandardCharsets.ISO_8859_1);
      return line.startsWith("HTTP/1.") ? Integer.parseInt(line.substring(9, 12)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  @Test
  void measure() throws Exception {
    StringBuilder r = new StringBuilder("\n==== ISSUE13 MEASURE\n");
    for (String host : List.of("127.0.0.1:1.evil.example", "localhost:evil.example", "[::1]evil.example")) {
      r.append("Host ").append(host).append(" -> ").append(http.raw("GET /services HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")).append('\n');
    }
    r.append("two Host headers -> ").append(http.raw("GET /services HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n")).append('\n');
    r.append("absolute target evil -> ").append(http.raw("GET http://evil.example/services HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).append('\n');
    String head = "POST /services/App/Cache/restart HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n";
    r.append("cut-short body -> ").append(quick(head + "Content-Length: 100\r\n\r\nonly twenty bytes...")).append('\n');
    r.append("bad chunk size -> ").append(quick(head + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n")).append('\n');
    r.append("chunk 80000000 -> ").append(quick(head + "Transfer-Encoding: chunked\r\n\r\n80000000\r\nhello\r\n0\r\n\r\n")).append('\n');
    long c0 = HeapHistogram.count(HeapHistogram.CONNECTION), e0 = HeapHistogram.count(HeapHistogram.EXCHANGE);
    int[] statuses = new int[600];
    for (int i = 0; i < 200; i++) statuses[quick(head + "Content-Length: 100\r\n\r\ncut short") + 1]++;
    Thread.sleep(3000);
    long c1 = HeapHistogram.count(HeapHistogram.CONNECTION), e1 = HeapHistogram.count(HeapHistogram.EXCHANGE);
    r.append("200 cut-short bodies: statuses 400=").append(statuses[401]).append(" none=").append(statuses[0])
        .append("; HttpConnection ").append(c0).append(" -> ").append(c1).append(", ExchangeImpl ").append(e0).append(" -> ").append(e1).append('\n');
    r.append("20 KiB header -> ").append(http.raw("GET /services HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000) + "\r\nConnection: close\r\n\r\n")).append('\n');
    r.append("400 KiB header -> ").append(http.raw("GET /services HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(400_000) + "\r\nConnection: close\r\n\r\n")).append('\n');
    List<Integer> t = new ArrayList<>();
    for (int i = 0; i < 8; i++) t.add(http.get("/threads").statusCode());
    r.append("8 rapid /threads -> ").append(t).append('\n');
    r.append("/services/Cache (no root prefix) -> ").append(http.get("/services/Cache").statusCode()).append('\n');
    List<Socket> socks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(admin.address().getAddress(), admin.port()));
      s.getOutputStream().write("GET /services HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
      socks.add(s);
    }
    long t0 = System.nanoTime();
    int closed = 0;
    for (Socket s : socks) {
      s.setSoTimeout(Math.max(1, 15_000 - (int) ((System.nanoTime() - t0) / 1_000_000)));
      try { if (s.getInputStream().read() < 0) closed++; } catch (java.net.SocketTimeoutException e) { } catch (IOException e) { closed++; }
      s.close();
    }
    r.append("50 half-sent requests: closed by the server within 15 s: ").append(closed).append('\n');
    System.out.println(r);
  }
}
