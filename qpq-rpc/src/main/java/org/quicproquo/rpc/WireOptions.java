package org.quicproquo.rpc;

import io.netty.channel.Channel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.AttributeKey;

/**
 * Per-connection framing options, kept as an attribute of the QUIC channel so every stream of
 * the connection finds them without threading them through each handler.
 *
 * @param pad whether frames this endpoint sends are padded to buckets ({@link FramePadding})
 * @param listener observer of frame sizes
 */
record WireOptions(boolean pad, FrameListener listener) {
  static final AttributeKey<WireOptions> KEY = AttributeKey.valueOf(WireOptions.class, "wire");
  static final WireOptions DEFAULT = new WireOptions(true, FrameListener.NONE);

  /** The options of the connection {@code ch} (a QUIC channel or one of its streams). */
  static WireOptions of(Channel ch) {
    Channel quic = ch instanceof QuicStreamChannel s ? s.parent() : ch;
    WireOptions o = quic == null ? null : quic.attr(KEY).get();
    return o == null ? DEFAULT : o;
  }
}
