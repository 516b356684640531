package org.quicproquo.server.store;

/** The operation names a device that does not exist or has been revoked. */
public final class UnknownDeviceException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final DeviceId device;

  UnknownDeviceException(DeviceId device) {
    super("no active device " + device);
    this.device = device;
  }

  /** The unknown or revoked device. */
  public DeviceId device() {
    return device;
  }
}
