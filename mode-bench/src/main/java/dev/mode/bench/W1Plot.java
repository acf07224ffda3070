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

/** The W1 plot: start+stop time (median) against N, log-log, one series per subject. */
final class W1Plot {
  private W1Plot() {}

  /** Writes the plot as PNG to {@code file}; false (and no file) if W1 was not run. */
  static boolean write(Results results, Path file) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(560)
            .title("W1: start + stop of N services (median)")
            .xAxisTitle("N (services)")
            .yAxisTitle("start + stop (ms)")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setMarkerSize(8);
    chart.getStyler().setXAxisDecimalPattern("#,##0.##");
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    boolean any = false;
    for (String subject : List.of(W1StartStop.MODE, W1StartStop.GUAVA_VT, W1StartStop.GUAVA)) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (Results.Row r : results.rows()) {
        if (r.workload().equals(W1StartStop.ID) && r.subject().equals(subject) && r.metric().equals(W1StartStop.TOTAL)) {
          xs.add((double) r.n());
          ys.add(Math.max(r.number(), 1e-3));
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
