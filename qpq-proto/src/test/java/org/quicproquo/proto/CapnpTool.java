package org.quicproquo.proto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.capnproto.MessageBuilder;
import org.capnproto.Serialize;
import org.capnproto.SerializePacked;

/**
 * Runs the official {@code capnp} tool for interop and drift tests. A missing tool is a test
 * failure, never a skip: these tests are what proves the generated Java matches the schema.
 */
public final class CapnpTool {
  private CapnpTool() {
  }

  /** The qpq-proto module directory. */
  public static Path moduleDir() {
    String root = System.getProperty("qpq.root");
    Path base = root == null ? Path.of("").toAbsolutePath() : Path.of(root);
    Path module = base.resolve("qpq-proto");
    return Files.isDirectory(module) ? module : Path.of("").toAbsolutePath();
  }

  /** Runs capnp with the arguments in a working directory, feeding stdin; returns stdout. */
  public static byte[] run(Path workDir, byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("capnp");
    command.addAll(List.of(args));
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
      // capnp warns when PWD disagrees with the real working directory.
      builder.environment().put("PWD", workDir.toAbsolutePath().toString());
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("the capnp tool is required (install Debian's capnproto): " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("capnp timed out: " + command);
    }
    byte[] stdout = out.join();
    if (process.exitValue() != 0) {
      throw new AssertionError("capnp failed (" + process.exitValue() + "): " + command + "\n"
          + new String(err.join(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return stdout;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Serializes a message, packed or not. */
  public static byte[] write(MessageBuilder message, boolean packed) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (packed) {
      SerializePacked.writeToUnbuffered(Channels.newChannel(bytes), message);
    } else {
      Serialize.write(Channels.newChannel(bytes), message);
    }
    return bytes.toByteArray();
  }
}
