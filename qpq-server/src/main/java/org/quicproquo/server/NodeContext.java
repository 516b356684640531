package org.quicproquo.server;

import java.security.SecureRandom;
import java.time.Clock;
import org.quicproquo.server.kt.KeyTransparency;
import org.quicproquo.server.kt.KeyTransparencyLog;
import org.quicproquo.server.store.Store;
import org.quicproquo.server.store.StoreLimits;

/**
 * What every connection's {@link NodeService} shares: the store, the server's certificate
 * fingerprint (bound into logins), the rate limiter, the registry of logged-in devices and the
 * KeyPackage validator, the blob files with their limits, the device-link mailbox, and the
 * key-transparency log: {@code ktLog} takes the appends, {@code kt} serves the kt* RPCs (the
 * same log, or in tests a hostile view of it).
 */
record NodeContext(ServerInfo info, Store store, StoreLimits storeLimits, byte[] serverFingerprint,
    SecureRandom random, Clock clock, RateLimiter rateLimiter, LoggedInDevices loggedIn,
    KeyPackageValidator keyPackageValidator, BlobFiles blobFiles, BlobLimits blobLimits,
    LinkOffers links, KeyTransparencyLog ktLog, KeyTransparency kt) {
  NodeContext {
    serverFingerprint = serverFingerprint.clone();
  }

  @Override
  public byte[] serverFingerprint() {
    return serverFingerprint.clone();
  }
}
