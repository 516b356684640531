package org.quicproquo.server.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Sizes and quotas the store enforces. Sizes are checked before the database is touched
 * ({@link InvalidValueException}); quotas inside the writing transaction
 * ({@link QuotaExceededException}). Per-identity request rates are not a storage concern: the
 * service limits them in memory.
 *
 * @param maxPayloadBytes largest queued ciphertext
 * @param maxRecipients most recipient devices in one enqueue
 * @param maxQueueLength most entries waiting in one device's queue
 * @param maxFetch most entries one fetch returns, and most ids one ack takes
 * @param maxKeyPackageBytes largest KeyPackage
 * @param maxKeyPackagesPerDevice most one-time KeyPackages stored per device (the last-resort one
 *     is not counted)
 * @param maxKeyPackagesPerUpload most KeyPackages in one upload
 * @param maxGroupInfoBytes largest GroupInfo
 * @param maxPublicKeyBytes largest identity or device signature public key
 * @param maxCertificateBytes largest identity-key certificate of a device
 * @param maxDevicesPerUser most active devices per user
 * @param dedupeWindow how long the id of an acknowledged message is remembered, so a late retry of
 *     its enqueue does not deliver it twice
 */
public record StoreLimits(
    int maxPayloadBytes,
    int maxRecipients,
    int maxQueueLength,
    int maxFetch,
    int maxKeyPackageBytes,
    int maxKeyPackagesPerDevice,
    int maxKeyPackagesPerUpload,
    int maxGroupInfoBytes,
    int maxPublicKeyBytes,
    int maxCertificateBytes,
    int maxDevicesPerUser,
    Duration dedupeWindow) {

  /** @throws IllegalArgumentException if a limit is not positive */
  public StoreLimits {
    for (int v : new int[] {maxPayloadBytes, maxRecipients, maxQueueLength, maxFetch,
        maxKeyPackageBytes, maxKeyPackagesPerDevice, maxKeyPackagesPerUpload, maxGroupInfoBytes,
        maxPublicKeyBytes, maxCertificateBytes, maxDevicesPerUser}) {
      if (v <= 0) {
        throw new IllegalArgumentException("store limits must be positive: " + v);
      }
    }
    Objects.requireNonNull(dedupeWindow, "dedupeWindow");
    if (dedupeWindow.isNegative()) {
      throw new IllegalArgumentException("dedupeWindow must not be negative");
    }
  }

  /**
   * Defaults for a small self-hosted server: 1 MiB messages, 1,000 recipients, 10,000 queued
   * entries and 100 KeyPackages per device, 4 MiB GroupInfo (a ratchet tree of a few thousand
   * members), 5 devices per user, acknowledged ids remembered for 7 days.
   */
  public static StoreLimits defaults() {
    return new StoreLimits(1 << 20, 1000, 10_000, 1000, 64 << 10, 100, 100, 4 << 20, 256, 4096, 5,
        Duration.ofDays(7));
  }
}
