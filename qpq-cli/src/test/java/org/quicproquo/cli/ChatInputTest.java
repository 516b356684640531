package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChatInputTest {
  @Test
  void blankLinesAreNothing() {
    assertThat(ChatInput.parse("")).isNull();
    assertThat(ChatInput.parse(" \t ")).isNull();
    assertThat(ChatInput.parse(null)).isNull();
  }

  @Test
  void commandsAreSplitIntoLowerCaseNameAndStrippedArgument() {
    assertThat(ChatInput.parse("/dm bob")).isEqualTo(new ChatInput("dm", "bob"));
    assertThat(ChatInput.parse("  /Group   create  the team ")).isEqualTo(
        new ChatInput("group", "create  the team"));
    assertThat(ChatInput.parse("/quit")).isEqualTo(new ChatInput("quit", ""));
    assertThat(ChatInput.parse("/")).isEqualTo(new ChatInput("", ""));
    assertThat(ChatInput.parse("/history\t5")).isEqualTo(new ChatInput("history", "5"));
  }

  @Test
  void textIsKeptAsTypedAndDoubleSlashEscapesACommand() {
    ChatInput t = ChatInput.parse("  hi there  ");
    assertThat(t.isText()).isTrue();
    assertThat(t.argument()).isEqualTo("  hi there  ");
    assertThat(ChatInput.parse("//quit now")).isEqualTo(new ChatInput(null, "/quit now"));
    assertThat(ChatInput.parse("it's / fine").isText()).isTrue();
  }
}
