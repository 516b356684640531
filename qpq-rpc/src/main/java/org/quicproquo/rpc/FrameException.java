package org.quicproquo.rpc;

/**
 * A received frame broke the stream framing or a size limit. The stream cannot be resynchronised
 * after one: the receiver sends an {@code Abort} and closes the stream.
 */
final class FrameException extends RpcException {
  private static final long serialVersionUID = 1L;

  FrameException(String code, String detail) {
    super(ExceptionType.FAILED, code, detail);
  }

  FrameException(ExceptionType type, String code, String detail) {
    super(type, code, detail);
  }
}
