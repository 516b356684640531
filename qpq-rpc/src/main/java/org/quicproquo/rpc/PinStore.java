package org.quicproquo.rpc;

import java.util.Optional;

/**
 * Where trust-on-first-use pins live. The client module implements it on its own storage; this
 * module only asks and reports. Calls come from a Netty I/O thread during the TLS handshake, so
 * implementations must be thread-safe and quick.
 */
public interface PinStore {
  /** The fingerprint pinned for {@code server}, if any. */
  Optional<CertificateFingerprint> pinned(String server);

  /**
   * Reports a server seen for the first time; the store should remember its fingerprint. Called
   * before the connection is accepted; throwing refuses the connection.
   */
  void firstUse(String server, CertificateFingerprint presented);
}
