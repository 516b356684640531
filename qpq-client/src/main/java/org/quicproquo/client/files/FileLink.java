package org.quicproquo.client.files;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.quicproquo.core.message.AppMessage;
import org.quicproquo.core.message.MessageId;

/**
 * What a recipient needs to fetch and verify a file: the blob id, the file key, the SHA-256 of the
 * plaintext, its size, name and media type. Travels inside MLS as an {@link AppMessage.FileRef}
 * ({@link #toFileRef}, {@link #of}); never send it in the clear (the key decrypts the file and the
 * id lets any logged-in user fetch the ciphertext).
 */
public record FileLink(byte[] blobId, byte[] key, byte[] sha256, long size, String name,
    String mediaType) {
  public FileLink {
    blobId = blobId.clone();
    key = key.clone();
    sha256 = sha256.clone();
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mediaType, "mediaType");
  }

  /** The reference carried inside MLS, as an application message. */
  public AppMessage.FileRef toFileRef(MessageId id, Instant sentAt) {
    return new AppMessage.FileRef(id, sentAt, blobId, key, sha256, size, name, mediaType);
  }

  /** The link a received reference describes. */
  public static FileLink of(AppMessage.FileRef ref) {
    return new FileLink(ref.blobId(), ref.key(), ref.sha256(), ref.size(), ref.name(),
        ref.mediaType());
  }

  @Override
  public byte[] blobId() {
    return blobId.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileLink f && Arrays.equals(blobId, f.blobId) && Arrays.equals(key, f.key)
        && Arrays.equals(sha256, f.sha256) && size == f.size && name.equals(f.name)
        && mediaType.equals(f.mediaType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(blobId), Arrays.hashCode(sha256), size, name, mediaType);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "FileLink[" + name + ", " + mediaType + ", " + size + " bytes]";
  }
}
