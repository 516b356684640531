package org.quicproquo.server.store;

/**
 * Root of every exception the server store throws. Unchecked, because store calls are made from
 * lambdas (see {@link Store#atomically}); callers catch the specific subclasses they can handle:
 * {@link InvalidValueException}, {@link QuotaExceededException}, {@link NameTakenException},
 * {@link UnknownUserException}, {@link UnknownDeviceException}, {@link NotRecipientException},
 * {@link SchemaException} and
 * {@link StorageFailureException}.
 */
public abstract class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreException(String message) {
    super(message);
  }

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
