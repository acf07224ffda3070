package dev.mode.admin;

import dev.mode.Service;
import dev.mode.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures {@code GET /services} for a tree of 10,000 services: the median (and p90) time of a whole
 * request over loopback and of writing the JSON alone, after a warm-up. Not a unit test: run it as
 * docs/admin.md shows. Arguments: [services] [warm-up requests] [measured requests].
 */
public final class ServicesEndpointBench {
  /** A service with nothing to do. */
  static final class Leaf extends Service {
    private final String name;

    Leaf(String name) {
      this.name = name;
    }

    @Override
    public String label() {
      return name;
    }
  }

  /** A service with an hourly timer, so the JSON carries timer counters as a real tree would. */
  static final class TimedLeaf extends Service {
    private final String name;

    TimedLeaf(String name) {
      this.name = name;
    }

    @Override
    public String label() {
      return name;
    }

    @Timer("1h")
    void report() {}
  }

  public static void main(String[] args) throws Exception {
    int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int measured = args.length > 2 ? Integer.parseInt(args[2]) : 200;

    // root -> 100 groups -> leaves; every tenth leaf has a timer
    Leaf root = new Leaf("Root");
    int groups = 100;
    int made = 1;
    Service[] group = new Service[groups];
    for (int g = 0; g < groups && made < services; g++, made++) group[g] = root.addDependency(new Leaf("Group" + g));
    for (int i = 0; made < services; i++, made++) {
      Service parent = group[i % groups];
      parent.addDependency(i % 10 == 0 ? new TimedLeaf("Leaf" + i) : new Leaf("Leaf" + i));
    }
    long t0 = System.nanoTime();
    root.start();
    System.out.printf(Locale.ROOT, "started %d services in %d ms%n", made, (System.nanoTime() - t0) / 1_000_000);

    AdminService admin = new AdminService(root, new AdminOptions().port(0).jmx(false).jfr(false));
    admin.start();
    try {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest request = HttpRequest.newBuilder(admin.uri().resolve("/services")).build();
      int bytes = 0;
      for (int i = 0; i < warmup; i++) bytes = get(client, request);
      long[] http = new long[measured];
      for (int i = 0; i < measured; i++) {
        long s = System.nanoTime();
        get(client, request);
        http[i] = System.nanoTime() - s;
      }
      long[] json = new long[measured];
      for (int i = 0; i < warmup + measured; i++) {
        long s = System.nanoTime();
        AdminHttp.json(g -> ServiceJson.writeTree(g, root, true, x -> 0));
        if (i >= warmup) json[i - warmup] = System.nanoTime() - s;
      }
      System.out.printf(Locale.ROOT, "GET /services, %d services, %d bytes, %d requests after %d warm-up:%n",
          made, bytes, measured, warmup);
      System.out.printf(Locale.ROOT, "  whole request: median %.2f ms, p90 %.2f ms%n", pct(http, 50), pct(http, 90));
      System.out.printf(Locale.ROOT, "  JSON only:     median %.2f ms, p90 %.2f ms%n", pct(json, 50), pct(json, 90));
      URI metrics = admin.uri().resolve("/metrics");
      long[] scrape = new long[Math.max(5, measured / 20)];
      for (int i = 0; i < scrape.length + 2; i++) {
        long s = System.nanoTime();
        get(client, HttpRequest.newBuilder(metrics).build());
        if (i >= 2) scrape[i - 2] = System.nanoTime() - s;
      }
      System.out.printf(Locale.ROOT, "GET /metrics: median %.2f ms over %d scrapes%n", pct(scrape, 50), scrape.length);
    } finally {
      admin.stop();
      root.stop();
    }
  }

  private static int get(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) throw new IllegalStateException("GET answered " + r.statusCode());
    return r.body().length;
  }

  private static double pct(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
  }

  private ServicesEndpointBench() {}
}
