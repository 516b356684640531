package org.quicproquo.client.files;

import java.util.Optional;

/**
 * A file transfer failed for a reason retrying will not fix: the server refused (its error code
 * is kept, e.g. {@code QUOTA_EXCEEDED} or {@code NO_SUCH_BLOB}), the server stayed unreachable
 * after every attempt, or the data failed verification ({@link FileIntegrityException}).
 */
public class FileTransferException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  /**
   * @param code the server's error code, or null when the failure is local
   * @param message what failed
   */
  public FileTransferException(String code, String message, Throwable cause) {
    super(code == null ? message : code + ": " + message, cause);
    this.code = code;
  }

  /** The server's error code ({@code QUOTA_EXCEEDED}, {@code NO_SUCH_BLOB}, ...), if any. */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }
}
