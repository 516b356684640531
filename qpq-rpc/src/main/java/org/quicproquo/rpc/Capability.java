package org.quicproquo.rpc;

import java.util.concurrent.CompletableFuture;

/**
 * An object that answers calls: the server's bootstrap capability (for qpq, {@code NodeService}).
 *
 * <p>{@link #call} runs on the connection's I/O thread (or on the server's executor when one is
 * configured) and must not block: do slow work elsewhere and complete the returned future later.
 * The future may complete on any thread, and calls may complete in any order.
 *
 * <p>To answer with an error, complete the future exceptionally (or throw) with an
 * {@link RpcException}; its type, code and detail reach the caller. Any other throwable reaches
 * the caller as {@code failed / INTERNAL} without its message. An error never affects other calls.
 */
@FunctionalInterface
public interface Capability {
  /**
   * Handles one call.
   *
   * @param interfaceId the 64-bit id of the called interface
   * @param methodId the method's ordinal within the interface
   * @param ctx the parameters and the results builder of this call
   * @return completes (normally) once the results are written into {@link CallContext#results()}
   */
  CompletableFuture<Void> call(long interfaceId, int methodId, CallContext ctx);

  /** A failed future for an interface id this capability does not implement. */
  static CompletableFuture<Void> unknownInterface(long interfaceId) {
    return CompletableFuture.failedFuture(new RpcException(ExceptionType.UNIMPLEMENTED,
        RpcErrors.UNKNOWN_INTERFACE, "interface " + Long.toHexString(interfaceId)
            + " is not implemented"));
  }

  /** A failed future for a method id this capability does not implement. */
  static CompletableFuture<Void> unknownMethod(long interfaceId, int methodId) {
    return CompletableFuture.failedFuture(new RpcException(ExceptionType.UNIMPLEMENTED,
        RpcErrors.UNKNOWN_METHOD, "method @" + methodId + " of interface "
            + Long.toHexString(interfaceId) + " is not implemented"));
  }
}
