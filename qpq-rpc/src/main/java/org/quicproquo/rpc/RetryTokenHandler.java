package org.quicproquo.rpc;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address validation (RFC 9000 §8.1.2, Retry). A server answers a client's first Initial
 * with a Retry carrying this token; only a client that really receives packets at its source
 * address can echo it, so spoofed Initials cannot make the server do handshake work or amplify
 * traffic towards a victim.
 *
 * <pre>
 * token = version (1) | expiry, ms since epoch (8) | HMAC-SHA256(key, version | expiry |
 *         client IP | client port | odcid) truncated to 16 | odcid (original destination CID)
 * </pre>
 *
 * The key is random per server start; tokens live {@link #LIFETIME}. Called on the I/O thread.
 */
final class RetryTokenHandler implements QuicTokenHandler {
  static final Duration LIFETIME = Duration.ofSeconds(10);
  private static final byte VERSION = 1;
  private static final int MAC_BYTES = 16;
  private static final int HEADER = 1 + 8 + MAC_BYTES;
  /** RFC 9000 §17.2: connection ids have at most 20 bytes. */
  private static final int MAX_CID = 20;

  private final SecretKeySpec key;
  private final Clock clock;

  RetryTokenHandler(SecureRandom random, Clock clock) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    this.key = new SecretKeySpec(k, "HmacSHA256");
    this.clock = clock;
  }

  @Override
  public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
    long expiry = clock.millis() + LIFETIME.toMillis();
    byte[] odcid = new byte[dcid.readableBytes()];
    dcid.getBytes(dcid.readerIndex(), odcid);
    out.writeByte(VERSION).writeLong(expiry).writeBytes(mac(expiry, address, odcid))
        .writeBytes(odcid);
    return true;
  }

  @Override
  public int validateToken(ByteBuf token, InetSocketAddress address) {
    int start = token.readerIndex();
    int cidLength = token.readableBytes() - HEADER;
    if (cidLength < 0 || cidLength > MAX_CID || token.getByte(start) != VERSION) {
      return -1;
    }
    long expiry = token.getLong(start + 1);
    if (clock.millis() > expiry) {
      return -1;
    }
    byte[] presented = new byte[MAC_BYTES];
    token.getBytes(start + 9, presented);
    byte[] odcid = new byte[cidLength];
    token.getBytes(start + HEADER, odcid);
    return MessageDigest.isEqual(presented, mac(expiry, address, odcid)) ? HEADER : -1;
  }

  @Override
  public int maxTokenLength() {
    return HEADER + MAX_CID;
  }

  private byte[] mac(long expiry, InetSocketAddress address, byte[] odcid) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(VERSION);
      for (int i = 7; i >= 0; i--) {
        mac.update((byte) (expiry >>> (8 * i)));
      }
      byte[] ip = address.getAddress().getAddress();
      mac.update((byte) ip.length);
      mac.update(ip);
      mac.update((byte) (address.getPort() >>> 8));
      mac.update((byte) address.getPort());
      mac.update(odcid);
      byte[] full = mac.doFinal();
      byte[] cut = new byte[MAC_BYTES];
      System.arraycopy(full, 0, cut, 0, MAC_BYTES);
      return cut;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
