package org.quicproquo.rpc;

import org.quicproquo.proto.rpc.RpcProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one RPC connection (one QUIC stream), Cap'n Proto RPC level 0:
 *
 * <pre>
 *   Bootstrap(q)          -> Return(q, results = cap #0 = senderHosted(export 0))
 *   Call(q, target, ...)  -> Capability.call -> Return(q, results | exception)
 *   Finish(q)             -> forget answer q (cancel it if still running)
 *   Release(export, n)    -> drop n references to the bootstrap export
 *   Abort(e)              -> close the stream
 *   anything else         -> Unimplemented(echo)
 * </pre>
 *
 * A call's failure becomes its {@code Return.exception}; only broken framing, undecodable
 * messages and protocol violations abort the stream, and nothing here closes the QUIC connection.
 * Runs on the connection's event loop; completions from other threads hop back onto it.
 */
final class ServerVat extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ServerVat.class);
  /** The only export: the bootstrap capability. */
  static final int BOOTSTRAP_EXPORT = 0;

  private final ServerConnectionImpl connection;
  private final RpcLimits limits;
  private final Executor executor;
  private final LogRedaction redaction;
  private final Map<Integer, Answer> answers = new HashMap<>();
  private int bootstrapRefs;
  private int running;
  private boolean inputClosed;
  private boolean aborted;
  private Channel channel;

  /** One question the peer asked; kept until both our Return and its Finish happened. */
  private static final class Answer {
    final boolean bootstrap;
    boolean returned;
    boolean finished;

    Answer(boolean bootstrap) {
      this.bootstrap = bootstrap;
    }
  }

  /** True between the first channelRead of a read burst and its channelReadComplete. */
  private boolean reading;

  ServerVat(ServerConnectionImpl connection, Executor executor, LogRedaction redaction) {
    this.connection = connection;
    this.limits = connection.limits();
    this.executor = executor;
    this.redaction = redaction;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    LOG.trace("connection {} from {}: stream opened", connection.id(),
        redaction.address(connection.remoteAddress()));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MessageReader reader)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (aborted) {
      return;
    }
    reading = true;
    try {
      dispatch(reader);
    } catch (RuntimeException e) {
      abort(Wire.receiveError(e));
    }
  }

  /**
   * Answers produced while a read burst is being handled are flushed once, when the burst ends:
   * every flush of a QUIC stream is a packet of its own, and one packet carrying several Returns
   * costs far less CPU than several tiny ones.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  private void flushUnlessReading() {
    if (!reading) {
      channel.flush();
    }
  }

  private void dispatch(MessageReader reader) {
    RpcProtocol.Message.Reader m = reader.getRoot(RpcProtocol.Message.factory);
    switch (m.which()) {
      case BOOTSTRAP -> onBootstrap(m.getBootstrap().getQuestionId());
      case CALL -> onCall(m.getCall());
      case FINISH -> onFinish(m.getFinish());
      case RELEASE -> onRelease(m.getRelease());
      case ABORT -> {
        LOG.debug("connection {}: peer aborted stream: {}", connection.id(),
            redaction.detail(Wire.read(m.getAbort()).getMessage()));
        aborted = true;
        channel.close();
      }
      // The peer did not understand something we sent; level 0 servers send nothing optional.
      case UNIMPLEMENTED -> LOG.debug("connection {}: peer sent Unimplemented", connection.id());
      case RETURN -> throw new RpcProtocolException("Return for a question the server never asked");
      default -> {
        MessageBuilder mb = Wire.newBuilder();
        Wire.newMessage(mb).setUnimplemented(m);
        send(mb);
      }
    }
  }

  private void onBootstrap(int questionId) {
    newAnswer(questionId, true);
    MessageBuilder mb;
    try {
      connection.bootstrap();
      mb = BootstrapReturn.build(questionId, BOOTSTRAP_EXPORT);
      bootstrapRefs++;
    } catch (RuntimeException e) {
      LOG.warn("connection {}: bootstrap factory failed", connection.id(), redaction.error(e));
      mb = Wire.newBuilder();
      RpcProtocol.Return.Builder ret = Wire.newMessage(mb).initReturn();
      ret.setAnswerId(questionId);
      Wire.fill(ret.initException(), internal());
    }
    returned(questionId);
    send(mb);
  }

  private void onCall(RpcProtocol.Call.Reader call) {
    int questionId = call.getQuestionId();
    newAnswer(questionId, false);
    RpcException refusal = checkTarget(call);
    // Everything read from the message is read before a call slot is taken, so a decode error
    // (which aborts the stream) can never leak a slot.
    long interfaceId = call.getInterfaceId();
    int methodId = call.getMethodId() & 0xffff;
    CallContextImpl ctx = new CallContextImpl(call.getParams().getContent(), connection,
        questionId);
    if (refusal == null && !connection.tryStartCall()) {
      refusal = new RpcException(ExceptionType.OVERLOADED, RpcErrors.TOO_MANY_CALLS,
          "more than " + limits.maxCallsInFlight() + " calls in flight on this connection");
    }
    if (refusal != null) {
      returnException(questionId, refusal);
      return;
    }
    Capability target = connection.bootstrap();
    running++;
    Runnable invoke = () -> {
      CompletableFuture<Void> f;
      try {
        f = target.call(interfaceId, methodId, ctx);
        if (f == null) {
          f = CompletableFuture.failedFuture(new NullPointerException("call returned null"));
        }
      } catch (RuntimeException | Error e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((ok, error) -> {
        if (channel.eventLoop().inEventLoop()) {
          complete(questionId, ctx, error);
        } else {
          channel.eventLoop().execute(() -> complete(questionId, ctx, error));
        }
      });
    };
    if (executor == null) {
      invoke.run();
    } else {
      try {
        executor.execute(invoke);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        complete(questionId, ctx, new RpcException(ExceptionType.OVERLOADED,
            RpcErrors.TOO_MANY_CALLS, "the server's executor refused the call"));
      }
    }
  }

  /** Null if the call targets the bootstrap capability in a way level 0 supports. */
  private RpcException checkTarget(RpcProtocol.Call.Reader call) {
    if (call.getSendResultsTo().which() != RpcProtocol.Call.SendResultsTo.Which.CALLER) {
      return unsupported("results may only be sent to the caller");
    }
    RpcProtocol.MessageTarget.Reader target = call.getTarget();
    switch (target.which()) {
      case IMPORTED_CAP -> {
        if (target.getImportedCap() != BOOTSTRAP_EXPORT || bootstrapRefs == 0) {
          return new RpcException(ExceptionType.FAILED, RpcErrors.UNKNOWN_CAPABILITY,
              "no export " + Integer.toUnsignedString(target.getImportedCap()));
        }
        return null;
      }
      case PROMISED_ANSWER -> {
        RpcProtocol.PromisedAnswer.Reader pa = target.getPromisedAnswer();
        Answer a = answers.get(pa.getQuestionId());
        if (a == null || !a.bootstrap) {
          return unsupported("promise pipelining on anything but a bootstrap question");
        }
        for (RpcProtocol.PromisedAnswer.Op.Reader op : pa.getTransform()) {
          if (!op.isNoop()) {
            return unsupported("transforms of a promised answer");
          }
        }
        return null;
      }
      default -> {
        return unsupported("unknown message target");
      }
    }
  }

  private void complete(int questionId, CallContextImpl ctx, Throwable error) {
    connection.endCall();
    running--;
    Answer a = answers.get(questionId);
    if (a == null || !channel.isActive()) {
      closeIfDrained();
      return;
    }
    if (aborted) {
      return;
    }
    if (a.finished) {
      MessageBuilder mb = Wire.newBuilder();
      RpcProtocol.Return.Builder ret = Wire.newMessage(mb).initReturn();
      ret.setAnswerId(questionId);
      ret.setCanceled();
      returned(questionId);
      send(mb);
    } else if (error == null) {
      returned(questionId);
      try {
        Wire.write(channel, ctx.reply(), limits);
        flushUnlessReading();
      } catch (FrameException e) {
        sendException(questionId, new RpcException(ExceptionType.FAILED,
            RpcErrors.MESSAGE_TOO_LARGE, "results exceed " + limits.maxMessageBytes() + " bytes"));
      } catch (RuntimeException e) {
        LOG.warn("connection {}: cannot serialise results", connection.id(),
            redaction.error(e));
        sendException(questionId, internal());
      }
    } else {
      returnException(questionId, toRpc(error));
    }
    closeIfDrained();
  }

  private RpcException toRpc(Throwable error) {
    Throwable t = error;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RpcException r) {
      return r;
    }
    if (t instanceof org.capnproto.DecodeException d) {
      // The capability tripped over the caller's malformed params: the caller's fault, not ours.
      return new RpcException(ExceptionType.FAILED, RpcErrors.MALFORMED_MESSAGE,
          "malformed params: " + d.getMessage());
    }
    LOG.warn("connection {}: call failed", connection.id(), redaction.error(t));
    return internal();
  }

  private void returnException(int questionId, RpcException e) {
    returned(questionId);
    sendException(questionId, e);
  }

  private void sendException(int questionId, RpcException e) {
    MessageBuilder mb = Wire.newBuilder();
    RpcProtocol.Return.Builder ret = Wire.newMessage(mb).initReturn();
    ret.setAnswerId(questionId);
    Wire.fill(ret.initException(), e);
    send(mb);
  }

  private void onFinish(RpcProtocol.Finish.Reader finish) {
    int questionId = finish.getQuestionId();
    Answer a = answers.get(questionId);
    if (a == null || a.finished) {
      throw new RpcProtocolException("Finish for unknown question "
          + Integer.toUnsignedString(questionId));
    }
    a.finished = true;
    if (a.bootstrap && a.returned && finish.getReleaseResultCaps() && bootstrapRefs > 0) {
      bootstrapRefs--;
    }
    if (a.returned) {
      forget(questionId);
    }
  }

  private void onRelease(RpcProtocol.Release.Reader release) {
    int count = release.getReferenceCount();
    if (release.getId() != BOOTSTRAP_EXPORT || count < 0 || count > bootstrapRefs) {
      throw new RpcProtocolException("Release of " + Integer.toUnsignedString(count)
          + " references to export " + Integer.toUnsignedString(release.getId())
          + ", which has " + (release.getId() == BOOTSTRAP_EXPORT ? bootstrapRefs : 0));
    }
    bootstrapRefs -= count;
  }

  private void newAnswer(int questionId, boolean bootstrap) {
    if (answers.containsKey(questionId)) {
      throw new RpcProtocolException("question " + Integer.toUnsignedString(questionId)
          + " is still in use");
    }
    if (!connection.tryOpenQuestion()) {
      throw new RpcProtocolException("more than " + connection.maxOpenQuestions()
          + " questions open on this connection (each answered question needs a Finish)");
    }
    answers.put(questionId, new Answer(bootstrap));
  }

  private void returned(int questionId) {
    Answer a = answers.get(questionId);
    a.returned = true;
    if (a.finished) {
      forget(questionId);
    }
  }

  private void forget(int questionId) {
    answers.remove(questionId);
    connection.closeQuestions(1);
  }

  /** The stream is gone, and with it every question asked on it. */
  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    connection.closeQuestions(answers.size());
    answers.clear();
    ctx.fireChannelInactive();
  }

  private void send(MessageBuilder mb) {
    if (channel.isActive()) {
      Wire.write(channel, mb, limits);
      flushUnlessReading();
    }
  }

  private void abort(RpcException e) {
    if (aborted) {
      return;
    }
    aborted = true;
    LOG.debug("connection {}: aborting stream: {}", connection.id(),
        redaction.detail(e.getMessage()));
    Wire.abort(channel, e, limits);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    abort(Wire.receiveError(cause));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      inputClosed = true;
      closeIfDrained();
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** After the peer finished sending, close once every running call has answered. */
  private void closeIfDrained() {
    if (inputClosed && running == 0 && !aborted && channel.isActive()) {
      // A FIN completes the stream cleanly, so QUIC hands the client its stream credit back.
      ((QuicStreamChannel) channel).shutdownOutput().addListener(f -> channel.close());
    }
  }

  private static RpcException unsupported(String what) {
    return new RpcException(ExceptionType.UNIMPLEMENTED, RpcErrors.UNSUPPORTED,
        "not supported at RPC level 0: " + what);
  }

  private static RpcException internal() {
    return new RpcException(ExceptionType.FAILED, RpcErrors.INTERNAL, "internal server error");
  }
}
