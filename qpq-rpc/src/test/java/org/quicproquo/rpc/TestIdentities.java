package org.quicproquo.rpc;

import java.security.SecureRandom;
import java.time.Clock;

/** Identities for tests; generated fresh (P-256 generation takes milliseconds). */
final class TestIdentities {
  private TestIdentities() {
  }

  static TlsIdentity fresh() {
    return TlsIdentity.generate("qpq-test", new SecureRandom(), Clock.systemUTC());
  }
}
