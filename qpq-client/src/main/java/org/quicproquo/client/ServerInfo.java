package org.quicproquo.client;

import java.util.List;

/**
 * What a server reported in {@code serverInfo}: its version, the MLS cipher suites it accepts and
 * the limits it enforces per connection.
 */
public record ServerInfo(
    String version,
    List<Integer> cipherSuites,
    long maxMessageBytes,
    long maxTraversalWords,
    int maxNestingDepth,
    long maxCallsInFlight,
    long idleTimeoutMillis,
    byte[] ktPublicKey) {
  public ServerInfo {
    cipherSuites = List.copyOf(cipherSuites);
    ktPublicKey = ktPublicKey.clone();
  }

  /** The key-transparency log key (32 bytes; empty from a server without a log), copied. */
  @Override
  public byte[] ktPublicKey() {
    return ktPublicKey.clone();
  }
}
