package org.quicproquo.client.files;

/**
 * Downloaded data failed verification: a chunk does not decrypt under the file key at its
 * position (tampered, reordered, truncated, or the wrong key), the blob's size does not match the
 * reference, or the plaintext's SHA-256 differs from the reference's. Nothing unverified is kept.
 */
public final class FileIntegrityException extends FileTransferException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed to verify */
  public FileIntegrityException(String message) {
    super(null, message, null);
  }
}
