package org.quicproquo.core.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.capnproto.Data;
import org.capnproto.DataList;
import org.capnproto.MessageBuilder;
import org.capnproto.MessageReader;
import org.capnproto.ReaderOptions;
import org.capnproto.Serialize;
import org.quicproquo.proto.App;

/**
 * Encodes and decodes {@link AppMessage}s: {@code type byte || body}, the body one standard
 * (unpacked, single- or multi-segment) Cap'n Proto message whose root is the {@code app.capnp}
 * struct of that type.
 *
 * <p>Decoding is strict: the whole input must be the type byte plus exactly one message (no
 * trailing bytes); at most {@value #MAX_SEGMENTS} segments and {@value #MAX_BODY_BYTES} body bytes,
 * checked before allocating; reads are bounded by a traversal limit and a nesting limit; every
 * field of a known type must be present, of the right size and within the {@link AppMessage}
 * limits; text must be valid UTF-8. Unknown type bytes (including the reserved 0x0A-0x0D) decode
 * to {@link AppMessage.Unsupported} with the body unparsed (only its size is bounded), and encode
 * back to the same bytes. Every failure is an {@link AppMessageException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AppMessageCodec {
  /** Largest body (everything after the type byte) accepted, for every type. */
  public static final int MAX_BODY_BYTES = 64 * 1024;
  static final int MAX_SEGMENTS = 4;
  /** Generous for the largest valid body; bounds work on hostile pointer graphs. */
  private static final ReaderOptions READER_OPTIONS = new ReaderOptions(MAX_BODY_BYTES / 8 * 2, 8);

  private AppMessageCodec() {
  }

  /**
   * The first segment's size in words: for the text-bearing kinds (one per message typed) room
   * for the fixed part and the text at three UTF-8 bytes per char, so the message stays in one
   * segment without the runtime's default 8 KiB (zeroed) per encode; others keep the default.
   */
  private static int firstSegmentWords(AppMessage.Known m) {
    String text = m instanceof AppMessage.Text t ? t.body()
        : m instanceof AppMessage.Reply r ? r.body()
        : m instanceof AppMessage.Edit e ? e.body() : null;
    return text == null ? 1024 : 32 + (text.length() * 3 + 7) / 8;
  }

  /** Encodes a message: its type byte followed by its body. */
  public static byte[] encode(AppMessage message) {
    if (message instanceof AppMessage.Unsupported u) {
      byte[] body = u.rawBody();
      byte[] out = new byte[1 + body.length];
      out[0] = (byte) u.typeCode();
      System.arraycopy(body, 0, out, 1, body.length);
      return out;
    }
    AppMessage.Known known = (AppMessage.Known) message;
    MessageBuilder builder = new MessageBuilder(firstSegmentWords(known));
    byte[] id = known.id().bytes();
    long sentAt = known.sentAt().toEpochMilli();
    if (known instanceof AppMessage.Text m) {
      App.TextMessage.Builder b = builder.initRoot(App.TextMessage.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setBody(new org.capnproto.Text.Reader(m.body()));
    } else if (known instanceof AppMessage.Reply m) {
      App.Reply.Builder b = builder.initRoot(App.Reply.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setInReplyTo(m.inReplyTo().bytes());
      b.setBody(new org.capnproto.Text.Reader(m.body()));
    } else if (known instanceof AppMessage.Reaction m) {
      App.Reaction.Builder b = builder.initRoot(App.Reaction.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setTarget(m.target().bytes());
      b.setEmoji(new org.capnproto.Text.Reader(m.emoji()));
      b.setRemove(m.remove());
    } else if (known instanceof AppMessage.Edit m) {
      App.Edit.Builder b = builder.initRoot(App.Edit.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setTarget(m.target().bytes());
      b.setBody(new org.capnproto.Text.Reader(m.body()));
    } else if (known instanceof AppMessage.Delete m) {
      App.Delete.Builder b = builder.initRoot(App.Delete.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setTarget(m.target().bytes());
    } else if (known instanceof AppMessage.ReadReceipt m) {
      App.ReadReceipt.Builder b = builder.initRoot(App.ReadReceipt.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      DataList.Builder list = b.initRead(m.read().size());
      for (int i = 0; i < m.read().size(); i++) {
        list.set(i, new Data.Reader(m.read().get(i).bytes()));
      }
    } else if (known instanceof AppMessage.Typing m) {
      App.Typing.Builder b = builder.initRoot(App.Typing.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setTyping(m.typing());
    } else if (known instanceof AppMessage.FileRef m) {
      App.FileRef.Builder b = builder.initRoot(App.FileRef.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setBlobId(m.blobId());
      b.setKey(m.key());
      b.setSha256(m.sha256());
      b.setSize(m.size());
      b.setName(new org.capnproto.Text.Reader(m.name()));
      b.setMediaType(new org.capnproto.Text.Reader(m.mediaType()));
    } else if (known instanceof AppMessage.DisappearingTimer m) {
      App.DisappearingTimer.Builder b = builder.initRoot(App.DisappearingTimer.factory);
      b.setMessageId(id);
      b.setSentAtMillis(sentAt);
      b.setSeconds((int) m.timer().getSeconds());
    } else {
      throw new IllegalStateException("unhandled message type " + known.type());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(known.typeCode());
    try {
      Serialize.write(Channels.newChannel(out), builder);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes untrusted bytes.
   *
   * @throws AppMessageException if the bytes are not a valid application message
   */
  public static AppMessage decode(byte[] bytes) throws AppMessageException {
    if (bytes == null || bytes.length < 1) {
      throw new AppMessageException("empty application message");
    }
    if (bytes.length - 1 > MAX_BODY_BYTES) {
      throw new AppMessageException("application message body larger than " + MAX_BODY_BYTES + " bytes");
    }
    int typeCode = bytes[0] & 0xff;
    if (!AppMessageType.isKnown(typeCode)) {
      return new AppMessage.Unsupported(typeCode, Arrays.copyOfRange(bytes, 1, bytes.length));
    }
    AppMessageType type = AppMessageType.fromCode(typeCode);
    MessageReader reader = readMessage(bytes);
    try {
      return switch (type) {
        case TEXT -> {
          App.TextMessage.Reader r = reader.getRoot(App.TextMessage.factory);
          yield new AppMessage.Text(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              text(r.hasBody(), r.getBody(), "body"));
        }
        case REPLY -> {
          App.Reply.Reader r = reader.getRoot(App.Reply.factory);
          yield new AppMessage.Reply(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              id(r.hasInReplyTo(), r.getInReplyTo()), text(r.hasBody(), r.getBody(), "body"));
        }
        case REACTION -> {
          App.Reaction.Reader r = reader.getRoot(App.Reaction.factory);
          yield new AppMessage.Reaction(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              id(r.hasTarget(), r.getTarget()), text(r.hasEmoji(), r.getEmoji(), "emoji"), r.getRemove());
        }
        case EDIT -> {
          App.Edit.Reader r = reader.getRoot(App.Edit.factory);
          yield new AppMessage.Edit(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              id(r.hasTarget(), r.getTarget()), text(r.hasBody(), r.getBody(), "body"));
        }
        case DELETE -> {
          App.Delete.Reader r = reader.getRoot(App.Delete.factory);
          yield new AppMessage.Delete(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              id(r.hasTarget(), r.getTarget()));
        }
        case READ_RECEIPT -> {
          App.ReadReceipt.Reader r = reader.getRoot(App.ReadReceipt.factory);
          if (!r.hasRead()) {
            throw new AppMessageException("read receipt lists no ids");
          }
          DataList.Reader list = r.getRead();
          if (list.size() < 1 || list.size() > AppMessage.MAX_READ_IDS) {
            throw new AppMessageException("read receipt must list 1 to " + AppMessage.MAX_READ_IDS + " ids");
          }
          List<MessageId> read = new ArrayList<>(list.size());
          for (int i = 0; i < list.size(); i++) {
            read.add(id(true, list.get(i)));
          }
          yield new AppMessage.ReadReceipt(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              read);
        }
        case TYPING -> {
          App.Typing.Reader r = reader.getRoot(App.Typing.factory);
          yield new AppMessage.Typing(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              r.getTyping());
        }
        case FILE_REF -> {
          App.FileRef.Reader r = reader.getRoot(App.FileRef.factory);
          yield new AppMessage.FileRef(id(r.hasMessageId(), r.getMessageId()), sentAt(r.getSentAtMillis()),
              data(r.hasBlobId(), r.getBlobId(), "blob id"), data(r.hasKey(), r.getKey(), "file key"),
              data(r.hasSha256(), r.getSha256(), "file hash"), size(r.getSize()),
              text(r.hasName(), r.getName(), "file name"), text(r.hasMediaType(), r.getMediaType(), "media type"));
        }
        case DISAPPEARING_TIMER -> {
          App.DisappearingTimer.Reader r = reader.getRoot(App.DisappearingTimer.factory);
          yield new AppMessage.DisappearingTimer(id(r.hasMessageId(), r.getMessageId()),
              sentAt(r.getSentAtMillis()), Duration.ofSeconds(Integer.toUnsignedLong(r.getSeconds())));
        }
      };
    } catch (IllegalArgumentException e) {
      // A record constructor rejected a decoded value (limit, size or format).
      throw new AppMessageException("invalid " + type + " message: " + e.getMessage());
    } catch (AppMessageException e) {
      throw e;
    } catch (RuntimeException e) {
      // The runtime signals malformed pointers with DecodeException but also with buffer and
      // index exceptions; all mean the same here.
      throw new AppMessageException("malformed " + type + " body", e);
    }
  }

  /** Checks the segment table against the input length before building the reader. */
  private static MessageReader readMessage(byte[] bytes) throws AppMessageException {
    ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1).slice().order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < 8) {
      throw new AppMessageException("body too short for a Cap'n Proto message");
    }
    long count = Integer.toUnsignedLong(in.getInt(0)) + 1;
    if (count > MAX_SEGMENTS) {
      throw new AppMessageException("body has more than " + MAX_SEGMENTS + " segments");
    }
    int headerBytes = (int) ((4 + 4 * count + 7) / 8 * 8);
    if (in.remaining() < headerBytes) {
      throw new AppMessageException("body truncated in the segment table");
    }
    long total = headerBytes;
    int[] words = new int[(int) count];
    for (int i = 0; i < count; i++) {
      long w = Integer.toUnsignedLong(in.getInt(4 + 4 * i));
      total += 8 * w;
      if (total > in.remaining()) {
        throw new AppMessageException("body shorter than its segment table says");
      }
      words[i] = (int) w;
    }
    if (total != in.remaining()) {
      throw new AppMessageException("trailing bytes after the Cap'n Proto message");
    }
    ByteBuffer[] segments = new ByteBuffer[(int) count];
    int offset = headerBytes;
    for (int i = 0; i < count; i++) {
      ByteBuffer seg = in.duplicate();
      seg.position(offset).limit(offset + 8 * words[i]);
      segments[i] = seg.slice().order(ByteOrder.LITTLE_ENDIAN);
      offset += 8 * words[i];
    }
    if (words[0] == 0) {
      throw new AppMessageException("first segment is empty (no root pointer)");
    }
    return new MessageReader(segments, READER_OPTIONS);
  }

  private static MessageId id(boolean present, Data.Reader data) throws AppMessageException {
    if (!present || data.size() != MessageId.SIZE) {
      throw new AppMessageException("message id must be " + MessageId.SIZE + " bytes");
    }
    return new MessageId(data.toArray());
  }

  private static Instant sentAt(long millis) throws AppMessageException {
    if (millis < 0) {
      throw new AppMessageException("sent-at beyond the supported range");
    }
    return Instant.ofEpochMilli(millis);
  }

  private static long size(long size) throws AppMessageException {
    if (size < 0) {
      throw new AppMessageException("file size beyond the supported range");
    }
    return size;
  }

  private static byte[] data(boolean present, Data.Reader data, String field) throws AppMessageException {
    if (!present) {
      throw new AppMessageException(field + " is missing");
    }
    return data.toArray();
  }

  private static String text(boolean present, org.capnproto.Text.Reader text, String field)
      throws AppMessageException {
    if (!present) {
      throw new AppMessageException(field + " is missing");
    }
    return Utf8.decode(text.asByteBuffer(), field);
  }
}
