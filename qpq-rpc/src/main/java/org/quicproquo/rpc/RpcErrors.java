package org.quicproquo.rpc;

/**
 * The error codes this module itself puts into {@link RpcException#code()}. Application codes live
 * with the application; they share the same encoding (see {@code docs/wire.md}). These values are
 * part of the wire contract: never change or reuse one.
 */
public final class RpcErrors {
  /** The call's interface id is not implemented by the target capability. */
  public static final String UNKNOWN_INTERFACE = "UNKNOWN_INTERFACE";
  /** The interface is known but the method id is not. */
  public static final String UNKNOWN_METHOD = "UNKNOWN_METHOD";
  /** An RPC feature beyond level 0 was requested (third-party, tail calls, pipelining chains...). */
  public static final String UNSUPPORTED = "UNSUPPORTED";
  /** The call named a capability the receiver never exported (or already released). */
  public static final String UNKNOWN_CAPABILITY = "UNKNOWN_CAPABILITY";
  /** Too many calls are in flight on this connection. */
  public static final String TOO_MANY_CALLS = "TOO_MANY_CALLS";
  /** A pushed event was dropped because the client is not reading its push stream. */
  public static final String PUSH_DROPPED = "PUSH_DROPPED";
  /** The peer's limit on open streams is reached. */
  public static final String TOO_MANY_STREAMS = "TOO_MANY_STREAMS";
  /** Partial messages across the streams of one connection exceed the buffering limit. */
  public static final String TOO_MUCH_BUFFERED = "TOO_MUCH_BUFFERED";
  /** A message is larger than the limit, or has too many segments. */
  public static final String MESSAGE_TOO_LARGE = "MESSAGE_TOO_LARGE";
  /** A frame or message could not be decoded (bad segment table, bad pointers, limits hit). */
  public static final String MALFORMED_MESSAGE = "MALFORMED_MESSAGE";
  /** The peer broke the RPC protocol (duplicate question id, finish of an unknown question...). */
  public static final String PROTOCOL_ERROR = "PROTOCOL_ERROR";
  /** The peer aborted the RPC connection; the detail carries its reason. */
  public static final String ABORTED = "ABORTED";
  /** The stream or QUIC connection closed before the answer arrived. */
  public static final String CONNECTION_LOST = "CONNECTION_LOST";
  /** The QUIC/TLS connection could not be established. */
  public static final String CONNECT_FAILED = "CONNECT_FAILED";
  /** The server certificate does not match the pinned fingerprint. */
  public static final String CERTIFICATE_MISMATCH = "CERTIFICATE_MISMATCH";
  /** A certificate or key could not be read, generated or matched. */
  public static final String INVALID_IDENTITY = "INVALID_IDENTITY";
  /** The server failed in a way it does not disclose. */
  public static final String INTERNAL = "INTERNAL";
  /** The call was canceled before it completed. */
  public static final String CANCELED = "CANCELED";
  /** The peer sent an error reason without a code prefix. */
  public static final String UNSPECIFIED = "UNSPECIFIED";

  private RpcErrors() {
  }
}
