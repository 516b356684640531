package org.quicproquo.client.store;

/** The client's local database failed or holds something it cannot read. */
public final class LocalStoreException extends RuntimeException {
  public LocalStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public LocalStoreException(String message) {
    super(message);
  }
}
