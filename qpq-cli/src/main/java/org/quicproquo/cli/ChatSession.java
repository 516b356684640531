package org.quicproquo.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.messenger.Messenger;
import org.quicproquo.client.messenger.MessengerException;
import org.quicproquo.client.messenger.MessengerListener;
import org.quicproquo.client.store.StoredMessage;

/**
 * What {@code qpq chat} does with each typed line, independent of the terminal: parses it, runs it
 * on the {@link Messenger}, and writes the outcome as lines to an {@link Output}. It is also the
 * messenger's listener, so incoming messages are written to the same output as they arrive.
 *
 * <p>Threading: {@link #execute} runs on the input thread; the listener methods run on the
 * messenger's thread. The current conversation is the only state both touch (volatile). Every
 * failure is written as one {@code error: ...} line; nothing here prints a stack trace.
 */
final class ChatSession implements MessengerListener {

  /** Where lines go; must accept calls from any thread. */
  @FunctionalInterface
  interface Output {
    void line(String text);
  }

  /** A command of the REPL: its usage and what it does, for {@code /help}. */
  private record Help(String usage, String what) {
  }

  private static final int DEFAULT_HISTORY = 20;
  private static final int SEARCH_RESULTS = 50;
  private static final List<Help> HELP = List.of(
      new Help("/register", "create this account on the server (once per state directory)"),
      new Help("/link CODE", "make this new state directory a device of your existing account,"
          + " with the code /device link shows on one of its devices"),
      new Help("/devices", "list your account's devices (id, when added, revoked, this one)"),
      new Help("/device link", "show a one-time code (10 minutes) to link a new device; it joins"
          + " every conversation from then on"),
      new Help("/device revoke ID", "revoke device ID: it can no longer connect and is removed"
          + " from every conversation"),
      new Help("/dm USER", "open (or start) the direct conversation with USER"),
      new Help("/group create NAME", "create a group with only you in it and switch to it"),
      new Help("/invite USER", "add USER to the current group"),
      new Help("/kick USER", "remove USER from the current group"),
      new Help("/rename NAME", "rename the current group (every member sees the new name)"),
      new Help("/leave", "leave the current conversation"),
      new Help("/reply ID TEXT", "answer message ID (the [id] after each message)"),
      new Help("/react ID EMOJI", "react to message ID; /unreact ID EMOJI takes it back"),
      new Help("/edit ID TEXT", "change one of your messages, for everyone"),
      new Help("/delete ID", "delete one of your messages, for everyone"),
      new Help("/ttl DURATION|off", "disappearing messages in this conversation, e.g. 30s, 10m, 1h, 7d"),
      new Help("/group-info", "members and their devices, epoch, cipher suite, timer, creation time"),
      new Help("/verify USER [yes]", "show the safety number with USER; 'yes' marks USER verified once it matched"),
      new Help("/privacy", "what is protected and how on this device"),
      new Help("/verify-fs", "show that keys of past epochs and used message keys are gone from this device"),
      new Help("/kt audit USER", "verify USER's whole key history in the key-transparency log"),
      new Help("/kt proof USER", "fetch, verify and print the log's inclusion proof for USER"),
      new Help("/kt monitor [S|off]", "watch the log every S seconds (default 30) for changes of "
          + "your keys or your contacts'; alerts are shown loudly"),
      new Help("/send-file PATH", "encrypt and send a file (progress shown; resumes after a cut)"),
      new Help("/download ID [PATH]", "download file ID (default: its name in the current directory)"),
      new Help("/delete-account", "leave every group and delete this account everywhere (asks first)"),
      new Help("/groups", "list conversations: short id, name, members; * marks the current one"),
      new Help("/switch CONV", "make CONV current: @user, #name or a short id from /groups"),
      new Help("/history [N]", "show the last N lines of the current conversation (default "
          + DEFAULT_HISTORY + ")"),
      new Help("/search WORDS", "find lines with all WORDS in the current conversation "
          + "(in every one when none is current); words match as prefixes"),
      new Help("/whoami", "show user, device id, server and state directory"),
      new Help("/connect", "connect again after the server could not be reached"),
      new Help("/help", "show this list"),
      new Help("/quit", "leave the program (Ctrl-D does the same)"));

  private final String user;
  private final HostPort server;
  private final Path stateDir;
  private final ChatFormat format;
  private final Output out;
  private Messenger messenger;
  private final KtCommands kt;
  private boolean connected;
  private volatile Conversation current;
  /**
   * Last label seen while each conversation (hex group id) was active. The SDK names a
   * conversation this account left by the name it had when created or joined, which is stale
   * after a rename; within a session the newer name is shown instead.
   */
  private final Map<String, String> labels = new ConcurrentHashMap<>();

  ChatSession(String user, HostPort server, Path stateDir, ChatFormat format, Output out) {
    this.user = user;
    this.server = server;
    this.stateDir = stateDir;
    this.format = format;
    this.out = out;
    this.kt = new KtCommands(out::line);
  }

  /**
   * Binds the messenger (opened with this session as its listener) and greets: connects an
   * existing account, or explains {@code /register} for a new state directory.
   *
   * @return false if the state directory belongs to another user (the REPL should not start)
   */
  boolean start(Messenger m) {
    this.messenger = m;
    if (!m.isRegistered()) {
      out.line("No account in " + stateDir + " yet; type /register to create " + user + " on "
          + server + " (or /link CODE to add this device to your existing account), /help for"
          + " the commands.");
      return true;
    }
    if (!m.userName().equals(user)) {
      error("The state directory " + stateDir + " holds the account " + m.userName() + ", not "
          + user + "; use --state to pick another directory.");
      return false;
    }
    out.line("Connecting to " + server + " as " + user + "...");
    connect();
    return true;
  }

  /** The prompt for the next line: the user and the current conversation. */
  String prompt() {
    Conversation c = current;
    return c == null ? ChatFormat.prompt(user, null, false)
        : ChatFormat.prompt(user, label(c), c.left());
  }

  /**
   * Runs one typed line.
   *
   * @return false when the user asked to quit
   */
  boolean execute(String line) {
    ChatInput input = ChatInput.parse(line);
    if (input == null) {
      return true;
    }
    try {
      if (input.isText()) {
        send(input.argument());
        return true;
      }
      boolean goOn = command(input.command(), input.argument());
      if (!goOn) {
        kt.close(); // stop the key-transparency monitor with the session
      }
      return goOn;
    } catch (MessengerException | ChatUsageException e) {
      error(e.getMessage());
    } catch (RuntimeException e) {
      // Not expected from the SDK; still one line, the class name being the useful detail.
      error("Unexpected failure (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ").");
    }
    return true;
  }

  private boolean command(String name, String arg) {
    switch (name) {
      case "help" -> help();
      case "register" -> register(arg);
      case "link" -> link(required(arg, "/link CODE"));
      case "devices" -> devices(arg);
      case "device" -> device(arg);
      case "connect" -> reconnect();
      case "dm" -> switchTo(messenger.openDm(required(arg, "/dm USER")));
      case "group" -> group(arg);
      case "invite" -> invite(arg);
      case "kick" -> kick(arg);
      case "rename" -> rename(arg);
      case "leave" -> leave(arg);
      case "groups" -> groups();
      case "switch" -> switchTo(messenger.find(required(arg, "/switch CONV")));
      case "history" -> history(arg);
      case "search" -> search(required(arg, "/search WORDS"));
      case "reply" -> {
        String[] a = idAndText(arg, "/reply ID TEXT");
        Conversation c = requireCurrent();
        messenger.reply(c, messenger.findMessage(c, a[0]).messageId(), a[1]);
      }
      case "react", "unreact" -> {
        String[] a = idAndText(arg, "/" + name + " ID EMOJI");
        Conversation c = requireCurrent();
        messenger.react(c, messenger.findMessage(c, a[0]).messageId(), a[1],
            name.equals("unreact"));
      }
      case "edit" -> {
        String[] a = idAndText(arg, "/edit ID TEXT");
        Conversation c = requireCurrent();
        messenger.edit(c, messenger.findMessage(c, a[0]).messageId(), a[1]);
      }
      case "ttl" -> ttl(required(arg, "/ttl DURATION|off"));
      case "send-file" -> sendFile(required(arg, "/send-file PATH"));
      case "download" -> download(required(arg, "/download ID [PATH]"));
      case "group-info" -> groupInfo();
      case "verify" -> verify(required(arg, "/verify USER [yes]"));
      case "privacy" -> privacy();
      case "verify-fs" -> {
        noArgument(arg, "/verify-fs");
        verifyForwardSecrecy();
      }
      case "kt" -> kt.run(messenger, required(arg, KtCommands.USAGE));
      case "delete-account" -> {
        if (!arg.equals(user)) {
          out.line("This leaves every conversation, deletes " + user + " and everything the server"
              + " keeps of it, and erases " + stateDir + ". It cannot be undone. To go ahead, type"
              + " /delete-account " + user);
          return true;
        }
        messenger.deleteAccount();
        out.line("The account " + user + " is deleted.");
        return false;
      }
      case "delete" -> {
        Conversation c = requireCurrent();
        messenger.delete(c, messenger.findMessage(c, required(arg, "/delete ID")).messageId());
      }
      case "whoami" -> whoami();
      case "quit", "exit" -> {
        return false;
      }
      default -> error("Unknown command /" + ChatFormat.clean(name)
          + "; /help lists the commands.");
    }
    return true;
  }

  private void help() {
    int width = HELP.stream().mapToInt(h -> h.usage().length()).max().orElse(0);
    out.line("Commands (any other line is sent to the current conversation; start it with //"
        + " to send a line beginning with /):");
    for (Help h : HELP) {
      out.line("  " + h.usage() + " ".repeat(width - h.usage().length()) + "  " + h.what());
    }
  }

  private void register(String arg) {
    noArgument(arg, "/register");
    if (messenger.isRegistered()) {
      error("This state directory already holds the account " + messenger.userName() + ".");
      return;
    }
    messenger.register(user);
    connected = true;
    out.line("Registered " + user + " on " + server + " as device " + messenger.deviceId()
        + "; connected.");
  }

  /**
   * Links this (empty) state directory to the account as a new device, with the code another of
   * its devices shows ({@code /device link}); waits until that device answered.
   */
  void link(String code) {
    if (messenger.isRegistered()) {
      error("This state directory already holds the account " + messenger.userName() + ".");
      return;
    }
    out.line("Linking to " + user + "; waiting for your other device to confirm...");
    messenger.linkToAccount(user, code);
    connected = true;
    out.line("Linked: this is device " + messenger.deviceId() + " of " + user + "; connected."
        + " Conversations appear as your other device adds this one.");
  }

  private void devices(String arg) {
    noArgument(arg, "/devices");
    for (org.quicproquo.client.DeviceInfo d : messenger.devices()) {
      out.line(format.deviceRow(d));
    }
  }

  private void device(String arg) {
    String[] words = arg.strip().split("\\s+");
    if (words.length == 1 && words[0].equals("link")) {
      org.quicproquo.client.messenger.DeviceLink l = messenger.linkDevice();
      out.line("Link code: " + l.code().display() + "  (valid until "
          + format.dateTime(l.expiresAt()) + "; show it to no one else)");
      out.line("On the new device run: qpq chat --user " + user + " --link, and type the code."
          + " This device then adds it to every conversation.");
      l.joined().whenComplete((id, e) -> {
        if (e == null) {
          out.line("Device " + id + " joined your account and every conversation.");
        } else if (!(e instanceof java.util.concurrent.CancellationException)) {
          Throwable cause = e instanceof java.util.concurrent.CompletionException
              && e.getCause() != null ? e.getCause() : e;
          error("Linking a device failed: " + cause.getMessage());
        }
      });
      return;
    }
    if (words.length == 2 && words[0].equals("revoke")) {
      long id;
      try {
        id = Long.parseLong(words[1]);
      } catch (NumberFormatException e) {
        throw new ChatUsageException("/device revoke takes a device id from /devices.");
      }
      messenger.revokeDevice(id);
      out.line("Device " + id + " is revoked: it can no longer connect, and it was removed from"
          + " every conversation.");
      return;
    }
    throw new ChatUsageException("Usage: /device link, or /device revoke ID.");
  }

  private void reconnect() {
    if (connected) {
      out.line("Already connected.");
      return;
    }
    connect();
  }

  private void connect() {
    try {
      messenger.connect();
      connected = true;
      out.line("Connected as " + user + " (device " + messenger.deviceId() + "). /help lists"
          + " the commands.");
    } catch (MessengerException e) {
      error(e.getMessage() + " (/connect tries again.)");
    }
  }

  private void group(String arg) {
    String[] words = arg.split("\\s+", 2);
    if (!words[0].equals("create") || words.length < 2 || words[1].isBlank()) {
      throw new ChatUsageException("Usage: /group create NAME.");
    }
    switchTo(messenger.createGroup(words[1]));
  }

  private void invite(String arg) {
    String who = required(arg, "/invite USER");
    current = messenger.invite(requireCurrent(), who);
  }

  private void kick(String arg) {
    String who = required(arg, "/kick USER");
    current = messenger.kick(requireCurrent(), who);
  }

  private void rename(String arg) {
    String name = required(arg, "/rename NAME");
    current = messenger.rename(requireCurrent(), name);
  }

  private void leave(String arg) {
    noArgument(arg, "/leave (it leaves the current conversation)");
    messenger.leave(requireCurrent());
    current = null;
  }

  private void groups() {
    List<Conversation> all = messenger.conversations();
    if (all.isEmpty()) {
      out.line("No conversations yet; /dm USER or /group create NAME starts one.");
      return;
    }
    Conversation cur = current;
    int width = all.stream().map(c -> ChatFormat.clean(label(c)))
        .mapToInt(l -> l.codePointCount(0, l.length())).max().orElse(0);
    for (Conversation c : all) {
      out.line(ChatFormat.conversationRow(c, label(c), cur != null && sameGroup(c, cur), width));
    }
  }

  private void history(String arg) {
    int n = DEFAULT_HISTORY;
    if (!arg.isEmpty()) {
      try {
        n = Integer.parseInt(arg);
      } catch (NumberFormatException e) {
        throw new ChatUsageException("/history takes a number of lines, e.g. /history 50.");
      }
    }
    Conversation c = requireCurrent();
    List<StoredMessage> lines = messenger.history(c, n);
    if (lines.isEmpty()) {
      out.line("No history in " + ChatFormat.clean(label(c)) + " yet.");
    }
    for (StoredMessage m : lines) {
      out.line(format.message(label(c), m));
    }
  }

  private void search(String words) {
    Conversation c = current;
    List<StoredMessage> hits = messenger.search(c, words, SEARCH_RESULTS);
    if (hits.isEmpty()) {
      out.line("Nothing matches \"" + ChatFormat.clean(words) + "\""
          + (c == null ? "." : " in " + ChatFormat.clean(label(c)) + "."));
      return;
    }
    Map<String, Conversation> byGroup = new java.util.HashMap<>();
    for (Conversation each : messenger.conversations()) {
      byGroup.put(java.util.HexFormat.of().formatHex(each.groupId()), each);
    }
    for (StoredMessage m : hits) {
      Conversation in = byGroup.get(java.util.HexFormat.of().formatHex(m.conversation()));
      out.line(format.message(in == null ? "?" : label(in), m));
    }
    if (hits.size() == SEARCH_RESULTS) {
      out.line("(the newest " + SEARCH_RESULTS + " matches; add words to narrow it down)");
    }
  }

  private void whoami() {
    boolean registered = messenger.isRegistered();
    out.line("user:   " + user
        + (registered ? "" : " (not registered here; /register creates it)"));
    out.line("device: " + (registered ? Long.toString(messenger.deviceId()) : "none"));
    out.line("server: " + server + (connected ? " (connected)" : " (not connected)"));
    out.line("state:  " + stateDir);
  }

  private void send(String text) {
    messenger.sendText(requireCurrent(), text);
  }

  private void switchTo(Conversation c) {
    current = c;
    out.line("Now in " + ChatFormat.clean(label(c))
        + (c.left() ? " (you left it; history only)." : "."));
  }

  private Conversation requireCurrent() {
    Conversation c = current;
    if (c == null) {
      throw new ChatUsageException("No conversation selected; use /dm USER, /group create NAME"
          + " or /switch CONV first.");
    }
    return c;
  }

  private void sendFile(String arg) {
    Path file = Path.of(arg.strip());
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new ChatUsageException("No such file: " + arg.strip() + ".");
    }
    Conversation c = requireCurrent();
    try {
      messenger.sendFile(c, file, progress("upload " + file.getFileName()));
    } catch (java.io.IOException e) {
      throw new MessengerException("Could not read " + file + ": " + e.getMessage(), e);
    }
  }

  private void download(String arg) {
    String[] words = arg.strip().split("\\s+", 2);
    Conversation c = requireCurrent();
    byte[] id = messenger.findMessage(c, words[0]).messageId();
    Path target = words.length > 1 ? Path.of(words[1])
        : Path.of(java.nio.file.Path.of(messenger.fileName(c, id)).getFileName().toString());
    try {
      messenger.downloadFile(c, id, target, progress("download " + target.getFileName()));
    } catch (java.io.IOException e) {
      throw new MessengerException("Could not write " + target + ": " + e.getMessage(), e);
    }
    out.line("Saved " + target.toAbsolutePath() + ".");
  }

  /** Prints progress at most twice a second, and once at the end. */
  private org.quicproquo.client.files.TransferProgress progress(String what) {
    long[] last = {0};
    return (done, total, rate) -> {
      long now = System.nanoTime();
      if (done == total || now - last[0] > 500_000_000L) {
        last[0] = now;
        out.line(ChatFormat.progress(what, done, total, rate));
      }
    };
  }

  private void ttl(String arg) {
    java.time.Duration d;
    if (arg.equalsIgnoreCase("off")) {
      d = java.time.Duration.ZERO;
    } else {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])")
          .matcher(arg.strip().toLowerCase(java.util.Locale.ROOT));
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        throw new ChatUsageException("/ttl takes a duration such as 30s, 10m, 1h or 7d, or off.");
      }
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "s" -> java.time.Duration.ofSeconds(n);
        case "m" -> java.time.Duration.ofMinutes(n);
        case "h" -> java.time.Duration.ofHours(n);
        default -> java.time.Duration.ofDays(n);
      };
      if (d.getSeconds() > 31_536_000L) {
        throw new ChatUsageException("The longest timer is one year (365d).");
      }
    }
    messenger.setDisappearing(requireCurrent(), d);
  }

  private void verify(String arg) {
    String[] words = arg.split("\\s+");
    if (words.length > 2 || (words.length == 2 && !words[1].equalsIgnoreCase("yes"))) {
      throw new ChatUsageException("Usage: /verify USER [yes].");
    }
    if (words.length == 2) {
      messenger.markVerified(words[0]);
      out.line(ChatFormat.clean(words[0]) + " is now marked verified.");
      return;
    }
    String digits = messenger.safetyNumber(words[0]).displayString();
    out.line("Safety number with " + ChatFormat.clean(words[0]) + ":");
    out.line("  " + digits.substring(0, 35));
    out.line("  " + digits.substring(36));
    out.line("Compare it with " + ChatFormat.clean(words[0]) + " in person or over a channel you "
        + "trust; if it matches, type /verify " + ChatFormat.clean(words[0]) + " yes.");
  }

  private void privacy() {
    out.line("End-to-end encryption: every conversation is an MLS group (RFC 9420), cipher suite "
        + "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519; the server relays ciphertext only.");
    out.line("What the server sees: who sends to which device, when, sizes (padded to buckets),"
        + " and for commits the group id and epoch; never text, names of groups or keys.");
    out.line("Padding: every message is padded to a size bucket before encryption.");
    out.line("Forward secrecy: MLS deletes each message key once used and each epoch's secrets"
        + " once the group moved on (one past epoch is kept for late messages).");
    out.line("Keys on this device: " + (messenger.keysLocked()
        ? "locked by your passphrase (Argon2id + ChaCha20-Poly1305)."
        : "NOT locked by a passphrase; anyone with " + stateDir + " has them."));
    out.line("Server identity: " + messenger.serverFingerprint().map(f -> "pinned on first use, "
        + "sha256 " + f.substring(0, 16) + "...").orElse("not pinned yet"));
    var contacts = messenger.contacts();
    out.line("Contacts: " + (contacts.isEmpty() ? "none pinned yet" : contacts.stream()
        .map(e -> ChatFormat.clean(e.getKey()) + (e.getValue() ? " (verified)" : " (pinned, not verified)"))
        .collect(java.util.stream.Collectors.joining(", "))));
    Conversation c = current;
    if (c != null && !c.left()) {
      java.time.Duration ttl = messenger.disappearing(c);
      out.line("Disappearing messages in " + ChatFormat.clean(label(c)) + ": "
          + (ttl.isZero() ? "off" : ttl.toString().substring(2).toLowerCase(java.util.Locale.ROOT)));
    }
    out.line("Server logs: the operator can run the server with --redact-logs (not visible from here).");
  }

  private void groupInfo() {
    Messenger.GroupDetails d = messenger.details(requireCurrent());
    out.line(ChatFormat.clean(label(d.conversation())) + " (" + d.conversation().shortId()
        + "), " + (d.conversation().dm() ? "direct conversation" : "group"));
    out.line("  epoch " + d.epoch() + ", cipher suite " + d.cipherSuite());
    out.line("  disappearing messages: " + (d.disappearing().isZero() ? "off"
        : d.disappearing().toString().substring(2).toLowerCase(java.util.Locale.ROOT)));
    out.line("  created " + d.createdAt());
    out.line("  members (" + d.members().size() + " devices):");
    for (Messenger.MemberDevice m : d.members()) {
      out.line("    " + ChatFormat.clean(m.user()) + "  device " + (m.deviceId() < 0 ? "?"
          : Long.toString(m.deviceId())) + "  leaf " + m.leafIndex() + (m.you() ? "  (you)" : ""));
    }
  }

  private void verifyForwardSecrecy() {
    Conversation c = requireCurrent();
    org.quicproquo.mls.group.ForwardSecrecyReport r = messenger.forwardSecrecy(c);
    out.line("Forward secrecy of " + ChatFormat.clean(label(c)) + " on this device (epoch "
        + r.epoch() + "):");
    for (org.quicproquo.mls.group.ForwardSecrecyReport.RetainedEpoch e : r.retainedEpochs()) {
      out.line("  epoch " + e.epoch() + (e.retention()
          == org.quicproquo.mls.group.ForwardSecrecyReport.Retention.CURRENT ? " (current)"
          : " (kept for messages sent just before the last change)")
          + (e.encryptionSecretHeld() ? ": no message yet, epoch root secret held" : ":"));
      for (org.quicproquo.mls.schedule.SecretTree.RatchetState s : e.ratchets()) {
        if (s.type() == org.quicproquo.mls.schedule.RatchetType.APPLICATION
            && (s.nextGeneration() > 0 || !s.retainedGenerations().isEmpty())) {
          out.line("    leaf " + s.leaf().value() + ": "
              + (s.nextGeneration() - s.retainedGenerations().size())
              + " message key(s) deleted" + (s.retainedGenerations().isEmpty() ? ""
              : ", " + s.retainedGenerations().size() + " kept for messages not yet received "
                  + s.retainedGenerations()));
        }
      }
    }
    out.line("  older epochs: no message keys or epoch secrets held"
        + (r.resumptionPskEpochs().isEmpty() ? "" : " (only resumption PSKs of epochs "
            + r.resumptionPskEpochs() + ", which cannot decrypt messages)"));
    out.line("  searched the saved state (" + r.savedStateBytes() + " bytes) for "
        + r.deletedSecretsChecked() + " deleted key(s) and secret(s) since this session loaded it: "
        + (r.deletedSecretsAbsent() ? "none found" : "FOUND " + r.deletedSecretsFound()));
  }

  private static String[] idAndText(String arg, String usage) {
    String[] words = arg.split("\\s+", 2);
    if (words.length < 2 || words[0].isEmpty() || words[1].isBlank()) {
      throw new ChatUsageException("Usage: " + usage + ".");
    }
    return words;
  }

  /** Called as the user types (at most every few seconds): tells the conversation. */
  void typing() {
    Conversation c = current;
    long now = System.nanoTime();
    if (c == null || c.left() || !connected || now - lastTyping < TYPING_EVERY_NANOS) {
      return;
    }
    lastTyping = now;
    try {
      messenger.typing(c, true);
    } catch (MessengerException e) {
      // a typing hint that could not be sent is not worth an error line
    }
  }

  private static final long TYPING_EVERY_NANOS = 4_000_000_000L;
  private volatile long lastTyping = System.nanoTime() - TYPING_EVERY_NANOS;

  private static String required(String arg, String usage) {
    if (arg.isEmpty()) {
      throw new ChatUsageException("Usage: " + usage + ".");
    }
    return arg;
  }

  private static void noArgument(String arg, String usage) {
    if (!arg.isEmpty()) {
      throw new ChatUsageException("Usage: " + usage + ".");
    }
  }

  private void error(String message) {
    out.line("error: " + ChatFormat.clean(message));
  }

  /** The conversation's label, remembering it while active (see {@link #labels}). */
  private String label(Conversation c) {
    String key = HexFormat.of().formatHex(c.groupId());
    if (!c.left()) {
      labels.put(key, c.label());
      return c.label();
    }
    return labels.getOrDefault(key, c.label());
  }

  private static boolean sameGroup(Conversation a, Conversation b) {
    return Arrays.equals(a.groupId(), b.groupId());
  }

  // ================================================================= listener (messenger thread)

  @Override
  public void onMessage(Conversation conversation, StoredMessage message) {
    out.line(format.message(label(conversation), message));
    Conversation c = current;
    // The user is looking at this conversation: tell the author it was read.
    if (!message.outgoing() && message.kind() == StoredMessage.Kind.TEXT && c != null
        && sameGroup(c, conversation)) {
      readQueue.add(message.messageId());
      background.execute(this::flushReceipts);
    }
  }

  /** Sends receipts off the messenger's thread (the SDK calls listeners on it). */
  private final java.util.concurrent.ExecutorService background =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "qpq-chat-receipts");
        t.setDaemon(true);
        return t;
      });

  private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> readQueue =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Sends queued read receipts (not from the listener thread: the SDK runs listeners there). */
  private void flushReceipts() {
    Conversation c = current;
    List<byte[]> ids = new java.util.ArrayList<>();
    for (byte[] id; (id = readQueue.poll()) != null; ) {
      ids.add(id);
    }
    if (c != null && !ids.isEmpty()) {
      try {
        messenger.markRead(c, ids);
      } catch (MessengerException e) {
        // receipts are a courtesy; the message itself is delivered
      }
    }
  }

  @Override
  public void onUpdate(Conversation conversation, StoredMessage m) {
    out.line(format.status(label(conversation), m.sender() + (m.deleted() ? " deleted "
        : " edited ") + m.shortId() + (m.deleted() ? "" : ": " + m.body())));
  }

  @Override
  public void onReaction(Conversation conversation, byte[] id, String sender, String emoji,
      boolean added) {
    out.line(format.status(label(conversation), sender + (added ? " reacted " : " took back ")
        + emoji + (added ? " to " : " on ") + ChatFormat.shortId(id)));
  }

  @Override
  public void onRead(Conversation conversation, String reader, List<byte[]> ids) {
    out.line(format.status(label(conversation), reader + " read "
        + ids.stream().map(ChatFormat::shortId).collect(java.util.stream.Collectors.joining(" "))));
  }

  @Override
  public void onTyping(Conversation conversation, String who, boolean on) {
    if (on) {
      out.line(format.status(label(conversation), who + " is typing…"));
    }
  }

  @Override
  public void onConversation(Conversation conversation) {
    label(conversation);
    Conversation c = current;
    if (c != null && sameGroup(c, conversation)) {
      current = conversation;
    }
  }

  @Override
  public void onError(String message) {
    error(message);
  }

  @Override
  public void onKeyTransparencyAlert(org.quicproquo.client.kt.KtAlert alert) {
    kt.alert(alert);
  }
}
