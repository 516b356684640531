package org.quicproquo.rpc;

/**
 * The kind of a Cap'n Proto RPC exception, as {@code Exception.Type} in {@code rpc.capnp}:
 *
 * <pre>
 * enum Type { failed @0; overloaded @1; disconnected @2; unimplemented @3; }
 * </pre>
 *
 * The kind tells a caller whether retrying can help; the error code inside the reason (see
 * {@link RpcException#code()}) tells it what went wrong.
 */
public enum ExceptionType {
  /** Something went wrong; retrying the same call will probably fail again. */
  FAILED(0),
  /** A resource limit was hit; retrying later, with back-off, may succeed. */
  OVERLOADED(1),
  /** The connection or stream broke; the call may or may not have run. */
  DISCONNECTED(2),
  /** The receiver does not implement the requested interface, method or message kind. */
  UNIMPLEMENTED(3);

  private final int code;

  ExceptionType(int code) {
    this.code = code;
  }

  /** The enumerant ordinal on the wire. */
  public int code() {
    return code;
  }

  /**
   * Looks up an exception type by its wire code.
   *
   * @throws IllegalArgumentException if {@code code} is not one of the four defined codes
   */
  public static ExceptionType fromCode(int code) {
    for (ExceptionType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown Exception.Type code " + code);
  }
}
