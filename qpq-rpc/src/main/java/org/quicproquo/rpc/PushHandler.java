package org.quicproquo.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.capnproto.MessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client end of the server's push stream: hands each framed message to the listener. A framing
 * error closes only this stream (push is a hint; calls carry on).
 */
final class PushHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(PushHandler.class);

  private final EventListener listener;

  PushHandler(EventListener listener) {
    this.listener = listener;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof MessageReader event)) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("event listener failed", e);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("push stream closed after error: {}", cause.toString());
    ctx.close();
  }
}
