package org.quicproquo.rpc;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Root of every error this module reports: a failed call, a broken stream, a refused certificate,
 * a rejected frame. It carries the Cap'n Proto {@link ExceptionType} and a stable error code such as
 * {@code "UNKNOWN_METHOD"} or an application code such as {@code "NOT_AUTHORIZED"}.
 *
 * <p>On the wire the code travels inside {@code Exception.reason} as {@code "CODE: message"} (see
 * {@code docs/wire.md}); {@link #code()} and {@link #detail()} give the two parts back.
 * Applications throw (or complete a call exceptionally with) an {@code RpcException} to send a
 * typed error to the caller; any other throwable becomes {@code FAILED / INTERNAL} without its
 * message, so server internals never leak to clients.
 */
public class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Shape of an error code: upper-case ASCII, digits and underscores, 1 to 64 characters. */
  public static final Pattern CODE_PATTERN = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  private final ExceptionType type;
  private final String code;
  private final String detail;

  /**
   * Creates an exception.
   *
   * @param type the Cap'n Proto exception type
   * @param code a stable code matching {@link #CODE_PATTERN}
   * @param detail a human-readable message (never secret: it crosses the wire)
   * @throws IllegalArgumentException if {@code code} does not match {@link #CODE_PATTERN}
   */
  public RpcException(ExceptionType type, String code, String detail) {
    this(type, code, detail, null);
  }

  /** As {@link #RpcException(ExceptionType, String, String)}, with a local cause (never sent). */
  public RpcException(ExceptionType type, String code, String detail, Throwable cause) {
    super(code + ": " + detail, cause);
    this.type = Objects.requireNonNull(type, "type");
    if (!CODE_PATTERN.matcher(Objects.requireNonNull(code, "code")).matches()) {
      throw new IllegalArgumentException("invalid error code: " + code);
    }
    this.code = code;
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** The Cap'n Proto exception type. */
  public ExceptionType type() {
    return type;
  }

  /** The stable error code, for example {@link RpcErrors#UNKNOWN_METHOD}. */
  public String code() {
    return code;
  }

  /** The human-readable part of the reason. */
  public String detail() {
    return detail;
  }
}
