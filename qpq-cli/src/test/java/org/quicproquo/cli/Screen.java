package org.quicproquo.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Lines written by a session, from any thread. */
final class Screen {
  private final List<String> lines = new ArrayList<>();

  synchronized void line(String text) {
    lines.add(text);
    notifyAll();
  }

  synchronized int size() {
    return lines.size();
  }

  synchronized List<String> all() {
    return List.copyOf(lines);
  }

  synchronized List<String> since(int from) {
    return List.copyOf(lines.subList(from, lines.size()));
  }

  /** Waits up to 15 s for a line matching {@code p}. */
  synchronized void await(Predicate<String> p) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (lines.stream().noneMatch(p)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching line within 15 s; screen:\n"
            + String.join("\n", lines));
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
