package org.quicproquo.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.capnproto.MessageBuilder;
import org.capnproto.Serialize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicproquo.proto.App;

class AppMessageCodecTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant AT = Instant.ofEpochMilli(1_764_000_000_123L);

  private static MessageId id() {
    return MessageId.random(RANDOM);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static Stream<AppMessage> everyType() {
    return Stream.of(
        new AppMessage.Text(id(), AT, "hello \uD83D\uDC4B w\u00f6rld\nline 2"),
        new AppMessage.Reply(id(), AT, id(), "quoting you"),
        new AppMessage.Reaction(id(), AT, id(), "\uD83D\uDC4D", false),
        new AppMessage.Reaction(id(), AT, id(), "\u2764\uFE0F", true),
        new AppMessage.Edit(id(), AT, id(), "fixed typo"),
        new AppMessage.Delete(id(), AT, id()),
        new AppMessage.ReadReceipt(id(), AT, List.of(id(), id(), id())),
        new AppMessage.Typing(id(), AT, true),
        new AppMessage.Typing(id(), Instant.EPOCH, false),
        new AppMessage.FileRef(id(), AT, bytes(16), bytes(32), bytes(32), 123_456_789L, "photo 1.png", "image/png"),
        new AppMessage.DisappearingTimer(id(), AT, Duration.ofDays(7)),
        new AppMessage.DisappearingTimer(id(), AT, Duration.ZERO),
        new AppMessage.DisappearingTimer(id(), AT, Duration.ofSeconds(AppMessage.MAX_TIMER_SECONDS)));
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void roundTripsEveryType(AppMessage message) throws Exception {
    byte[] encoded = AppMessageCodec.encode(message);
    assertThat(encoded[0] & 0xff).isEqualTo(message.typeCode());
    AppMessage decoded = AppMessageCodec.decode(encoded);
    assertThat(decoded).isEqualTo(message).hasSameHashCodeAs(message);
    assertThat(AppMessageCodec.encode(decoded)).isEqualTo(encoded);
  }

  @Test
  void typeCodesAreStable() throws Exception {
    int[] expected = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    AppMessageType[] types = AppMessageType.values();
    for (int i = 0; i < expected.length; i++) {
      assertThat(types[i].code()).isEqualTo(expected[i]);
      assertThat(AppMessageType.fromCode(expected[i])).isSameAs(types[i]);
    }
    assertThatThrownBy(() -> AppMessageType.fromCode(0x0A)).isInstanceOf(AppMessageException.class);
    assertThat(everyType().map(AppMessage::typeCode).distinct().count()).isEqualTo(9);
  }

  @Test
  void bodyIsTheDocumentedCapnpStruct() throws Exception {
    MessageId id = id();
    MessageBuilder builder = new MessageBuilder();
    App.TextMessage.Builder b = builder.initRoot(App.TextMessage.factory);
    b.setMessageId(id.bytes());
    b.setSentAtMillis(AT.toEpochMilli());
    b.setBody(new org.capnproto.Text.Reader("hi"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x01);
    Serialize.write(Channels.newChannel(out), builder);
    assertThat(AppMessageCodec.decode(out.toByteArray())).isEqualTo(new AppMessage.Text(id, AT, "hi"));
  }

  @Test
  void unknownAndReservedTypesAreKeptUnchanged() throws Exception {
    for (int code : new int[] {0x00, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x42, 0xff}) {
      byte[] wire = new byte[1 + 40];
      RANDOM.nextBytes(wire);
      wire[0] = (byte) code;
      AppMessage decoded = AppMessageCodec.decode(wire);
      assertThat(decoded).isInstanceOf(AppMessage.Unsupported.class);
      assertThat(decoded.typeCode()).isEqualTo(code);
      assertThat(((AppMessage.Unsupported) decoded).rawBody()).isEqualTo(Arrays.copyOfRange(wire, 1, wire.length));
      assertThat(AppMessageCodec.encode(decoded)).isEqualTo(wire);
    }
    assertThat(AppMessageCodec.encode(AppMessageCodec.decode(new byte[] {0x0C}))).containsExactly(0x0C);
    assertThatThrownBy(() -> new AppMessage.Unsupported(0x01, new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyAndOversizedInputsAreRejected() {
    assertThatThrownBy(() -> AppMessageCodec.decode(new byte[0])).isInstanceOf(AppMessageException.class);
    assertThatThrownBy(() -> AppMessageCodec.decode(null)).isInstanceOf(AppMessageException.class);
    byte[] huge = new byte[AppMessageCodec.MAX_BODY_BYTES + 2];
    huge[0] = 0x42;
    assertThatThrownBy(() -> AppMessageCodec.decode(huge)).hasMessageContaining("larger");
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void everyTruncationIsATypedError(AppMessage message) {
    byte[] encoded = AppMessageCodec.encode(message);
    for (int len = 1; len < encoded.length; len++) {
      byte[] cut = Arrays.copyOf(encoded, len);
      assertThatThrownBy(() -> AppMessageCodec.decode(cut)).as("length %d", len)
          .isInstanceOf(AppMessageException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void trailingBytesAreRejected(AppMessage message) {
    byte[] encoded = AppMessageCodec.encode(message);
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 8);
    assertThatThrownBy(() -> AppMessageCodec.decode(longer)).hasMessageContaining("trailing");
  }

  @Test
  void missingFieldsAreRejected() throws Exception {
    MessageBuilder builder = new MessageBuilder();
    App.TextMessage.Builder b = builder.initRoot(App.TextMessage.factory);
    b.setSentAtMillis(1);
    b.setBody(new org.capnproto.Text.Reader("no id"));
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x01, builder))).hasMessageContaining("message id");
    MessageBuilder noBody = new MessageBuilder();
    noBody.initRoot(App.TextMessage.factory).setMessageId(id().bytes());
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x01, noBody))).hasMessageContaining("body is missing");
    MessageBuilder shortId = new MessageBuilder();
    App.Delete.Builder d = shortId.initRoot(App.Delete.factory);
    d.setMessageId(id().bytes());
    d.setTarget(new byte[15]);
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x05, shortId))).hasMessageContaining("16 bytes");
  }

  @Test
  void decodedValuesAreCheckedAgainstTheLimits() throws Exception {
    MessageBuilder longEmoji = new MessageBuilder();
    App.Reaction.Builder r = longEmoji.initRoot(App.Reaction.factory);
    r.setMessageId(id().bytes());
    r.setTarget(id().bytes());
    r.setEmoji(new org.capnproto.Text.Reader("\uD83D\uDC4D".repeat(9)));
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x03, longEmoji))).hasMessageContaining("emoji");

    byte[] text = {'a', (byte) 0xC3, 'b'};
    MessageBuilder raw = new MessageBuilder();
    App.TextMessage.Builder t3 = raw.initRoot(App.TextMessage.factory);
    t3.setMessageId(id().bytes());
    t3.setBody(new org.capnproto.Text.Reader(java.nio.ByteBuffer.wrap(text), 0, text.length));
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x01, raw))).hasMessageContaining("UTF-8");

    MessageBuilder bigSize = new MessageBuilder();
    App.FileRef.Builder f = bigSize.initRoot(App.FileRef.factory);
    f.setMessageId(id().bytes());
    f.setBlobId(bytes(8));
    f.setKey(bytes(32));
    f.setSha256(bytes(32));
    f.setSize(-1L);
    f.setName(new org.capnproto.Text.Reader("a"));
    f.setMediaType(new org.capnproto.Text.Reader("a/b"));
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x08, bigSize))).hasMessageContaining("file size");

    MessageBuilder path = new MessageBuilder();
    App.FileRef.Builder p = path.initRoot(App.FileRef.factory);
    p.setMessageId(id().bytes());
    p.setBlobId(bytes(8));
    p.setKey(bytes(32));
    p.setSha256(bytes(32));
    p.setName(new org.capnproto.Text.Reader("../../etc/passwd"));
    p.setMediaType(new org.capnproto.Text.Reader("a/b"));
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x08, path))).hasMessageContaining("path separator");

    MessageBuilder tooMany = new MessageBuilder();
    App.ReadReceipt.Builder rr = tooMany.initRoot(App.ReadReceipt.factory);
    rr.setMessageId(id().bytes());
    org.capnproto.DataList.Builder list = rr.initRead(AppMessage.MAX_READ_IDS + 1);
    for (int i = 0; i < AppMessage.MAX_READ_IDS + 1; i++) {
      list.set(i, new org.capnproto.Data.Reader(id().bytes()));
    }
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x06, tooMany))).hasMessageContaining("read receipt");

    MessageBuilder negativeTime = new MessageBuilder();
    App.Typing.Builder ty = negativeTime.initRoot(App.Typing.factory);
    ty.setMessageId(id().bytes());
    ty.setSentAtMillis(-5);
    assertThatThrownBy(() -> AppMessageCodec.decode(wire(0x07, negativeTime))).hasMessageContaining("sent-at");
  }

  @Test
  void constructorsEnforceLimits() {
    MessageId id = id();
    assertThat(new AppMessage.Text(id, AT, "x".repeat(AppMessage.MAX_TEXT_BYTES)).body()).hasSize(16384);
    assertThatThrownBy(() -> new AppMessage.Text(id, AT, "x".repeat(AppMessage.MAX_TEXT_BYTES + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.Text(id, AT, "\u00e9".repeat(AppMessage.MAX_TEXT_BYTES / 2 + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.Text(id, AT, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.Text(id, AT, "a\uD800b")).hasMessageContaining("surrogate");
    assertThatThrownBy(() -> new AppMessage.Text(id, AT, "a\0b")).hasMessageContaining("NUL");
    assertThatThrownBy(() -> new AppMessage.Text(id, Instant.ofEpochMilli(-1), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.Text(id, Instant.ofEpochSecond(1, 1), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.Reaction(id, AT, id, "x".repeat(AppMessage.MAX_EMOJI_BYTES + 1), false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.ReadReceipt(id, AT, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.ReadReceipt(id, AT, Collections.nCopies(AppMessage.MAX_READ_IDS + 1, id)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fileRef("x".repeat(AppMessage.MAX_FILE_NAME_BYTES + 1), "a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fileRef("dir/x", "a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fileRef("x", "image /png")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.FileRef(id, AT, new byte[0], bytes(32), bytes(32), 1, "x", "a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.FileRef(id, AT, bytes(4), bytes(31), bytes(32), 1, "x", "a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.DisappearingTimer(id, AT, Duration.ofSeconds(AppMessage.MAX_TIMER_SECONDS + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AppMessage.DisappearingTimer(id, AT, Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fileRefToStringHidesTheKey() {
    byte[] key = bytes(32);
    AppMessage.FileRef ref = new AppMessage.FileRef(id(), AT, bytes(8), key, bytes(32), 1, "x", "a/b");
    assertThat(ref.toString()).doesNotContain(java.util.HexFormat.of().formatHex(key));
  }

  @Test
  void randomBytesOnlyGiveTheTypedError() {
    for (int i = 0; i < 10_000; i++) {
      byte[] junk = bytes(1 + RANDOM.nextInt(i % 10 == 0 ? 600 : 80));
      junk[0] = (byte) (1 + RANDOM.nextInt(9));
      if (junk.length > 8 && RANDOM.nextBoolean()) {
        // a plausible single-segment table so the decoder gets past the framing checks
        int words = (junk.length - 9) / 8;
        junk = Arrays.copyOf(junk, 9 + 8 * words);
        junk[1] = 0;
        junk[2] = 0;
        junk[3] = 0;
        junk[4] = 0;
        junk[5] = (byte) words;
        junk[6] = (byte) (words >> 8);
        junk[7] = 0;
        junk[8] = 0;
      }
      decodeExpectingOnlyTypedErrors(junk);
    }
  }

  @Test
  void mutatedValidMessagesOnlyGiveTheTypedError() {
    List<byte[]> valid = new ArrayList<>();
    everyType().forEach(m -> valid.add(AppMessageCodec.encode(m)));
    for (int i = 0; i < 10_000; i++) {
      byte[] wire = valid.get(RANDOM.nextInt(valid.size())).clone();
      int flips = 1 + RANDOM.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int pos = 1 + RANDOM.nextInt(wire.length - 1);
        wire[pos] = (byte) RANDOM.nextInt(256);
      }
      decodeExpectingOnlyTypedErrors(wire);
    }
  }

  private static void decodeExpectingOnlyTypedErrors(byte[] wire) {
    try {
      AppMessage decoded = AppMessageCodec.decode(wire);
      // Whatever decodes must be a valid message that survives a second round trip.
      assertThat(AppMessageCodec.decode(AppMessageCodec.encode(decoded))).isEqualTo(decoded);
    } catch (AppMessageException expected) {
      // the only failure allowed
    }
  }

  private static AppMessage.FileRef fileRef(String name, String mediaType) {
    return new AppMessage.FileRef(id(), AT, bytes(8), bytes(32), bytes(32), 1, name, mediaType);
  }

  private static byte[] wire(int type, MessageBuilder builder) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    Serialize.write(Channels.newChannel(out), builder);
    return out.toByteArray();
  }
  /** Text of every width stays in one segment (the first one is sized to the text). */
  @ParameterizedTest
  @MethodSource("texts")
  void textBearingMessagesAreOneSegment(String text) throws Exception {
    for (AppMessage m : List.of(new AppMessage.Text(id(), AT, text),
        new AppMessage.Reply(id(), AT, id(), text), new AppMessage.Edit(id(), AT, id(), text))) {
      byte[] encoded = AppMessageCodec.encode(m);
      // After the type byte: the segment table, whose first word is (segment count - 1).
      assertThat(Arrays.copyOfRange(encoded, 1, 5)).containsExactly(0, 0, 0, 0);
      assertThat(AppMessageCodec.decode(encoded)).isEqualTo(m);
    }
  }

  static Stream<String> texts() {
    // Up to the 16 KiB body limit, in 1-, 3- and 4-byte characters and a mix of all widths.
    return Stream.of("a", "x".repeat(16_384), "\u20ac".repeat(5_461),
        "\uD83D\uDE00".repeat(4_096), "\u00e9a\u4e2d\uD83D\uDC4B".repeat(1_638));
  }
}
