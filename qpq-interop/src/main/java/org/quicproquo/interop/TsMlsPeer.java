package org.quicproquo.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running ts-mls peer process ({@code node interop/ts-mls/peer.mjs}): newline-delimited JSON
 * requests with ids, answered one per line in request order (interop/README.md, "Protocol").
 * Not thread-safe. {@link #close()} ends the process.
 */
public final class TsMlsPeer implements AutoCloseable {

  /** The peer's directory relative to the repository root. */
  static final String PEER_DIR = "interop/ts-mls";
  private static final int STDERR_KEPT = 8192;
  private static final String EOF_MARK = "\u0000eof";

  private final ObjectMapper json = new ObjectMapper();
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder stderr = new StringBuilder();
  private final Duration timeout;
  private long nextId = 1;

  private TsMlsPeer(Process process, Duration timeout) {
    this.process = process;
    this.timeout = timeout;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread out = new Thread(() -> pump(process.getInputStream(), true), "ts-mls-stdout");
    Thread err = new Thread(() -> pump(process.getErrorStream(), false), "ts-mls-stderr");
    out.setDaemon(true);
    err.setDaemon(true);
    out.start();
    err.start();
  }

  /**
   * Starts the peer of the repository at {@code root}, running {@code npm ci} first when
   * {@code node_modules} is missing, and checks it with {@code hello}.
   *
   * @param timeout the longest wait for one answer
   * @throws InteropException if node or npm is missing, npm ci fails, or the peer does not answer
   */
  public static TsMlsPeer start(Path root, Duration timeout) throws InteropException {
    Path dir = root.resolve(PEER_DIR);
    if (!Files.isRegularFile(dir.resolve("peer.mjs"))) {
      throw new InteropException("no ts-mls peer at " + dir.resolve("peer.mjs"));
    }
    requireTool("node", dir);
    if (!Files.isDirectory(dir.resolve("node_modules"))) {
      requireTool("npm", dir);
      runToCompletion(dir, Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
    }
    Process p;
    try {
      p = new ProcessBuilder("node", "peer.mjs").directory(dir.toFile()).start();
    } catch (IOException e) {
      throw new InteropException("cannot start node peer.mjs: " + e.getMessage(), e);
    }
    TsMlsPeer peer = new TsMlsPeer(p, timeout);
    try {
      peer.call("hello", peer.object());
    } catch (InteropException e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /** The repository root: system property {@code qpq.root}, else the current directory or a parent holding the peer. */
  public static Path findRoot() throws InteropException {
    String prop = System.getProperty("qpq.root");
    if (prop != null && !prop.isBlank() && !prop.startsWith("${")) {
      Path p = Path.of(prop).toAbsolutePath();
      if (Files.isDirectory(p.resolve(PEER_DIR))) {
        return p;
      }
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(PEER_DIR).resolve("peer.mjs"))) {
        return p;
      }
    }
    throw new InteropException("cannot find the repository root (" + PEER_DIR
        + "/peer.mjs) from qpq.root or the current directory");
  }

  private static void requireTool(String tool, Path dir) throws InteropException {
    try {
      runToCompletion(dir, Duration.ofSeconds(30), tool, "--version");
    } catch (InteropException e) {
      throw new InteropException(tool + " is required for the ts-mls interop peer (Node.js 20 or"
          + " later) but could not be run: " + e.getMessage(), e);
    }
  }

  private static void runToCompletion(Path dir, Duration limit, String... command)
      throws InteropException {
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .start();
      p.getOutputStream().close();
      // Read output on this thread: npm prints little, and reading prevents a full pipe blocking it.
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new InteropException(String.join(" ", command) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new InteropException(String.join(" ", command) + " exited with " + p.exitValue()
            + ": " + tail(new String(output, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new InteropException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InteropException("interrupted running " + command[0], e);
    }
  }

  private static String tail(String s) {
    return s.length() <= 2000 ? s.strip() : s.substring(s.length() - 2000).strip();
  }

  private void pump(InputStream in, boolean isStdout) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (isStdout) {
          lines.add(line);
        } else {
          synchronized (stderr) {
            stderr.append(line).append('\n');
            if (stderr.length() > STDERR_KEPT) {
              stderr.delete(0, stderr.length() - STDERR_KEPT);
            }
          }
        }
      }
    } catch (IOException e) {
      // The process ended or was closed; the caller sees the end of stream below.
    } finally {
      if (isStdout) {
        lines.add(EOF_MARK);
      }
    }
  }

  /** A new empty JSON object for request fields. */
  public ObjectNode object() {
    return json.createObjectNode();
  }

  /** The JSON mapper used for requests and answers. */
  public ObjectMapper mapper() {
    return json;
  }

  /**
   * Sends {@code cmd} with {@code fields} and returns the success answer.
   *
   * @throws PeerException on an error answer
   * @throws InteropException on a timeout, a dead process, or an answer that does not fit
   */
  public JsonNode call(String cmd, ObjectNode fields) throws InteropException {
    long id = nextId++;
    ObjectNode req = json.createObjectNode();
    req.put("id", id);
    req.put("cmd", cmd);
    req.setAll(fields);
    String line;
    try {
      stdin.write(json.writeValueAsString(req));
      stdin.write('\n');
      stdin.flush();
      line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw new InteropException(cmd + ": cannot write to the peer: " + e.getMessage()
          + stderrNote(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InteropException(cmd + ": interrupted", e);
    }
    if (line == null) {
      throw new InteropException(cmd + ": no answer within " + timeout.toSeconds() + " s"
          + stderrNote());
    }
    if (line.equals(EOF_MARK)) {
      lines.add(EOF_MARK);
      throw new InteropException(cmd + ": the peer process ended" + stderrNote());
    }
    JsonNode answer;
    try {
      answer = json.readTree(line);
    } catch (IOException e) {
      throw new InteropException(cmd + ": answer is not JSON: " + line, e);
    }
    if (!answer.path("id").isNumber() || answer.path("id").asLong() != id) {
      throw new InteropException(cmd + ": answer for id " + answer.path("id") + ", expected " + id);
    }
    JsonNode error = answer.get("error");
    if (error != null) {
      throw new PeerException(cmd, error.path("kind").asText("?"), error.path("message").asText(""));
    }
    if (!answer.path("ok").asBoolean(false)) {
      throw new InteropException(cmd + ": answer neither ok nor error: " + line);
    }
    return answer;
  }

  private String stderrNote() {
    synchronized (stderr) {
      return stderr.length() == 0 ? "" : "; peer stderr: " + tail(stderr.toString());
    }
  }

  /** Closes the peer's stdin (it then exits) and kills it if it has not ended within 2 s. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      // Already gone; the process is killed below if needed.
    }
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
