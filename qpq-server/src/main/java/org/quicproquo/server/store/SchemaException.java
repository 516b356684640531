package org.quicproquo.server.store;

/**
 * The database schema cannot be used by this code: it is newer than the code, an applied
 * migration was changed afterwards, or a migration failed (and was rolled back). Thrown only
 * while opening a store.
 */
public final class SchemaException extends StoreException {
  private static final long serialVersionUID = 1L;

  SchemaException(String message) {
    super(message);
  }

  SchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
