package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.store.StoredMessage;

class ChatFormatTest {
  private static final long T = 1_700_000_000_000L; // 2023-11-14T22:13:20Z
  private final ChatFormat format = new ChatFormat(ZoneOffset.UTC);

  private static StoredMessage line(StoredMessage.Kind kind, String sender, String body) {
    return new StoredMessage(new byte[16], new byte[16], sender, T, T, kind, body, false);
  }

  @Test
  void messagesSystemLinesAndUnsupportedLinesLookDifferent() {
    assertThat(format.message("#team", line(StoredMessage.Kind.TEXT, "bob", "hi")))
        .isEqualTo("[22:13] #team bob: hi  [00000000]");
    assertThat(format.message("#team", line(StoredMessage.Kind.SYSTEM, "", "bob joined.")))
        .isEqualTo("[22:13] #team * bob joined.");
    assertThat(format.message("@bob", line(StoredMessage.Kind.UNSUPPORTED, "bob", "a poll")))
        .isEqualTo("[22:13] @bob bob: (a poll)");
  }

  @Test
  void repliesEditsAndDeletesAreMarked() {
    byte[] id = {1, 2, 3, 4, 5};
    byte[] target = {(byte) 0xab, (byte) 0xcd, 0, 1, 9};
    StoredMessage reply = new StoredMessage(new byte[16], id, "bob", T, T,
        StoredMessage.Kind.TEXT, "yes", false, target, true, false);
    assertThat(format.message("@bob", reply)).isEqualTo(
        "[22:13] @bob bob: yes (edited)  [re abcd0001]  [01020304]");
    StoredMessage gone = new StoredMessage(new byte[16], id, "bob", T, T,
        StoredMessage.Kind.TEXT, "", false, null, false, true);
    assertThat(format.message("@bob", gone)).isEqualTo("[22:13] @bob bob: (deleted)  [01020304]");
  }

  @Test
  void terminalControlFromTheNetworkIsDefused() {
    String evil = "ok\u001b]0;pwned\u0007\r\nfake line\u202Eevil\u009b";
    String shown = format.message("#t", line(StoredMessage.Kind.TEXT, "m\u001b[2Jallory", evil));
    assertThat(shown).doesNotContain("\u001b", "\u0007", "\r", "\n", "\u202E", "\u009b")
        .isEqualTo("[22:13] #t m\uFFFD[2Jallory: ok\uFFFD]0;pwned\uFFFD\uFFFD\uFFFDfake line"
            + "\uFFFDevil\uFFFD  [00000000]");
    assertThat(ChatFormat.clean("caf\u00e9 \uD83D\uDE00")).isEqualTo("caf\u00e9 \uD83D\uDE00");
  }

  @Test
  void groupsRowsLineUpAndMarkTheCurrentOne() {
    Conversation team = new Conversation(new byte[] {1, 2, 3, 4, 5}, false, "team",
        List.of("alice", "bob"), 3, false);
    Conversation gone = new Conversation(new byte[] {(byte) 0xab, 0, 0, 1}, true, "carol",
        List.of(), -1, true);
    assertThat(ChatFormat.conversationRow(team, team.label(), true, 6))
        .isEqualTo("* 01020304  #team   alice, bob");
    assertThat(ChatFormat.conversationRow(gone, gone.label(), false, 6))
        .isEqualTo("  ab000001  @carol  (left)");
    assertThat(ChatFormat.prompt("alice", "#team", false)).isEqualTo("alice@#team> ");
    assertThat(ChatFormat.prompt("alice", null, false)).isEqualTo("alice> ");
    assertThat(ChatFormat.prompt("bob", "#x", true)).isEqualTo("bob@#x(left)> ");
  }
}
