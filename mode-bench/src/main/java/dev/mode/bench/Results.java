package dev.mode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The numbers of one harness run, in the order they were measured, and their rendering as a table
 * (Markdown, readable in a terminal too) and as CSV. Thread-safe for adding from one thread at a
 * time only: workloads add from the harness thread.
 */
final class Results {
  /**
   * One measured number.
   *
   * @param workload W1, W2, ...
   * @param subject what was measured: {@code Mode}, {@code Guava (default executor)}, {@code STPE}...
   * @param n the size (services, or tasks)
   * @param metric what the number is, with its unit
   * @param value the number as shown (may hold two numbers, "median / best")
   * @param number the main number, for plots and CSV
   * @param target the target it is held against, or empty
   */
  record Row(String workload, String subject, long n, String metric, String value, double number, String target) {}

  private final List<Row> rows = new ArrayList<>();

  void add(String workload, String subject, long n, String metric, double number, String target) {
    rows.add(new Row(workload, subject, n, metric, format(number), number, target));
  }

  void add(String workload, String subject, long n, String metric, String value, double number, String target) {
    rows.add(new Row(workload, subject, n, metric, value, number, target));
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The row for this workload, subject, size and metric, if measured. */
  Optional<Row> find(String workload, String subject, long n, String metric) {
    return rows.stream()
        .filter(r -> r.workload.equals(workload) && r.subject.equals(subject) && r.n == n && r.metric.equals(metric))
        .findFirst();
  }

  /** A Markdown table with aligned columns. */
  String table() {
    String[] head = {"workload", "subject", "N", "metric", "value", "target"};
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows) {
      cells.add(new String[] {r.workload, r.subject, String.format(Locale.ROOT, "%,d", r.n), r.metric, r.value, r.target});
    }
    int[] width = new int[head.length];
    for (int i = 0; i < head.length; i++) width[i] = head[i].length();
    for (String[] c : cells) for (int i = 0; i < c.length; i++) width[i] = Math.max(width[i], c[i].length());
    StringBuilder sb = new StringBuilder();
    line(sb, head, width);
    String[] rule = new String[head.length];
    for (int i = 0; i < head.length; i++) rule[i] = "-".repeat(width[i]);
    line(sb, rule, width);
    for (String[] c : cells) line(sb, c, width);
    return sb.toString();
  }

  private static void line(StringBuilder sb, String[] cells, int[] width) {
    sb.append('|');
    for (int i = 0; i < cells.length; i++) {
      sb.append(' ').append(cells[i]).append(" ".repeat(width[i] - cells[i].length())).append(" |");
    }
    sb.append('\n');
  }

  String csv() {
    StringBuilder sb = new StringBuilder("workload,subject,n,metric,value,number,target\n");
    for (Row r : rows) {
      sb.append(String.join(",", quote(r.workload), quote(r.subject), Long.toString(r.n), quote(r.metric),
              quote(r.value), Double.toString(r.number), quote(r.target)))
          .append('\n');
    }
    return sb.toString();
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("table.md"), table());
    Files.writeString(dir.resolve("results.csv"), csv());
  }

  private static String quote(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  /** Three significant digits, at least; no exponent. */
  static String format(double v) {
    if (Double.isNaN(v)) return "n/a";
    double a = Math.abs(v);
    if (a >= 100 || v == Math.rint(v) && a < 1e15) return String.format(Locale.ROOT, "%,.0f", v);
    if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
    if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
