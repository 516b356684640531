package org.quicproquo.rpc;

/**
 * The peer broke the RPC protocol (a duplicate question id, a Finish or Release of something it
 * never had...). The receiver answers with {@code Abort} and closes the stream.
 */
final class RpcProtocolException extends RpcException {
  private static final long serialVersionUID = 1L;

  RpcProtocolException(String detail) {
    super(ExceptionType.FAILED, RpcErrors.PROTOCOL_ERROR, detail);
  }
}
