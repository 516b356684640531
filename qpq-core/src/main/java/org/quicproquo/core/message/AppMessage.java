package org.quicproquo.core.message;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An application message, the plaintext one group member sends the others inside MLS
 * application data. On the wire: one type byte ({@link AppMessageType}) then a Cap'n Proto body
 * ({@code app.capnp}); {@link AppMessageCodec} converts.
 *
 * <p>Every known message ({@link Known}) carries the sender's random {@link MessageId} and the
 * sender's clock ({@code sentAt}, millisecond precision, not before the epoch). Constructors
 * enforce the limits below and throw {@link IllegalArgumentException}; the codec reports the same
 * violations in received bytes as {@link AppMessageException}. Text lengths are UTF-8 bytes.
 * A type the codec does not know is kept as {@link Unsupported} and re-encoded unchanged.
 */
public sealed interface AppMessage permits AppMessage.Known, AppMessage.Unsupported {
  /** Longest text body (text, reply, edit), in UTF-8 bytes. */
  int MAX_TEXT_BYTES = 16 * 1024;
  /** Longest reaction emoji, in UTF-8 bytes (long ZWJ and tag sequences are 25-28 bytes). */
  int MAX_EMOJI_BYTES = 32;
  /** Longest file name, in UTF-8 bytes. */
  int MAX_FILE_NAME_BYTES = 255;
  /** Longest media type, in bytes (RFC 6838 allows 127 per part). */
  int MAX_MEDIA_TYPE_BYTES = 255;
  /** Longest blob id, in bytes. */
  int MAX_BLOB_ID_BYTES = 64;
  /** File key length (a 256-bit symmetric key). */
  int FILE_KEY_BYTES = 32;
  /** File hash length (SHA-256). */
  int FILE_HASH_BYTES = 32;
  /** Most message ids in one read receipt. */
  int MAX_READ_IDS = 256;
  /** Longest disappearing timer (the UInt32 range of the wire field), in seconds. */
  long MAX_TIMER_SECONDS = 0xFFFF_FFFFL;

  /** The wire type byte (0..255). */
  int typeCode();

  /** A message of a type this version understands. */
  sealed interface Known extends AppMessage
      permits Text, Reply, Reaction, Edit, Delete, ReadReceipt, Typing, FileRef, DisappearingTimer {
    /** The sender-chosen id. */
    MessageId id();

    /** The sender's clock when sending. */
    Instant sentAt();

    /** The type. */
    AppMessageType type();

    @Override
    default int typeCode() {
      return type().code();
    }
  }

  /** 0x01: plain text, 1 to {@link #MAX_TEXT_BYTES} bytes. */
  record Text(MessageId id, Instant sentAt, String body) implements Known {
    /** @throws IllegalArgumentException on a null field, a bad time or a bad body */
    public Text {
      Checks.header(id, sentAt);
      Checks.text(body, "body", 1, MAX_TEXT_BYTES);
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.TEXT;
    }
  }

  /** 0x02: text quoting the message {@code inReplyTo}. */
  record Reply(MessageId id, Instant sentAt, MessageId inReplyTo, String body) implements Known {
    /** @throws IllegalArgumentException on a null field, a bad time or a bad body */
    public Reply {
      Checks.header(id, sentAt);
      Objects.requireNonNull(inReplyTo, "inReplyTo");
      Checks.text(body, "body", 1, MAX_TEXT_BYTES);
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.REPLY;
    }
  }

  /** 0x03: adds ({@code remove == false}) or withdraws an emoji reaction to {@code target}. */
  record Reaction(MessageId id, Instant sentAt, MessageId target, String emoji, boolean remove) implements Known {
    /** @throws IllegalArgumentException on a null field, a bad time or a bad emoji */
    public Reaction {
      Checks.header(id, sentAt);
      Objects.requireNonNull(target, "target");
      Checks.text(emoji, "emoji", 1, MAX_EMOJI_BYTES);
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.REACTION;
    }
  }

  /** 0x04: replaces the text of the sender's earlier message {@code target}. */
  record Edit(MessageId id, Instant sentAt, MessageId target, String body) implements Known {
    /** @throws IllegalArgumentException on a null field, a bad time or a bad body */
    public Edit {
      Checks.header(id, sentAt);
      Objects.requireNonNull(target, "target");
      Checks.text(body, "body", 1, MAX_TEXT_BYTES);
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.EDIT;
    }
  }

  /** 0x05: deletes the sender's earlier message {@code target} for everyone. */
  record Delete(MessageId id, Instant sentAt, MessageId target) implements Known {
    /** @throws IllegalArgumentException on a null field or a bad time */
    public Delete {
      Checks.header(id, sentAt);
      Objects.requireNonNull(target, "target");
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.DELETE;
    }
  }

  /** 0x06: the sender has read these messages (1 to {@link #MAX_READ_IDS}). */
  record ReadReceipt(MessageId id, Instant sentAt, List<MessageId> read) implements Known {
    /** @throws IllegalArgumentException on a null field, a bad time or a bad list size */
    public ReadReceipt {
      Checks.header(id, sentAt);
      read = List.copyOf(read);
      if (read.isEmpty() || read.size() > MAX_READ_IDS) {
        throw new IllegalArgumentException("read receipt must list 1 to " + MAX_READ_IDS + " ids");
      }
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.READ_RECEIPT;
    }
  }

  /** 0x07: the sender started ({@code typing == true}) or stopped typing. */
  record Typing(MessageId id, Instant sentAt, boolean typing) implements Known {
    /** @throws IllegalArgumentException on a null field or a bad time */
    public Typing {
      Checks.header(id, sentAt);
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.TYPING;
    }
  }

  /**
   * 0x08: a file stored encrypted as a blob.
   *
   * @param blobId    the server's blob id, 1 to {@link #MAX_BLOB_ID_BYTES} bytes
   * @param key       the 32-byte key that decrypts the blob
   * @param sha256    SHA-256 of the encrypted blob
   * @param size      plaintext size in bytes, &gt;= 0
   * @param name      file name, 1 to {@link #MAX_FILE_NAME_BYTES} bytes, no '/' or '\'
   * @param mediaType media type, 1 to {@link #MAX_MEDIA_TYPE_BYTES} printable ASCII bytes
   */
  record FileRef(MessageId id, Instant sentAt, byte[] blobId, byte[] key, byte[] sha256, long size, String name,
      String mediaType) implements Known {
    /** @throws IllegalArgumentException on a null field, a bad time, or a field over its limit */
    public FileRef {
      Checks.header(id, sentAt);
      if (blobId == null || blobId.length < 1 || blobId.length > MAX_BLOB_ID_BYTES) {
        throw new IllegalArgumentException("blob id must be 1 to " + MAX_BLOB_ID_BYTES + " bytes");
      }
      if (key == null || key.length != FILE_KEY_BYTES) {
        throw new IllegalArgumentException("file key must be " + FILE_KEY_BYTES + " bytes");
      }
      if (sha256 == null || sha256.length != FILE_HASH_BYTES) {
        throw new IllegalArgumentException("file hash must be " + FILE_HASH_BYTES + " bytes");
      }
      if (size < 0) {
        throw new IllegalArgumentException("file size must not be negative");
      }
      Checks.text(name, "file name", 1, MAX_FILE_NAME_BYTES);
      if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
        // A name is shown and maybe used to save the file: never a path.
        throw new IllegalArgumentException("file name must not contain a path separator");
      }
      Checks.text(mediaType, "media type", 1, MAX_MEDIA_TYPE_BYTES);
      if (!mediaType.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new IllegalArgumentException("media type must be printable ASCII without spaces");
      }
      blobId = blobId.clone();
      key = key.clone();
      sha256 = sha256.clone();
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.FILE_REF;
    }

    /** A copy of the blob id. */
    @Override
    public byte[] blobId() {
      return blobId.clone();
    }

    /** A copy of the file key. */
    @Override
    public byte[] key() {
      return key.clone();
    }

    /** A copy of the blob hash. */
    @Override
    public byte[] sha256() {
      return sha256.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FileRef f && id.equals(f.id) && sentAt.equals(f.sentAt) && Arrays.equals(blobId, f.blobId)
          && Arrays.equals(key, f.key) && Arrays.equals(sha256, f.sha256) && size == f.size && name.equals(f.name)
          && mediaType.equals(f.mediaType);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, sentAt, Arrays.hashCode(blobId), Arrays.hashCode(key), Arrays.hashCode(sha256), size,
          name, mediaType);
    }

    /** Never shows the key. */
    @Override
    public String toString() {
      return "FileRef[id=" + id + ", sentAt=" + sentAt + ", blobId=" + HexFormat.of().formatHex(blobId) + ", size="
          + size + ", name=" + name + ", mediaType=" + mediaType + "]";
    }
  }

  /** 0x09: messages disappear {@code timer} after being read; {@link Duration#ZERO} turns it off. */
  record DisappearingTimer(MessageId id, Instant sentAt, Duration timer) implements Known {
    /** @throws IllegalArgumentException on a null field, a bad time, or a timer that is negative, too long or not whole seconds */
    public DisappearingTimer {
      Checks.header(id, sentAt);
      Objects.requireNonNull(timer, "timer");
      if (timer.isNegative() || timer.getNano() != 0 || timer.getSeconds() > MAX_TIMER_SECONDS) {
        throw new IllegalArgumentException("timer must be whole seconds from 0 to " + MAX_TIMER_SECONDS);
      }
    }

    @Override
    public AppMessageType type() {
      return AppMessageType.DISAPPEARING_TIMER;
    }
  }

  /**
   * A message of a type this version does not understand (including the reserved call codes),
   * kept byte for byte so it can be stored, forwarded or handled by a later version.
   *
   * @param typeCode the type byte, not one of {@link AppMessageType}'s codes
   * @param rawBody  the body exactly as received (not checked)
   */
  record Unsupported(int typeCode, byte[] rawBody) implements AppMessage {
    /** @throws IllegalArgumentException if the code is out of 0..255 or known, or the body is null */
    public Unsupported {
      if (typeCode < 0 || typeCode > 0xff || AppMessageType.isKnown(typeCode)) {
        throw new IllegalArgumentException("not an unsupported type code: " + typeCode);
      }
      rawBody = rawBody.clone();
    }

    /** A copy of the body. */
    @Override
    public byte[] rawBody() {
      return rawBody.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unsupported u && typeCode == u.typeCode && Arrays.equals(rawBody, u.rawBody);
    }

    @Override
    public int hashCode() {
      return 31 * typeCode + Arrays.hashCode(rawBody);
    }

    @Override
    public String toString() {
      return "Unsupported[type=0x" + Integer.toHexString(typeCode) + ", " + rawBody.length + " bytes]";
    }
  }
}
