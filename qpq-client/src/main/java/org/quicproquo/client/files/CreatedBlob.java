package org.quicproquo.client.files;

import java.util.Arrays;

/**
 * A blob the server reserved ({@code createBlob @12}).
 *
 * @param blobId the server-chosen 16-byte id (a read capability: keep it inside MLS)
 * @param expiresAtMillis when the server will delete the blob
 */
public record CreatedBlob(byte[] blobId, long expiresAtMillis) {
  public CreatedBlob {
    blobId = blobId.clone();
  }

  @Override
  public byte[] blobId() {
    return blobId.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CreatedBlob c && Arrays.equals(blobId, c.blobId)
        && expiresAtMillis == c.expiresAtMillis;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blobId) * 31 + Long.hashCode(expiresAtMillis);
  }
}
