package org.quicproquo.rpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a server writes identifying values into its logs: user names, device ids, client
 * addresses, message ids and free-form error details (exception messages, which may quote any of
 * those). Every log statement of the server and of the RPC layer passes such values through one
 * of these methods instead of logging them directly.
 *
 * <p>{@link #plain()} returns values unchanged. {@link #redacting(SecureRandom)} replaces each
 * value with a stable pseudonym, {@code KIND-XXXXXXXX}: the first 4 bytes (8 hex digits) of
 * HMAC-SHA256 over the kind and the value, keyed by 32 random bytes drawn when the policy is
 * created and never stored. The same user is the same pseudonym for the life of the process, so an
 * operator can still follow one connection's or one device's story through the log; the key is
 * gone when the process ends, so the log cannot be matched against a list of candidate names
 * (no dictionary attack) nor correlated across restarts. Free-form details and exception messages
 * carry no structure that could be pseudonymised piecewise, so they become {@code <redacted>};
 * exception classes and stack frames are kept (they name code, not people).
 *
 * <p>Thread-safe and immutable; one instance per server process, passed down by hand.
 */
public final class LogRedaction {
  /** What a redacted free-form detail becomes. */
  public static final String REDACTED = "<redacted>";

  private static final String HMAC = "HmacSHA256";
  private static final int KEY_BYTES = 32;
  private static final int PSEUDONYM_BYTES = 4;
  private static final LogRedaction PLAIN = new LogRedaction(null);

  /** The per-process pseudonym key; null for the plain policy. */
  private final SecretKeySpec key;

  private LogRedaction(SecretKeySpec key) {
    this.key = key;
  }

  /** The policy that logs values as they are (the default). */
  public static LogRedaction plain() {
    return PLAIN;
  }

  /** A redacting policy with a fresh pseudonym key drawn from {@code random}. */
  public static LogRedaction redacting(SecureRandom random) {
    byte[] k = new byte[KEY_BYTES];
    Objects.requireNonNull(random, "random").nextBytes(k);
    return new LogRedaction(new SecretKeySpec(k, HMAC));
  }

  /** Whether this policy redacts. */
  public boolean redacts() {
    return key != null;
  }

  /** A user name, as logged. */
  public String user(String name) {
    return key == null ? String.valueOf(name) : pseudonym("user", String.valueOf(name));
  }

  /** A device id, as logged (unsigned decimal when plain). */
  public String device(long id) {
    String text = Long.toUnsignedString(id);
    return key == null ? text : pseudonym("device", text);
  }

  /** A message id, as logged (lower-case hex when plain). */
  public String messageId(byte[] id) {
    String hex = HexFormat.of().formatHex(id);
    return key == null ? hex : pseudonym("msg", hex);
  }

  /** A peer address (IP and port), as logged. */
  public String address(SocketAddress address) {
    String text = address instanceof InetSocketAddress a && a.getAddress() != null
        ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(address);
    return key == null ? text : pseudonym("addr", text);
  }

  /**
   * A free-form detail, such as an exception message or an error detail sent to a client: it may
   * quote names and ids anywhere, so a redacting policy drops it whole.
   */
  public String detail(String text) {
    return key == null ? String.valueOf(text) : REDACTED;
  }

  /**
   * A throwable to hand to the logger as its last argument. Plain: {@code t} itself. Redacting: a
   * copy of the cause chain in which each throwable keeps its class name and stack trace but not
   * its message.
   */
  public Throwable error(Throwable t) {
    if (key == null || t == null) {
      return t;
    }
    return scrub(t, 0);
  }

  private static Throwable scrub(Throwable t, int depth) {
    // Bounded: a cause cycle or an absurdly deep chain must not recurse forever.
    Throwable cause = t.getCause() != null && t.getCause() != t && depth < 16
        ? scrub(t.getCause(), depth + 1) : null;
    Throwable copy = new RedactedThrowable(t.getClass().getName(), cause);
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  private String pseudonym(String kind, String value) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      mac.update(kind.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      byte[] tag = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return kind + "-" + HexFormat.of().formatHex(tag, 0, PSEUDONYM_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** Stands in for a logged throwable whose message is withheld; prints as the original class. */
  static final class RedactedThrowable extends Throwable {
    private static final long serialVersionUID = 1L;
    private final String className;

    RedactedThrowable(String className, Throwable cause) {
      super(REDACTED, cause, false, true);
      this.className = className;
    }

    @Override
    public String toString() {
      return className + ": " + REDACTED;
    }
  }
}
