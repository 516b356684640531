package org.quicproquo.client.messenger;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The three messages of device linking, before sealing (docs/wire.md "Devices and linking").
 * Each starts with a version byte (1); variable fields are {@code u16 length || bytes}
 * (big-endian); keys and signatures have fixed sizes. Decoding is strict: a wrong version, a
 * length out of bounds or trailing bytes is {@link DeviceLinkException.Reason#TAMPERED}.
 */
final class LinkMessages {
  static final int VERSION = 1;
  static final int KEY = 32;
  static final int SIGNATURE = 64;
  static final int MAX_NAME_BYTES = 256;
  /** Label of the new device's proof of possession of its key. */
  static final String REQUEST_SIGNATURE_LABEL = "qpq link request signature v1\0";

  private LinkMessages() {
  }

  /** The existing device's offer: whose account this is. */
  record Offer(String userName, byte[] identityKey) {
    Offer {
      identityKey = identityKey.clone();
    }

    @Override
    public byte[] identityKey() {
      return identityKey.clone();
    }

    byte[] encode() {
      return new Writer().text(userName).fixed(identityKey).bytes();
    }

    static Offer decode(byte[] bytes) {
      Reader r = new Reader(bytes);
      Offer o = new Offer(r.text(), r.fixed(KEY));
      r.end();
      return o;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Offer x && userName.equals(x.userName)
          && Arrays.equals(identityKey, x.identityKey);
    }

    @Override
    public int hashCode() {
      return 31 * userName.hashCode() + Arrays.hashCode(identityKey);
    }
  }

  /**
   * The new device's request: its signature key, and that key's signature over
   * {@link #signedPart} (proof it holds the private key, bound to this link and account).
   */
  record Request(byte[] deviceKey, byte[] signature) {
    Request {
      deviceKey = deviceKey.clone();
      signature = signature.clone();
    }

    @Override
    public byte[] deviceKey() {
      return deviceKey.clone();
    }

    @Override
    public byte[] signature() {
      return signature.clone();
    }

    byte[] encode() {
      return new Writer().fixed(deviceKey).fixed(signature).bytes();
    }

    static Request decode(byte[] bytes) {
      Reader r = new Reader(bytes);
      Request q = new Request(r.fixed(KEY), r.fixed(SIGNATURE));
      r.end();
      return q;
    }

    /** {@code label || lookupId || offer || deviceKey}: what the signature covers. */
    static byte[] signedPart(byte[] lookupId, Offer offer, byte[] deviceKey) {
      Writer w = new Writer(false);
      w.raw(REQUEST_SIGNATURE_LABEL.getBytes(StandardCharsets.US_ASCII)).raw(lookupId)
          .raw(offer.encode()).raw(deviceKey);
      return w.bytes();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Request x && Arrays.equals(deviceKey, x.deviceKey)
          && Arrays.equals(signature, x.signature);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(deviceKey) + Arrays.hashCode(signature);
    }
  }

  /**
   * The existing device's reply: the new device's id, its certificate, and the identity private
   * key (so the new device can link and revoke devices too; docs/wire.md says so).
   */
  record Reply(long deviceId, byte[] certificate, byte[] identityPrivateKey) {
    Reply {
      certificate = certificate.clone();
      identityPrivateKey = identityPrivateKey.clone();
    }

    @Override
    public byte[] certificate() {
      return certificate.clone();
    }

    @Override
    public byte[] identityPrivateKey() {
      return identityPrivateKey.clone();
    }

    byte[] encode() {
      return new Writer().u64(deviceId).fixed(certificate).fixed(identityPrivateKey).bytes();
    }

    static Reply decode(byte[] bytes) {
      Reader r = new Reader(bytes);
      Reply p = new Reply(r.u64(), r.fixed(SIGNATURE), r.fixed(KEY));
      r.end();
      return p;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Reply x && deviceId == x.deviceId
          && Arrays.equals(certificate, x.certificate)
          && Arrays.equals(identityPrivateKey, x.identityPrivateKey);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(deviceId) * 31 + Arrays.hashCode(certificate);
    }

    @Override
    public String toString() {
      return "Reply[device " + deviceId + "]"; // never the private key
    }
  }

  /**
   * The existing device's reply when it will not link the device (sealed under its own label):
   * a reason code, 1 = the account has its maximum of devices, 2 = refused for another reason.
   */
  record Refusal(int reason) {
    static final int TOO_MANY_DEVICES = 1;
    static final int OTHER = 2;

    Refusal {
      if (reason != TOO_MANY_DEVICES && reason != OTHER) {
        throw new IllegalArgumentException("unknown refusal reason " + reason);
      }
    }

    byte[] encode() {
      return new Writer().raw(new byte[] {(byte) reason}).bytes();
    }

    static Refusal decode(byte[] bytes) {
      Reader r = new Reader(bytes);
      int reason = r.fixed(1)[0] & 0xff;
      r.end();
      if (reason != TOO_MANY_DEVICES && reason != OTHER) {
        throw LinkSecrets.tampered(null);
      }
      return new Refusal(reason);
    }
  }

  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer() {
      this(true);
    }

    Writer(boolean versioned) {
      if (versioned) {
        out.write(VERSION);
      }
    }

    Writer text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > MAX_NAME_BYTES) {
        throw new IllegalArgumentException("name too long");
      }
      out.write(b.length >>> 8);
      out.write(b.length);
      return raw(b);
    }

    Writer fixed(byte[] b) {
      return raw(b);
    }

    Writer u64(long v) {
      return raw(ByteBuffer.allocate(8).putLong(v).array());
    }

    Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  private static final class Reader {
    private final ByteBuffer in;

    Reader(byte[] bytes) {
      in = ByteBuffer.wrap(bytes);
      if (!in.hasRemaining() || (in.get() & 0xff) != VERSION) {
        throw LinkSecrets.tampered(null);
      }
    }

    String text() {
      int n = u16();
      if (n > MAX_NAME_BYTES) {
        throw LinkSecrets.tampered(null);
      }
      try {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(fixed(n))).toString();
      } catch (java.nio.charset.CharacterCodingException e) {
        throw LinkSecrets.tampered(e);
      }
    }

    int u16() {
      try {
        return in.getShort() & 0xffff;
      } catch (BufferUnderflowException e) {
        throw LinkSecrets.tampered(e);
      }
    }

    long u64() {
      try {
        return in.getLong();
      } catch (BufferUnderflowException e) {
        throw LinkSecrets.tampered(e);
      }
    }

    byte[] fixed(int n) {
      if (in.remaining() < n) {
        throw LinkSecrets.tampered(null);
      }
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    void end() {
      if (in.hasRemaining()) {
        throw LinkSecrets.tampered(null);
      }
    }
  }
}
