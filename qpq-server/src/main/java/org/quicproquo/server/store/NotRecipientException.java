package org.quicproquo.server.store;

/**
 * An ack names a message that is queued for other devices and was never queued for the acking
 * device (nor acknowledged or expired there within the dedupe window). Nothing was deleted.
 */
public final class NotRecipientException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final MessageId message;

  NotRecipientException(DeviceId device, MessageId message) {
    super("message " + message + " is not queued for device " + device);
    this.message = message;
  }

  /** The first such message id of the call. */
  public MessageId message() {
    return message;
  }
}
