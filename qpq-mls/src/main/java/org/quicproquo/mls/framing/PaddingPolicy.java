package org.quicproquo.mls.framing;

/**
 * How many zero bytes to append to a PrivateMessageContent (§6.3.1) before encryption. Padding hides
 * the exact length of what a member sends; the RFC leaves the amount to the sender.
 */
@FunctionalInterface
public interface PaddingPolicy {
  /** Padding for a plaintext of {@code unpaddedLength} bytes (content + auth data); {@code >= 0}. */
  int paddingLength(int unpaddedLength);

  /** No padding. */
  static PaddingPolicy none() {
    return n -> 0;
  }

  /** Pads the plaintext up to the next multiple of {@code block} bytes. */
  static PaddingPolicy toMultipleOf(int block) {
    if (block <= 0) {
      throw new IllegalArgumentException("block must be positive: " + block);
    }
    return n -> (block - n % block) % block;
  }
}
