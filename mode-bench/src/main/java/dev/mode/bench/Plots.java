package dev.mode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The harness's plots: one number against N, one series per subject, as PNG. */
final class Plots {
  private Plots() {}

  /** W1: start+stop time (median) against N, log-log; false (and no file) if W1 was not run. */
  static boolean w1(Results results, Path file) throws IOException {
    return write(
        results, file, "W1: start + stop of N services (median)", "start + stop (ms)", true, W1StartStop.ID,
        W1StartStop.TOTAL, List.of(W1StartStop.MODE, W1StartStop.GUAVA_VT, W1StartStop.GUAVA));
  }

  /** W2: steady timer runs / expected against N, log x; false (and no file) if W2 was not run. */
  static boolean w2(Results results, Path file) throws IOException {
    return write(
        results, file, "W2: 1 s timer runs / expected, steady window", "runs / expected", false, W2Memory.ID,
        W2Memory.STEADY, List.of(W2Memory.MODE, W2Memory.GUAVA, W2Memory.NETTY_100MS, W2Memory.NETTY_1MS));
  }

  private static boolean write(
      Results results, Path file, String title, String yTitle, boolean logY, String workload, String metric,
      List<String> subjects) throws IOException {
    XYChart chart =
        new XYChartBuilder().width(900).height(560).title(title).xAxisTitle("N (services)").yAxisTitle(yTitle).build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setLegendPosition(logY ? Styler.LegendPosition.InsideNW : Styler.LegendPosition.InsideSW);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setXAxisDecimalPattern("#,##0.##");
    chart.getStyler().setYAxisDecimalPattern(logY ? "#,##0.##" : "0.000");
    boolean any = false;
    for (String subject : subjects) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (Results.Row r : results.rows()) {
        if (r.workload().equals(workload) && r.subject().equals(subject) && r.metric().equals(metric)) {
          xs.add((double) r.n());
          ys.add(logY ? Math.max(r.number(), 1e-3) : r.number());
        }
      }
      if (xs.isEmpty()) continue;
      chart.addSeries(subject, xs, ys).setMarker(SeriesMarkers.CIRCLE);
      any = true;
    }
    if (!any) return false;
    Files.createDirectories(file.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    return true;
  }
}
