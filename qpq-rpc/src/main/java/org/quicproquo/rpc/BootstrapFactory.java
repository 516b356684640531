package org.quicproquo.rpc;

/**
 * Creates the bootstrap capability of a new QUIC connection. Called once per connection, on the
 * I/O thread, when the client first asks for the bootstrap capability.
 */
@FunctionalInterface
public interface BootstrapFactory {
  /** The capability every stream of {@code connection} will call. */
  Capability create(ServerConnection connection);
}
