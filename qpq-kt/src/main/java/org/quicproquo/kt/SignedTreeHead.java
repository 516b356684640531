package org.quicproquo.kt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A tree head signed by the log key: the log commits to having {@code treeSize} leaves with root
 * {@code rootHash} at {@code timestampMs}. The signature is Ed25519 over
 *
 * <pre>
 *   "qpq kt tree head v1" 0x00 || u64 tree_size || root_hash[32] || u64 timestamp_ms
 * </pre>
 *
 * and the wire form is {@code u8 version (1) || u64 tree_size || root_hash[32] || u64 timestamp_ms
 * || signature[64]} (113 bytes). Decoding does not verify: call {@link #verify} (or let
 * {@link TreeHeadHistory} do it).
 *
 * @param treeSize number of leaves
 * @param rootHash {@code MTH(D[treeSize])} (copied)
 * @param timestampMs the log's clock when it signed, ms since the epoch
 * @param signature Ed25519 signature (copied)
 */
public record SignedTreeHead(long treeSize, byte[] rootHash, long timestampMs, byte[] signature) {
  /** Domain-separation label of the signed bytes, NUL included. */
  static final byte[] LABEL = "qpq kt tree head v1\0".getBytes(StandardCharsets.US_ASCII);
  /** Wire version this class reads and writes. */
  public static final int VERSION = 1;
  /** Length of an Ed25519 signature. */
  public static final int SIGNATURE_LENGTH = 64;
  /** Length of the wire form. */
  public static final int ENCODED_LENGTH = 1 + 8 + TreeHashes.HASH_LENGTH + 8 + SIGNATURE_LENGTH;

  /** Checks sizes and lengths; throws {@link IllegalArgumentException}. */
  public SignedTreeHead {
    if (treeSize < 0 || timestampMs < 0) {
      throw new IllegalArgumentException("tree size and timestamp must be non-negative");
    }
    if (Objects.requireNonNull(rootHash, "rootHash").length != TreeHashes.HASH_LENGTH) {
      throw new IllegalArgumentException("root hash must be 32 bytes");
    }
    if (Objects.requireNonNull(signature, "signature").length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException("signature must be 64 bytes");
    }
    rootHash = rootHash.clone();
    signature = signature.clone();
  }

  /** A copy of the root hash. */
  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  /** A copy of the signature. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** Throws {@link KtException.Reason#BAD_SIGNATURE} unless {@code logKey} signed this head. */
  public void verify(LogPublicKey logKey) throws KtException {
    if (!logKey.verify(toBeSigned(treeSize, rootHash, timestampMs), signature)) {
      throw new KtException(KtException.Reason.BAD_SIGNATURE,
          "tree head of size " + treeSize + " not signed by the log key");
    }
  }

  static byte[] toBeSigned(long treeSize, byte[] rootHash, long timestampMs) {
    return new Wire.Writer().bytes(LABEL).u64(treeSize).bytes(rootHash).u64(timestampMs)
        .toByteArray();
  }

  /** The wire form in the class javadoc. */
  public byte[] encode() {
    return new Wire.Writer().u8(VERSION).u64(treeSize).bytes(rootHash).u64(timestampMs)
        .bytes(signature).toByteArray();
  }

  /** Decodes exactly one tree head (unverified); anything else is {@code MALFORMED}. */
  public static SignedTreeHead decode(byte[] bytes) throws KtException {
    Wire.Reader r = new Wire.Reader(bytes, "signed tree head");
    int version = r.u8();
    if (version != VERSION) {
      throw r.malformed("unknown version " + version);
    }
    long size = r.u63("tree size");
    byte[] root = r.bytes(TreeHashes.HASH_LENGTH);
    long timestamp = r.u63("timestamp");
    byte[] signature = r.bytes(SIGNATURE_LENGTH);
    r.end();
    return new SignedTreeHead(size, root, timestamp, signature);
  }

  /** Whether both heads commit to the same tree (size and root), ignoring time and signature. */
  public boolean sameTree(SignedTreeHead other) {
    return treeSize == other.treeSize && Arrays.equals(rootHash, other.rootHash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedTreeHead h && treeSize == h.treeSize && timestampMs == h.timestampMs
        && Arrays.equals(rootHash, h.rootHash) && Arrays.equals(signature, h.signature);
  }

  @Override
  public int hashCode() {
    return (Objects.hash(treeSize, timestampMs) * 31 + Arrays.hashCode(rootHash)) * 31
        + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedTreeHead[size " + treeSize + ", root " + HexFormat.of().formatHex(rootHash)
        + ", at " + timestampMs + "]";
  }
}
