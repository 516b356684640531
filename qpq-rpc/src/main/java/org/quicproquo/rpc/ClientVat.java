package org.quicproquo.rpc;

import org.quicproquo.proto.rpc.RpcProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.concurrent.TimeUnit;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.capnproto.AnyPointer;
import org.capnproto.DecodeException;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one RPC connection (one QUIC stream): asks for the bootstrap capability, then
 * sends calls to it and matches returns to questions. Exports nothing. Question state lives on
 * the stream's event loop; {@link #call} may be used from any thread.
 */
final class ClientVat extends ChannelInboundHandlerAdapter implements RpcConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ClientVat.class);

  private final RpcLimits limits;
  private final Map<Integer, Question> questions = new HashMap<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private int nextQuestionId;
  private volatile int bootstrapImport = -1;
  private volatile Channel channel;

  /** A call waiting for its Return. */
  private interface Question {
    void answer(RpcProtocol.Return.Reader ret);

    void fail(RpcException e);
  }

  ClientVat(RpcLimits limits) {
    this.limits = limits;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** Sends {@code Bootstrap}; completes once the server returned its capability. */
  CompletableFuture<Void> bootstrap() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    channel.eventLoop().execute(() -> {
      if (!channel.isActive()) {
        result.completeExceptionally(lost());
        return;
      }
      int id = allocateQuestionId();
      MessageBuilder mb = Wire.newBuilder();
      Wire.newMessage(mb).initBootstrap().setQuestionId(id);
      questions.put(id, new Question() {
        @Override
        public void answer(RpcProtocol.Return.Reader ret) {
          finish(id, false);
          try {
            switch (ret.which()) {
              case RESULTS -> {
                var caps = ret.getResults().getCapTable();
                if (caps.size() < 1
                    || caps.get(0).which() != RpcProtocol.CapDescriptor.Which.SENDER_HOSTED) {
                  throw new RpcProtocolException("bootstrap returned no hosted capability");
                }
                bootstrapImport = caps.get(0).getSenderHosted();
                result.complete(null);
              }
              case EXCEPTION -> result.completeExceptionally(Wire.read(ret.getException()));
              default -> throw new RpcProtocolException("unexpected Return to Bootstrap");
            }
          } catch (RuntimeException e) {
            result.completeExceptionally(Wire.receiveError(e));
            throw e;
          }
        }

        @Override
        public void fail(RpcException e) {
          result.completeExceptionally(e);
        }
      });
      Wire.write(channel, mb, limits);
      channel.flush();
    });
    return result;
  }

  @Override
  public <T> CompletableFuture<T> call(long interfaceId, int methodId,
      Consumer<AnyPointer.Builder> params, Function<AnyPointer.Reader, T> results) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(results, "results");
    if (methodId < 0 || methodId > 0xffff) {
      throw new IllegalArgumentException("methodId outside 0..65535: " + methodId);
    }
    int target = bootstrapImport;
    if (target < 0) {
      throw new IllegalStateException("bootstrap capability not yet received");
    }
    MessageBuilder mb = Wire.newBuilder();
    RpcProtocol.Call.Builder call = Wire.newMessage(mb).initCall();
    call.setInterfaceId(interfaceId);
    call.setMethodId((short) methodId);
    call.initTarget().setImportedCap(target);
    params.accept(call.initParams().getContent());
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      // A call made from the I/O thread (typically the next call issued from the callback of the
    // previous answer) is written at once, so the pending Finish and this Call leave in one packet.
    if (channel.eventLoop().inEventLoop()) {
      send(mb, call, results, result);
    } else {
      channel.eventLoop().execute(() -> send(mb, call, results, result));
    }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      result.completeExceptionally(lost());
    }
    return result;
  }

  private <T> void send(MessageBuilder mb, RpcProtocol.Call.Builder call,
      Function<AnyPointer.Reader, T> results, CompletableFuture<T> result) {
    if (!channel.isActive()) {
      result.completeExceptionally(lost());
      return;
    }
    int id = allocateQuestionId();
    call.setQuestionId(id);
    try {
      Wire.write(channel, mb, limits);
    } catch (RpcException e) {
      result.completeExceptionally(e);
      return;
    }
    questions.put(id, new Question() {
      @Override
      public void answer(RpcProtocol.Return.Reader ret) {
        finish(id, true);
        switch (ret.which()) {
          case RESULTS -> {
            T value;
            try {
              value = results.apply(ret.getResults().getContent());
            } catch (DecodeException e) {
              result.completeExceptionally(new RpcException(ExceptionType.FAILED,
                  RpcErrors.MALFORMED_MESSAGE, "malformed results: " + e.getMessage(), e));
              return;
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
              return;
            }
            result.complete(value);
          }
          case EXCEPTION -> result.completeExceptionally(Wire.read(ret.getException()));
          case CANCELED -> result.completeExceptionally(new RpcException(
              ExceptionType.FAILED, RpcErrors.CANCELED, "the server canceled the call"));
          default -> result.completeExceptionally(new RpcException(ExceptionType.UNIMPLEMENTED,
              RpcErrors.UNSUPPORTED, "Return kind " + ret.which() + " is not supported"));
        }
      }

      @Override
      public void fail(RpcException e) {
        result.completeExceptionally(e);
      }
    });
    channel.flush();
  }

  private int allocateQuestionId() {
    // Ids are reused only after Return and Finish; skipping live ones makes wrap-around safe.
    int id = nextQuestionId++;
    while (questions.containsKey(id)) {
      id = nextQuestionId++;
    }
    return id;
  }

  private void finish(int questionId, boolean releaseResultCaps) {
    MessageBuilder mb = Wire.newBuilder();
    RpcProtocol.Finish.Builder f = Wire.newMessage(mb).initFinish();
    f.setQuestionId(questionId);
    // The bootstrap answer's capability stays imported: releasing it would end the connection.
    f.setReleaseResultCaps(releaseResultCaps);
    Wire.write(channel, mb, limits);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MessageReader reader)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      dispatch(reader);
    } catch (RuntimeException e) {
      abort(Wire.receiveError(e));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // Finish messages are batched per read.
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  private void dispatch(MessageReader reader) {
    RpcProtocol.Message.Reader m = reader.getRoot(RpcProtocol.Message.factory);
    switch (m.which()) {
      case RETURN -> {
        RpcProtocol.Return.Reader ret = m.getReturn();
        Question q = questions.remove(ret.getAnswerId());
        if (q == null) {
          throw new RpcProtocolException("Return for unknown question "
              + Integer.toUnsignedString(ret.getAnswerId()));
        }
        q.answer(ret);
      }
      case ABORT -> {
        RpcException e = Wire.read(m.getAbort());
        failAll(new RpcException(ExceptionType.DISCONNECTED, RpcErrors.ABORTED,
            "server aborted the stream: " + e.getMessage()));
        channel.close();
      }
      case UNIMPLEMENTED -> {
        RpcProtocol.Message.Reader echoed = m.getUnimplemented();
        if (echoed.which() == RpcProtocol.Message.Which.CALL) {
          Question q = questions.remove(echoed.getCall().getQuestionId());
          if (q != null) {
            q.fail(new RpcException(ExceptionType.UNIMPLEMENTED, RpcErrors.UNSUPPORTED,
                "the server does not understand calls"));
          }
        }
      }
      // This end exports nothing and asks for nothing else, so nothing else is expected.
      default -> {
        MessageBuilder mb = Wire.newBuilder();
        Wire.newMessage(mb).setUnimplemented(m);
        Wire.write(channel, mb, limits);
      }
    }
  }

  private void abort(RpcException e) {
    LOG.debug("aborting stream: {}", e.getMessage());
    failAll(e);
    Wire.abort(channel, e, limits);
  }

  private void failAll(RpcException e) {
    var pending = new ArrayList<>(questions.values());
    questions.clear();
    for (Question q : pending) {
      q.fail(e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    abort(Wire.receiveError(cause));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    // The server ended its side of the stream: nothing more will be answered here.
    if (evt instanceof ChannelInputShutdownEvent) {
      failAll(lost());
      ctx.close();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    failAll(lost());
    closed.complete(null);
    ctx.fireChannelInactive();
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closed.copy();
  }

  @Override
  public void close() {
    channel.eventLoop().execute(() -> {
      if (!channel.isActive()) {
        return;
      }
      failAll(lost());
      // FIN rather than reset: the server then finishes and closes its side, which completes
      // the stream in QUIC and returns its credit. A server that never does is cut off later.
      ((QuicStreamChannel) channel).shutdownOutput();
      channel.eventLoop().schedule(() -> {
        channel.close();
      }, QuicSettings.SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    });
  }

  private static RpcException lost() {
    return new RpcException(ExceptionType.DISCONNECTED, RpcErrors.CONNECTION_LOST,
        "the stream closed before the answer arrived");
  }
}
