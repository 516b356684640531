package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryTokenHandlerTest {
  private static final InetSocketAddress CLIENT =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
  private static final byte[] ODCID = {1, 2, 3, 4, 5, 6, 7, 8};

  private final MutableClock clock = new MutableClock();
  private final RetryTokenHandler handler = new RetryTokenHandler(new SecureRandom(), clock);

  /** A clock tests move by hand. */
  private static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private ByteBuf token() {
    ByteBuf out = Unpooled.buffer();
    assertThat(handler.writeToken(out, Unpooled.wrappedBuffer(ODCID), CLIENT)).isTrue();
    assertThat(out.readableBytes()).isLessThanOrEqualTo(handler.maxTokenLength());
    return out;
  }

  @Test
  void validTokenPointsAtTheOriginalConnectionId() {
    ByteBuf t = token();
    int offset = handler.validateToken(t, CLIENT);
    assertThat(offset).isPositive();
    byte[] odcid = new byte[t.readableBytes() - offset];
    t.getBytes(offset, odcid);
    assertThat(odcid).isEqualTo(ODCID);
  }

  @Test
  void otherAddressOrPortIsRefused() {
    assertThat(handler.validateToken(token(),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001))).isEqualTo(-1);
  }

  @Test
  void expiredTokenIsRefused() {
    ByteBuf t = token();
    clock.now = clock.now.plus(RetryTokenHandler.LIFETIME).plus(Duration.ofMillis(1));
    assertThat(handler.validateToken(t, CLIENT)).isEqualTo(-1);
  }

  @Test
  void tamperedOrTruncatedTokenIsRefused() {
    ByteBuf t = token();
    t.setByte(t.writerIndex() - 1, t.getByte(t.writerIndex() - 1) ^ 1);
    assertThat(handler.validateToken(t, CLIENT)).isEqualTo(-1);
    assertThat(handler.validateToken(Unpooled.wrappedBuffer(new byte[5]), CLIENT)).isEqualTo(-1);
    assertThat(handler.validateToken(Unpooled.wrappedBuffer(new byte[200]), CLIENT))
        .isEqualTo(-1);
  }

  @Test
  void anotherServerKeyRefusesTheToken() {
    RetryTokenHandler other = new RetryTokenHandler(new SecureRandom(), clock);
    assertThat(other.validateToken(token(), CLIENT)).isEqualTo(-1);
  }
}
