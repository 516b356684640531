package org.quicproquo.server.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Lets tests outside this package use {@link MutableClock}. */
public final class MutableClockAccess {
  private MutableClockAccess() {
  }

  public static Clock at(Instant start) {
    return new MutableClock(start);
  }

  public static void advance(Clock clock, Duration d) {
    ((MutableClock) clock).advance(d);
  }
}
