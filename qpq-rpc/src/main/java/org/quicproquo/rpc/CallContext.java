package org.quicproquo.rpc;

import org.capnproto.AnyPointer;

/**
 * One incoming call: its parameters and the builder for its results. Valid until the future
 * returned by {@link Capability#call} completes; do not keep references past that point. Not
 * thread-safe: use it from one thread at a time.
 */
public interface CallContext {
  /** The call's parameter struct ({@code Call.params.content}); limits were applied on receipt. */
  AnyPointer.Reader params();

  /** The results ({@code Return.results.content}) to fill in, typically with {@code initAs}. */
  AnyPointer.Builder results();

  /** The QUIC connection the call arrived on. */
  ServerConnection connection();
}
