package org.quicproquo.server.store;

/**
 * The storage engine failed (I/O error, database locked for too long, corrupt file). The
 * operation's transaction was rolled back; the cause is the engine's exception.
 */
public final class StorageFailureException extends StoreException {
  private static final long serialVersionUID = 1L;

  StorageFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
