package org.quicproquo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.quicproquo.server.BlobLimits;
import picocli.CommandLine;

/** The blob-limit options of {@code qpq server}: parsing, defaults, errors, help text. */
class ServerCommandTest {
  @Test
  void blobOptionsSetTheLimitsAndTheRestStayDefault() {
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs("--blob-max-size", "500MiB", "--blob-quota", "4GiB",
        "--blob-expiry", "7d");
    BlobLimits d = BlobLimits.defaults();
    assertThat(cmd.blobLimits()).isEqualTo(new BlobLimits(500L << 20, 4L << 30,
        d.minChunkBytes(), d.maxChunkBytes(), Duration.ofDays(7), d.unfinishedRetention(),
        d.sweepInterval()));

    ServerCommand none = new ServerCommand();
    new CommandLine(none).parseArgs();
    assertThat(none.blobLimits()).isEqualTo(d);
  }

  @Test
  void badValuesAreUsageErrorsNamingTheOption() {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ServerCommand()).setErr(new PrintWriter(err));
    assertThat(cl.execute("--blob-quota", "lots")).isEqualTo(2);
    assertThat(err.toString()).contains("--blob-quota")
        .contains("expected a size such as 4096, 500MiB or 2GiB");

    StringWriter err2 = new StringWriter();
    CommandLine cl2 = new CommandLine(new ServerCommand()).setErr(new PrintWriter(err2));
    assertThat(cl2.execute("--blob-expiry", "0d")).isEqualTo(2);
    assertThat(err2.toString()).contains("--blob-expiry").contains("must be positive");
  }

  @Test
  void helpDescribesTheBlobOptions() {
    String help = new CommandLine(new ServerCommand()).getUsageMessage();
    assertThat(help).contains("--blob-max-size=SIZE", "--blob-quota=SIZE",
        "--blob-expiry=DURATION", "BLOB_SIZE", "BLOB_STORAGE", "default: 30d");
  }
}
