package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code qpq demo} does what the README promises: exit 0 within 30 s, ciphertext only. */
class DemoCommandTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void demoDeliversEverythingAndFindsNoPlaintextOnTheServer() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    long t0 = System.nanoTime();
    int code = cl.execute("demo");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    String text = out.toString();
    assertThat(code).as(text).isZero();
    assertThat(seconds).as("demo run time").isLessThan(30);
    assertThat(text)
        .contains("[bob   sees] @alice   alice: hi bob, this is end-to-end encrypted")
        .contains("[carol sees] #friends alice: the meeting is at 7, bring the blue folder")
        .contains("not present - the server only holds ciphertext")
        .contains("queue of carol")
        .doesNotContain("PLAINTEXT FOUND")
        .doesNotContain("error:");
  }
}
