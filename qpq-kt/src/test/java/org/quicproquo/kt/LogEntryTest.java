package org.quicproquo.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogEntryTest {
  private static final String NAME = "alice@example.org";

  private static byte[] key(int fill) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) fill);
    return k;
  }

  static List<LogEntry> oneOfEach() {
    return List.of(
        LogEntry.register(0, 1000, NAME, key(1)),
        LogEntry.deviceAdded(1, 1001, NAME, 7, key(2)),
        LogEntry.deviceRevoked(2, 1002, NAME, 7, key(2)),
        LogEntry.keyChanged(3, 1003, NAME, key(3)),
        LogEntry.deleted(4, 1004, NAME));
  }

  @Test
  void everyKindRoundTrips() throws KtException {
    for (LogEntry e : oneOfEach()) {
      assertThat(LogEntry.decode(e.encode())).isEqualTo(e);
    }
  }

  @Test
  void encodingIsTheDocumentedLayout() {
    byte[] encoded = LogEntry.deviceAdded(5, 6, "a@b", 7, key(9)).encode();
    String hex = HexFormat.of().formatHex(encoded);
    assertThat(hex).isEqualTo("01" + "02" + "0000000000000005" + "0000000000000006" + "0003"
        + "614062" + "0000000000000007" + "09".repeat(32));
    assertThat(LogEntry.deleted(1, 2, "a@b").encode()).hasSize(1 + 1 + 8 + 8 + 2 + 3);
  }

  @Test
  void decodeRejectsTrailingBytesAndEveryTruncation() {
    for (LogEntry e : oneOfEach()) {
      byte[] encoded = e.encode();
      byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
      assertMalformed(longer);
      for (int len = 0; len < encoded.length; len++) {
        assertMalformed(Arrays.copyOf(encoded, len));
      }
    }
  }

  @Test
  void decodeRejectsUnknownVersionKindAndBadFields() {
    byte[] good = LogEntry.register(0, 1, NAME, key(1)).encode();
    byte[] badVersion = good.clone();
    badVersion[0] = 2;
    assertMalformed(badVersion);
    for (int kind : new int[] {0, 6, 255}) {
      byte[] badKind = good.clone();
      badKind[1] = (byte) kind;
      assertMalformed(badKind);
    }
    byte[] hugeSequence = good.clone();
    hugeSequence[2] = (byte) 0x80;
    assertMalformed(hugeSequence);
    byte[] spaceInName = good.clone();
    spaceInName[20] = ' ';
    assertMalformed(spaceInName);
    byte[] nonAscii = good.clone();
    nonAscii[20] = (byte) 0xc3;
    assertMalformed(nonAscii);
    byte[] emptyName = new Wire.Writer().u8(1).u8(5).u64(0).u64(0).u16(0).toByteArray();
    assertMalformed(emptyName);
    // a length beyond 320 is refused before the name is read
    byte[] hugeName = new Wire.Writer().u8(1).u8(5).u64(0).u64(0).u16(0xffff)
        .bytes("a".repeat(0xffff).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .toByteArray();
    assertMalformed(hugeName);
  }

  @Test
  void constructorEnforcesTheFieldsOfEachKind() {
    assertThatThrownBy(() -> LogEntry.register(0, 0, NAME, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogEntry(0, 0, EntryKind.DELETED, NAME, 0, key(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LogEntry(0, 0, EntryKind.REGISTER, NAME, 3, key(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogEntry.deviceAdded(0, 0, NAME, -1, key(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogEntry.deleted(-1, 0, NAME)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogEntry.deleted(0, 0, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LogEntry.deleted(0, 0, "x".repeat(321)))
        .isInstanceOf(IllegalArgumentException.class);
    // the longest qpq user name (64 + 1 + 253 characters, rule UN-1) fits
    String longest = "a".repeat(64) + "@" + "b".repeat(253);
    assertThat(LogEntry.deleted(0, 0, longest).name()).hasSize(318);
  }

  @Test
  void keysAreCopiedInAndOut() {
    byte[] k = key(1);
    LogEntry e = LogEntry.register(0, 0, NAME, k);
    k[0] = 9;
    e.key()[1] = 9;
    assertThat(e.key()).isEqualTo(key(1));
  }

  @Test
  void entryKindCodesAreStable() throws KtException {
    for (EntryKind k : EntryKind.values()) {
      assertThat(EntryKind.fromCode(k.code())).isEqualTo(k);
    }
    assertThat(EntryKind.REGISTER.code()).isEqualTo(1);
    assertThat(EntryKind.DELETED.code()).isEqualTo(5);
  }

  private static void assertMalformed(byte[] bytes) {
    assertThatThrownBy(() -> LogEntry.decode(bytes)).isInstanceOf(KtException.class)
        .extracting(t -> ((KtException) t).reason()).isEqualTo(KtException.Reason.MALFORMED);
  }
}
