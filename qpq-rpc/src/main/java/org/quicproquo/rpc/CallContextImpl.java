package org.quicproquo.rpc;

import org.quicproquo.proto.rpc.RpcProtocol;
import org.capnproto.AnyPointer;
import org.capnproto.MessageBuilder;

/**
 * The context of one incoming call. The {@code Return} message is prepared lazily on the first
 * {@link #results()} so calls that fail never allocate one.
 */
final class CallContextImpl implements CallContext {
  private final AnyPointer.Reader params;
  private final ServerConnection connection;
  private final int answerId;
  private MessageBuilder reply;
  private AnyPointer.Builder results;

  CallContextImpl(AnyPointer.Reader params, ServerConnection connection, int answerId) {
    this.params = params;
    this.connection = connection;
    this.answerId = answerId;
  }

  @Override
  public AnyPointer.Reader params() {
    return params;
  }

  @Override
  public AnyPointer.Builder results() {
    if (results == null) {
      reply = Wire.newBuilder();
      RpcProtocol.Return.Builder ret = Wire.newMessage(reply).initReturn();
      ret.setAnswerId(answerId);
      results = ret.initResults().getContent();
    }
    return results;
  }

  @Override
  public ServerConnection connection() {
    return connection;
  }

  /** The {@code Return} carrying the results (empty results if the app wrote none). */
  MessageBuilder reply() {
    results();
    return reply;
  }
}
