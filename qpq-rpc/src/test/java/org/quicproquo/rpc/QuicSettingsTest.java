package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QuicSettingsTest {
  private static final Path RMEM_MAX = Path.of("/proc/sys/net/core/rmem_max");

  @Test
  void udpSocketsGetTheLargerReceiveBufferUpToTheKernelCap() throws Exception {
    assumeTrue(Files.isReadable(RMEM_MAX), "Linux only: the cap is read from /proc");
    // not Files.readString: on JDK 17 it returns only the first byte of this procfs file
    long cap = Long.parseLong(Files.readAllLines(RMEM_MAX).get(0).trim());
    EventLoopGroup group = QuicSettings.newEventLoopGroup("quic-settings-test");
    try {
      Channel ch = QuicSettings.udpBootstrap(group, new ChannelInboundHandlerAdapter())
          .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
      try {
        // Linux grants min(asked, rmem_max); it reports twice that, which the JDK halves again
        long granted = ch.config().getOption(ChannelOption.SO_RCVBUF);
        assertThat(granted).isEqualTo(Math.min(QuicSettings.UDP_SOCKET_BUFFER_BYTES, cap));
      } finally {
        ch.close().syncUninterruptibly();
      }
    } finally {
      QuicSettings.shutdown(group);
    }
  }
}
