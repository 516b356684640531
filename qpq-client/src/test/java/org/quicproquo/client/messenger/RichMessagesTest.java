package org.quicproquo.client.messenger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.client.Backoff;
import org.quicproquo.client.ClientConfig;
import org.quicproquo.client.Envelope;
import org.quicproquo.client.HostPort;
import org.quicproquo.client.NodeClient;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.core.keystore.UserSecrets;
import org.quicproquo.core.message.AppMessage;
import org.quicproquo.core.message.AppMessageCodec;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.QpqServer;
import org.quicproquo.server.ServerConfig;

/** Every AppMessage type end to end over real QUIC, including edits and deletes out of order. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RichMessagesTest {
  @TempDir Path root;
  private QpqServer server;
  private final List<Messenger> open = new ArrayList<>();

  /** Records everything, updates and transient events included. */
  static final class Events extends Recorder {
    final List<StoredMessage> updates = new CopyOnWriteArrayList<>();
    final List<String> reactions = new CopyOnWriteArrayList<>();
    final List<String> reads = new CopyOnWriteArrayList<>();
    final List<String> typing = new CopyOnWriteArrayList<>();

    @Override
    public void onUpdate(Conversation c, StoredMessage m) {
      updates.add(m);
    }

    @Override
    public void onReaction(Conversation c, byte[] id, String sender, String emoji, boolean added) {
      reactions.add(sender + (added ? " +" : " -") + emoji);
    }

    @Override
    public void onRead(Conversation c, String reader, List<byte[]> ids) {
      reads.add(reader + " read " + ids.size());
    }

    @Override
    public void onTyping(Conversation c, String user, boolean on) {
      typing.add(user + (on ? " typing" : " stopped"));
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root.resolve("server"),
        RpcLimits.defaults()), new SecureRandom(), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    open.forEach(Messenger::close);
    server.close();
  }

  private ClientConfig clientConfig(String name) {
    return new ClientConfig(new HostPort("127.0.0.1", server.address().getPort()),
        root.resolve(name), RpcLimits.defaults(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0), 20);
  }

  private Messenger open(String name, Recorder rec) {
    ClientConfig cc = clientConfig(name);
    Messenger m = Messenger.open(MessengerConfig.of(cc.server(), cc.stateDir()).withClient(cc)
        .withPollInterval(Duration.ofMillis(200)), rec);
    open.add(m);
    return m;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void replyReactionEditDeleteReceiptTypingAndUnknownTypes() throws Exception {
    Events a = new Events();
    Events b = new Events();
    Messenger alice = open("alice", a);
    alice.register("alice");
    Messenger bob = open("bob", b);
    bob.register("bob");
    Conversation dm = alice.openDm("bob");
    StoredMessage first = alice.sendText(dm, "lunch at noon?");
    b.await(t -> t.contains("lunch at noon?"));
    Conversation bobDm = bob.find("@alice");
    StoredMessage onBob = bob.findMessage(bobDm, first.shortId());
    assertThat(onBob.messageId()).isEqualTo(first.messageId());

    StoredMessage reply = bob.reply(bobDm, first.messageId(), "yes!");
    a.await(t -> t.contains("yes!"));
    StoredMessage replyOnAlice = alice.findMessage(dm, reply.shortId());
    assertThat(replyOnAlice.replyTo()).isEqualTo(first.messageId());

    bob.react(bobDm, first.messageId(), "👍", false);
    await(() -> a.reactions.contains("bob +👍"), "reaction");
    assertThat(alice.reactions(dm, first.messageId())).extracting(r -> r[0] + r[1])
        .containsExactly("👍bob");
    bob.react(bobDm, first.messageId(), "👍", true);
    await(() -> a.reactions.contains("bob -👍"), "reaction removed");
    assertThat(alice.reactions(dm, first.messageId())).isEmpty();

    alice.edit(dm, first.messageId(), "lunch at 1pm?");
    await(() -> bob.findMessage(bobDm, first.shortId()).edited(), "edit");
    assertThat(bob.findMessage(bobDm, first.shortId()).body()).isEqualTo("lunch at 1pm?");
    assertThat(b.updates).extracting(StoredMessage::body).contains("lunch at 1pm?");

    assertThatThrownBy(() -> bob.edit(bobDm, first.messageId(), "hijack"))
        .hasMessage("You can only edit your own messages.");

    bob.markRead(bobDm, List.of(first.messageId()));
    await(() -> a.reads.contains("bob read 1"), "read receipt");
    assertThat(alice.readers(dm, first.messageId())).containsExactly("bob");

    alice.typing(dm, true);
    await(() -> b.typing.contains("alice typing"), "typing");

    alice.delete(dm, first.messageId());
    await(() -> bob.findMessage(bobDm, first.shortId()).deleted(), "delete");
    assertThat(bob.findMessage(bobDm, first.shortId()).body()).isEmpty();

    // A newer client's type 0x42: kept as an "unsupported message" line, not dropped.
    byte[] unknown = AppMessageCodec.encode(new AppMessage.Unsupported(0x42, new byte[] {1, 2}));
    alice.sendEncoded(dm, unknown);
    await(() -> b.messages.stream().anyMatch(m -> m.kind() == StoredMessage.Kind.UNSUPPORTED),
        "unsupported line");
    assertThat(b.messages.stream().filter(m -> m.kind() == StoredMessage.Kind.UNSUPPORTED)
        .findFirst().orElseThrow().body()).isEqualTo("unsupported message (type 0x42)");
    assertThat(a.errors).isEmpty();
    assertThat(b.errors).isEmpty();
  }

  @Test
  void fileSharedInAConversationDownloadsIntactAndCanBeDeleted() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    Messenger alice = open("alice", a);
    alice.register("alice");
    Messenger bob = open("bob", b);
    bob.register("bob");
    Conversation dm = alice.openDm("bob");
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new SecureRandom().nextBytes(content);
    Path file = root.resolve("photo.bin");
    java.nio.file.Files.write(file, content);
    List<Long> progress = new CopyOnWriteArrayList<>();
    StoredMessage sent = alice.sendFile(dm, file, (done, total, rate) -> progress.add(done));
    assertThat(sent.kind()).isEqualTo(StoredMessage.Kind.FILE);
    assertThat(sent.body()).isEqualTo("photo.bin (3.0 MiB)");
    assertThat(progress).last().isEqualTo((long) content.length);
    await(() -> b.messages.stream().anyMatch(m -> m.kind() == StoredMessage.Kind.FILE),
        "the file message");
    Conversation bobDm = bob.find("@alice");
    StoredMessage onBob = bob.findMessage(bobDm, sent.shortId());
    assertThat(bob.fileName(bobDm, onBob.messageId())).isEqualTo("photo.bin");
    Path target = root.resolve("downloaded.bin");
    bob.downloadFile(bobDm, onBob.messageId(), target, (done, total, rate) -> { });
    assertThat(java.nio.file.Files.readAllBytes(target)).isEqualTo(content);

    alice.delete(dm, sent.messageId());
    await(() -> bob.findMessage(bobDm, sent.shortId()).deleted(), "the delete");
    assertThatThrownBy(() -> bob.downloadFile(bobDm, onBob.messageId(), root.resolve("again"),
        (done, total, rate) -> { })).hasMessage("That message is not a file (or it was deleted).");
  }

  @Test
  void editsAndDeletesThatArriveBeforeTheirMessageAreAppliedWhenItComes() throws Exception {
    Recorder a = new Recorder();
    Messenger alice = open("alice", a);
    alice.register("alice");
    Recorder b1 = new Recorder();
    Messenger bob = open("bob", b1);
    bob.register("bob");
    Conversation dm = alice.openDm("bob");
    bob.sync();
    long bobDevice = bob.deviceId();
    bob.close();
    open.remove(bob);

    StoredMessage keep = alice.sendText(dm, "draft one");
    alice.edit(dm, keep.messageId(), "final version");
    StoredMessage gone = alice.sendText(dm, "oops, wrong chat");
    alice.delete(dm, gone.messageId());
    alice.sync(); // everything is on the server now

    // Reverse bob's queue through the real server: take the four messages off it and put them
    // back newest first (enqueue does not care who sends to whom).
    UserSecrets bobKeys = Account.load(root.resolve("bob"), new char[0]);
    try (NodeClient raw = NodeClient.create(clientConfig("bob"), e -> { })) {
      raw.login(new NodeClient.DeviceLogin(bobDevice, bobKeys.device()::sign))
          .get(20, TimeUnit.SECONDS);
      List<Envelope> queued = raw.fetch(bobDevice, 0, 100).get(20, TimeUnit.SECONDS);
      assertThat(queued).hasSize(4);
      raw.ack(bobDevice, queued.stream().map(Envelope::messageId).toList())
          .get(20, TimeUnit.SECONDS);
      List<Envelope> reversed = new ArrayList<>(queued);
      Collections.reverse(reversed);
      for (Envelope e : reversed) {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        raw.enqueue(id, List.of(bobDevice), e.payload(), false).get(20, TimeUnit.SECONDS);
      }
    }

    Events b2 = new Events();
    Messenger bobAgain = open("bob", b2);
    bobAgain.connect();
    Conversation bobDm = bobAgain.find("@alice");
    await(() -> bobAgain.history(bobDm, 20).stream()
        .filter(m -> m.kind() == StoredMessage.Kind.TEXT).count() == 2, "both messages");
    StoredMessage kept = bobAgain.findMessage(bobDm, keep.shortId());
    assertThat(kept.body()).isEqualTo("final version");
    assertThat(kept.edited()).isTrue();
    StoredMessage deleted = bobAgain.findMessage(bobDm, gone.shortId());
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.body()).isEmpty();
    assertThat(b2.errors).isEmpty();
  }
}
