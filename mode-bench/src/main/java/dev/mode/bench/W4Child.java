package dev.mode.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The child JVM of W4's cold measurement: {@code W4Child C}. With no warm-up at all, starts a fresh
 * supervisor, crashes its service C times (the first as soon as {@code start()} returned) and prints
 * {@code RESULT micros=a,b,...}, each crash-to-RUNNING time in microseconds, in order.
 */
public final class W4Child {
  private W4Child() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    long[] micros = W4RestartLatency.quietly(() -> W4RestartLatency.crashes(count));
    System.out.println(
        ChildJvm.RESULT + " micros=" + Arrays.stream(micros).mapToObj(Long::toString).collect(Collectors.joining(",")));
  }
}
