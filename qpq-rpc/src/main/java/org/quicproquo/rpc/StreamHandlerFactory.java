package org.quicproquo.rpc;

import io.netty.channel.ChannelHandler;

/** Makes the handler that serves one server-side bidirectional stream (behind a FrameDecoder). */
@FunctionalInterface
interface StreamHandlerFactory {
  ChannelHandler create(ServerConnectionImpl connection);
}
