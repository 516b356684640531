package org.quicproquo.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.capnproto.AnyPointer;

/**
 * One Cap'n Proto RPC connection (one QUIC stream) whose bootstrap capability has been fetched.
 * Many calls may be in flight at once; answers may arrive in any order. Thread-safe.
 *
 * <p>Returned futures complete on the connection's I/O thread: chain heavy work with the
 * {@code ...Async} methods, and never block on one call's future inside another's callback.
 * There is no per-call timeout here; use {@link CompletableFuture#orTimeout}.
 */
public interface RpcConnection extends AutoCloseable {
  /**
   * Calls a method on the server's bootstrap capability.
   *
   * @param interfaceId the interface id from the schema
   * @param methodId the method ordinal
   * @param params fills the parameter struct, typically {@code p -> p.initAs(Params.factory)...};
   *     runs on the calling thread before this method returns
   * @param results turns the result struct into a value; runs on the I/O thread while the
   *     message is valid, so it must copy what it keeps and must not block
   * @return completes with the value, or exceptionally with an {@link RpcException}: the
   *     server's exception, {@code disconnected} if the stream closes first, or a limit error
   */
  <T> CompletableFuture<T> call(long interfaceId, int methodId,
      Consumer<AnyPointer.Builder> params, Function<AnyPointer.Reader, T> results);

  /** Completes when the stream has closed, for whatever reason. */
  CompletableFuture<Void> closeFuture();

  /** Closes the stream; calls in flight fail with {@code disconnected}. Idempotent. */
  @Override
  void close();
}
