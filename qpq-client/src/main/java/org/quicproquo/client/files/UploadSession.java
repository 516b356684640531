package org.quicproquo.client.files;

import java.util.Arrays;
import java.util.Objects;

/**
 * An upload in progress: enough to resume it after a disconnect or a restart of the client
 * ({@link FileTransfer#upload(UploadSession, java.nio.file.Path, TransferProgress)}). Holds the
 * file key: persist it only in the client's encrypted store.
 *
 * @param blobId the reserved blob
 * @param key the file key
 * @param size plaintext bytes of the file
 * @param plainChunkSize plaintext bytes per chunk
 * @param name file name for the reference
 * @param mediaType media type for the reference
 */
public record UploadSession(byte[] blobId, byte[] key, long size, int plainChunkSize, String name,
    String mediaType) {
  public UploadSession {
    blobId = blobId.clone();
    key = key.clone();
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mediaType, "mediaType");
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
  public boolean equals(Object o) {
    return o instanceof UploadSession u && Arrays.equals(blobId, u.blobId)
        && Arrays.equals(key, u.key) && size == u.size && plainChunkSize == u.plainChunkSize
        && name.equals(u.name) && mediaType.equals(u.mediaType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(blobId), size, plainChunkSize, name, mediaType);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "UploadSession[" + name + ", " + size + " bytes]";
  }
}
