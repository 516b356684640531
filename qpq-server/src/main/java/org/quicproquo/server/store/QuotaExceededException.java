package org.quicproquo.server.store;

import java.util.Objects;

/**
 * The operation would exceed a per-device or per-user quota from {@link StoreLimits}. Checked inside
 * the writing transaction, so the check and the write are atomic; nothing was written.
 */
public final class QuotaExceededException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Which quota was hit. */
  public enum Quota {
    /** {@link StoreLimits#maxQueueLength()}: entries waiting in one device's queue. */
    QUEUE_LENGTH,
    /** {@link StoreLimits#maxKeyPackagesPerDevice()}: one-time KeyPackages stored for a device. */
    KEY_PACKAGES,
    /** {@link StoreLimits#maxDevicesPerUser()}: active devices of one user. */
    DEVICES,
    /** Total bytes of one user's blobs (finished or not). */
    BLOB_STORAGE
  }

  private final Quota quota;
  private final long limit;

  QuotaExceededException(Quota quota, long limit, String subject) {
    super(Objects.requireNonNull(quota) + " quota of " + limit + " reached for " + subject);
    this.quota = quota;
    this.limit = limit;
  }

  /** The quota that was hit. */
  public Quota quota() {
    return quota;
  }

  /** The configured limit of that quota. */
  public long limit() {
    return limit;
  }
}
