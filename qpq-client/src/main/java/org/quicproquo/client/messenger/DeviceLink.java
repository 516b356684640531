package org.quicproquo.client.messenger;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * A link in progress on the existing device: the code to type on the new device, when it expires,
 * and a future that completes with the new device's id once it was certified, registered and added
 * to every conversation (or fails with a {@link DeviceLinkException}).
 */
public final class DeviceLink {
  private final LinkCode code;
  private final Instant expiresAt;
  private final CompletableFuture<Long> joined;

  DeviceLink(LinkCode code, Instant expiresAt, CompletableFuture<Long> joined) {
    this.code = code;
    this.expiresAt = expiresAt;
    this.joined = joined;
  }

  /** The one-time code; show it only to the person linking. */
  public LinkCode code() {
    return code;
  }

  /** When the code stops working. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Completes with the new device's id when it has joined every conversation. */
  public CompletableFuture<Long> joined() {
    return joined;
  }

  /** Stops waiting for the new device (the code expires on its own on the server). */
  public void cancel() {
    joined.cancel(false);
  }
}
