package org.quicproquo.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class LogRedactionTest {
  private static final InetSocketAddress PEER =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 54321);

  @Test
  void plainLogsValuesAsTheyAre() {
    LogRedaction p = LogRedaction.plain();
    assertThat(p.redacts()).isFalse();
    assertThat(p.user("alice")).isEqualTo("alice");
    assertThat(p.device(42)).isEqualTo("42");
    assertThat(p.messageId(new byte[] {1, (byte) 0xab})).isEqualTo("01ab");
    assertThat(p.address(PEER)).isEqualTo("127.0.0.1:54321");
    assertThat(p.detail("no user alice")).isEqualTo("no user alice");
    Exception e = new IllegalStateException("user alice");
    assertThat(p.error(e)).isSameAs(e);
  }

  @Test
  void redactingGivesStablePseudonymsPerProcessKey() {
    LogRedaction r = LogRedaction.redacting(new SecureRandom());
    assertThat(r.redacts()).isTrue();
    assertThat(r.user("alice")).matches("user-[0-9a-f]{8}").isEqualTo(r.user("alice"))
        .isNotEqualTo(r.user("bob"));
    assertThat(r.device(42)).matches("device-[0-9a-f]{8}").doesNotContain("42")
        .isEqualTo(r.device(42));
    // The same text as a different kind of value is a different pseudonym.
    assertThat(r.user("42").substring(5)).isNotEqualTo(r.device(42).substring(7));
    assertThat(r.messageId(new byte[] {1, (byte) 0xab})).matches("msg-[0-9a-f]{8}");
    assertThat(r.address(PEER)).matches("addr-[0-9a-f]{8}");
    assertThat(r.detail("no user alice")).isEqualTo(LogRedaction.REDACTED);
    // Another process (another key) gives other pseudonyms.
    assertThat(LogRedaction.redacting(new SecureRandom()).user("alice"))
        .isNotEqualTo(r.user("alice"));
  }

  @Test
  void redactedErrorsKeepClassesAndFramesButNoMessages() {
    LogRedaction r = LogRedaction.redacting(new SecureRandom());
    Exception cause = new IllegalArgumentException("device 7301000001 of alice");
    Exception e = new IllegalStateException("user alice failed", cause);
    Throwable scrubbed = r.error(e);
    StringWriter out = new StringWriter();
    scrubbed.printStackTrace(new PrintWriter(out));
    assertThat(out.toString()).contains("java.lang.IllegalStateException: <redacted>")
        .contains("Caused by: java.lang.IllegalArgumentException: <redacted>")
        .contains("LogRedactionTest").doesNotContain("alice").doesNotContain("7301000001");
    assertThat(scrubbed.getStackTrace()).isEqualTo(e.getStackTrace());
  }
}
