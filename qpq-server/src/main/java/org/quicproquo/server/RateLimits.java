package org.quicproquo.server;

/**
 * Per-identity call rate: a token bucket of {@code burst} calls refilled at {@code perSecond}.
 * Identities are the logged-in user, or the client's IP address before login.
 */
public record RateLimits(double perSecond, int burst) {
  public RateLimits {
    if (!(perSecond > 0) || burst <= 0) {
      throw new IllegalArgumentException("rate limits must be positive");
    }
  }

  /** 200 calls per second with bursts of 1,000: generous for people, stops runaway clients. */
  public static RateLimits defaults() {
    return new RateLimits(200, 1000);
  }
}
