package org.quicproquo.rpc;

/**
 * Puts an error code and a message into {@code Exception.reason} and takes them out again:
 * {@code reason = CODE ": " message}. A reason without a well-formed code prefix (for example from
 * a foreign Cap'n Proto peer) decodes to {@link RpcErrors#UNSPECIFIED} with the whole reason as its
 * message.
 */
final class ReasonCodec {
  /** Longest reason we send or keep, in chars; a hostile peer must not make us hold megabytes. */
  static final int MAX_REASON_CHARS = 1024;

  private ReasonCodec() {
  }

  static String encode(RpcException e) {
    return truncate(e.code() + ": " + e.detail());
  }

  static RpcException decode(ExceptionType type, String reason) {
    String r = truncate(reason == null ? "" : reason);
    int colon = r.indexOf(": ");
    if (colon > 0 && RpcException.CODE_PATTERN.matcher(r.substring(0, colon)).matches()) {
      return new RpcException(type, r.substring(0, colon), r.substring(colon + 2));
    }
    return new RpcException(type, RpcErrors.UNSPECIFIED, r);
  }

  private static String truncate(String s) {
    return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS);
  }
}
