package org.quicproquo.client.messenger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.quicproquo.client.DeviceKeyPackage;
import org.quicproquo.client.Envelope;
import org.quicproquo.client.NodeClient;
import org.quicproquo.client.files.FileLink;
import org.quicproquo.client.files.FileTransfer;
import org.quicproquo.client.files.FileTransferException;
import org.quicproquo.client.files.TransferOptions;
import org.quicproquo.client.files.TransferProgress;
import org.quicproquo.client.store.LocalStore;
import org.quicproquo.client.store.OutboxEntry;
import org.quicproquo.client.store.StoredConversation;
import org.quicproquo.client.store.StoredMessage;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.core.identity.InvalidIdentityException;
import org.quicproquo.core.identity.UserName;
import org.quicproquo.core.keystore.UserSecrets;
import org.quicproquo.core.message.AppMessage;
import org.quicproquo.core.message.AppMessageCodec;
import org.quicproquo.core.message.MessageId;
import org.quicproquo.core.padding.Padding;
import org.quicproquo.mls.MlsException;
import org.quicproquo.mls.codec.TlsReader;
import org.quicproquo.mls.crypto.CipherSuite;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.CipherSuites;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.group.CommitResult;
import org.quicproquo.mls.group.ExternalPsks;
import org.quicproquo.mls.group.Group;
import org.quicproquo.mls.group.GroupEvent;
import org.quicproquo.mls.group.GroupOptions;
import org.quicproquo.mls.group.KeyPackageBundle;
import org.quicproquo.mls.group.Member;
import org.quicproquo.mls.message.EncryptedGroupSecrets;
import org.quicproquo.mls.message.GroupContext;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PrivateMessage;
import org.quicproquo.mls.message.Proposal;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.Sender;
import org.quicproquo.mls.message.Welcome;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.mls.tree.Capabilities;
import org.quicproquo.mls.tree.Credential;
import org.quicproquo.mls.tree.CredentialType;
import org.quicproquo.mls.tree.KeyPackage;
import org.quicproquo.mls.tree.LeafIndex;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.rpc.RpcException;

/**
 * The messaging SDK: one account on one device, talking to one qpq server. Creates and logs in
 * the account, keeps KeyPackages topped up, runs conversations (DMs and groups, each one MLS
 * group), and a sync loop that fetches, processes, stores and acknowledges — in that order, so a
 * crash at any point neither loses nor duplicates a message (processed ids are recorded in the
 * same transaction as the history line and the new MLS state; sends go through a durable outbox).
 *
 * <p>All state lives on one thread of the messenger's own; the public methods run their work there
 * and wait for it, so they may be called from any thread. Incoming messages arrive through the
 * {@link MessengerListener}.
 */
public final class Messenger implements AutoCloseable {
  /** Ciphersuite of every conversation (DESIGN.md: suite 1). */
  public static final CipherSuiteId SUITE =
      CipherSuiteId.MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;
  private static final int FETCH_BATCH = 100;
  /**
   * How long the ack of a processed entry waits for more to go with it. At a steady trickle (a
   * conversation's messages arriving one push at a time) an ack per entry was one RPC and one
   * server write transaction per message; waiting folds the acks of a few pushes into one. No
   * latency depends on it: the entries are stored and reported before they are acked, and an
   * entry acked late (or never, after a crash) only comes again and is skipped as processed.
   */
  static final long ACK_DELAY_MILLIS = 100;
  /** Most pushed entries waiting for the messenger thread; beyond, pushes only ask for a sync. */
  private static final int MAX_PUSHED_BACKLOG = 1_000;

  /** Most texts of {@link #sendTextAsync} encrypted and stored in one local transaction. */
  private static final int MAX_SEND_BATCH = 64;

  private static final String CLOSED_BEFORE_STORED =
      "The messenger was closed before this message was stored; it was not sent.";
  /** Expired history is swept at most this often (it was on every push). */
  private static final long SWEEP_EVERY_MILLIS = 1_000;
  private static final int COMMIT_ATTEMPTS = 10;
  private static final long KEY_PACKAGE_DAYS = 365;

  private final MessengerConfig config;
  private final DeferringListener listener;
  private final LocalStore store;
  private final NodeClient node;
  private final ScheduledExecutorService actor;
  private final CipherSuite suite;
  private final SecureRandom random;
  private final Directory directory;
  private final org.quicproquo.client.kt.KeyTransparencyClient kt;
  private final DeviceLinker deviceLinker;
  private final Map<String, Group> groups = new HashMap<>();
  private final Set<String> proposalsPending = new HashSet<>();
  private final AtomicBoolean syncQueued = new AtomicBoolean();
  private final AtomicBoolean flushQueued = new AtomicBoolean();
  private final GroupSaveBatch batchSaves = new GroupSaveBatch();
  /** By group (hex id); messenger thread only. */
  private final Map<String, Roster> rosters = new HashMap<>();
  private final OutboxPump pump;
  private volatile Thread actorThread;
  private volatile boolean online;
  /** Set once the server refused enqueueBatch as unknown (an older server). */
  private volatile boolean batchUnsupported;
  private volatile boolean closed;
  /** Signature keys of the devices this device linked (its KT monitor expects them). */
  private final Set<java.nio.ByteBuffer> devicesLinkedHere =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** A background fetch is on its way (messenger thread only). */
  private boolean fetching;
  /** A push or poll came while it was: fetch again once it is answered (messenger thread only). */
  private boolean fetchAgain;
  /**
   * The queue position background fetches continue after, so a fetch sent before the previous
   * batch's ack was processed does not return that batch again; 0 (from the start) after any
   * failure and at every poll, so nothing left in the queue is missed for longer than a poll.
   * Messenger thread only.
   */
  private long fetchCursor;
  /** An ack that was not waited for failed: the next fetch starts from the start. */
  private volatile boolean ackFailed;
  /**
   * Ids of processed (stored) entries whose ack waits up to {@link #ACK_DELAY_MILLIS} for more to
   * go with it (messenger thread only).
   */
  private final List<byte[]> pendingAcks = new ArrayList<>();
  /** A {@link #flushAcks} is scheduled (messenger thread only). */
  private boolean ackScheduled;
  private long lastSweepMillis;
  /**
   * Pushed entries waiting to be processed, by seq: for the answer of the fetch on its way, or
   * for the entries before them (see {@link #pushed}). Messenger thread only; at most
   * {@link #MAX_PUSHED_BACKLOG}.
   */
  private final java.util.TreeMap<Long, Envelope> heldPushes = new java.util.TreeMap<>();
  /** Fetch calls sent, background and foreground (for tests). */
  private final java.util.concurrent.atomic.AtomicLong fetches =
      new java.util.concurrent.atomic.AtomicLong();
  /** Entries pushes carried, for the messenger thread to process (see {@link #onPush}). */
  private final java.util.concurrent.ConcurrentLinkedQueue<Envelope> pushedEntries =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger pushedBacklog =
      new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicBoolean pushedQueued = new AtomicBoolean();
  private final PendingTexts pendingTexts = new PendingTexts();

  private UserSecrets secrets;
  private StateSeal seal;
  private long deviceId;

  private Messenger(MessengerConfig config, MessengerListener listener, LocalStore store)
      throws IOException {
    this.config = config;
    this.listener = new DeferringListener(listener);
    this.store = store;
    this.random = config.random();
    this.suite = CipherSuites.of(SUITE, random);
    this.actor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "qpq-messenger");
      t.setDaemon(true);
      actorThread = t;
      return t;
    });
    this.node = NodeClient.create(config.client(), this::onPush);
    this.kt = new org.quicproquo.client.kt.KeyTransparencyClient(node, store,
        config.callTimeout(), java.time.Clock.systemUTC(), this.listener::onKeyTransparencyAlert);
    this.directory = new Directory(node, this, store, this.listener::onError, kt);
    this.pump = new OutboxPump(store, this::sendRun, this::flushOnActorLater,
        () -> online = true);
    this.deviceLinker = new DeviceLinker(this, node, random, config.clock());
  }

  /**
   * Opens the account in the config's state directory (creating the directory if needed). Nothing
   * is sent until {@link #register} or {@link #connect}.
   *
   * @throws MessengerException if the keys cannot be unlocked or the database cannot be opened
   */
  public static Messenger open(MessengerConfig config, MessengerListener listener) {
    Path dir = config.client().stateDir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MessengerException("Cannot create the state directory " + dir + ": "
          + e.getMessage(), e);
    }
    LocalStore store;
    try {
      store = LocalStore.open(dir.resolve("account.db"));
    } catch (RuntimeException e) {
      throw new MessengerException(e.getMessage(), e);
    }
    try {
      Messenger m = new Messenger(config, listener, store);
      if (Account.exists(dir) && store.metaLong("device_id").isPresent()) {
        m.unlock(Account.load(dir, config.passphrase()), store.metaLong("device_id").get());
      }
      return m;
    } catch (IOException e) {
      store.close();
      throw new MessengerException("Cannot read " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private void unlock(UserSecrets s, long device) {
    this.secrets = s;
    this.seal = new StateSeal(s.device().privateKeyBytes(), random);
    this.deviceId = device;
  }

  /** Whether this state directory holds a registered account. */
  public boolean isRegistered() {
    return secrets != null;
  }

  /** The account's user name. */
  public String userName() {
    requireAccount();
    return secrets.user().value();
  }

  /** This device's id on the server. */
  public long deviceId() {
    requireAccount();
    return deviceId;
  }

  // ================================================================= account

  /**
   * Creates the account {@code name} on the server with fresh identity and device keys (written
   * to the state directory first, locked by the passphrase if one was given), then connects.
   *
   * @throws MessengerException if the name is invalid or taken, or this directory already has one
   */
  public void register(String name) {
    onActor(() -> {
      if (secrets != null) {
        throw new MessengerException("This state directory already holds the account "
            + secrets.user().value() + ".");
      }
      UserName user;
      try {
        user = UserName.parse(name);
      } catch (InvalidIdentityException e) {
        throw new MessengerException("\"" + name + "\" is not a valid user name: "
            + e.getMessage(), e);
      }
      Path dir = config.client().stateDir();
      UserSecrets s = Account.exists(dir) ? Account.load(dir, config.passphrase())
          : Account.create(dir, user, config.passphrase(), random);
      if (!s.user().equals(user)) {
        throw new MessengerException("The keys in " + dir + " belong to " + s.user().value()
            + ", not " + user.value() + ".");
      }
      byte[] deviceKey = s.device().publicKey().bytes();
      byte[] certificate = s.identity().orElseThrow().sign(
          AuthTranscripts.deviceCertificate(user.value(), deviceKey));
      long id;
      try {
        id = await(node.register(user.value(), s.identity().orElseThrow().publicKey().bytes(),
            deviceKey, certificate), "register " + user.value());
      } catch (MessengerException e) {
        if ("NAME_TAKEN".equals(code(e))) {
          throw new MessengerException("The name " + user.value()
              + " is already taken on this server.", e);
        }
        throw e;
      }
      store.putMeta("user", user.value().getBytes(StandardCharsets.UTF_8));
      store.putMetaLong("device_id", id);
      unlock(s, id);
      connectNow();
      return null;
    });
  }

  /**
   * Logs in (and re-logs in on every reconnect), tops up KeyPackages, sends what the outbox holds,
   * syncs, and from then on syncs on every push and every poll interval.
   */
  public void connect() {
    onActor(() -> {
      requireAccount();
      connectNow();
      return null;
    });
  }

  private boolean connected;

  private void connectNow() {
    if (connected) {
      syncNow(true);
      return;
    }
    UserSecrets s = secrets;
    await(node.login(new NodeClient.DeviceLogin(deviceId, s.device()::sign)),
        "log in as " + userName());
    online = true;
    topUpKeyPackages();
    syncNow(true);
    addOwnDevicesQuietly(null);
    connected = true;
    long poll = Math.max(100, config.pollInterval().toMillis());
    actor.scheduleWithFixedDelay(this::pollSync, poll, poll, TimeUnit.MILLISECONDS);
  }

  private void requireAccount() {
    if (secrets == null) {
      throw new MessengerException("No account here yet; register first.");
    }
  }

  // ================================================================= key packages

  /** Keeps {@code keyPackageTarget} one-time KeyPackages and one last-resort one on the server. */
  private void topUpKeyPackages() {
    int stored = await(node.uploadKeyPackages(deviceId, List.of(), null),
        "count key packages");
    byte[] lastResort = null;
    if (!store.hasLastResortKeyPackage()) {
      lastResort = newKeyPackage(true);
    }
    int missing = config.keyPackageTarget() - stored;
    if (missing < Math.max(1, config.keyPackageTarget() / 2) && lastResort == null) {
      return;
    }
    List<byte[]> fresh = new ArrayList<>();
    for (int i = 0; i < Math.max(0, missing); i++) {
      fresh.add(newKeyPackage(false));
    }
    await(node.uploadKeyPackages(deviceId, fresh, lastResort), "upload key packages");
  }

  /** A new KeyPackage; its private parts are stored (sealed) before it is returned for upload. */
  private byte[] newKeyPackage(boolean lastResort) {
    KeyPackageBundle b = generateBundle();
    byte[] ref = b.keyPackage().ref(suite).value();
    store.putKeyPackage(ref, seal.seal("key package", ref, encodeBundle(b)), lastResort,
        config.clock().millis());
    return MLSMessage.of(b.keyPackage()).toBytes();
  }

  private KeyPackageBundle generateBundle() {
    long now = config.clock().instant().getEpochSecond();
    Capabilities caps = Group.defaultCapabilities(suite, CredentialType.BASIC);
    caps = new Capabilities(caps.versions(), caps.cipherSuites(), List.of(GroupProfile.TYPE),
        caps.proposals(), caps.credentials());
    try {
      return Group.generateKeyPackage(suite,
          Credential.basic(secrets.user().value().getBytes(StandardCharsets.UTF_8)), signer(),
          caps, new Lifetime(now - 3600, now + KEY_PACKAGE_DAYS * 86_400));
    } catch (MlsException e) {
      throw new IllegalStateException("cannot build a key package", e);
    }
  }

  private SignatureKeyPair signer() {
    return new SignatureKeyPair(secrets.device().privateKeyBytes(),
        secrets.device().publicKey().bytes());
  }

  private static byte[] encodeBundle(KeyPackageBundle b) {
    byte[] kp = b.keyPackage().toBytes();
    byte[] init = b.initPrivateKey();
    byte[] enc = b.encryptionPrivateKey();
    return ByteBuffer.allocate(12 + kp.length + init.length + enc.length)
        .putInt(kp.length).put(kp).putInt(init.length).put(init).putInt(enc.length).put(enc)
        .array();
  }

  private KeyPackageBundle decodeBundle(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte[] kp = new byte[in.getInt()];
      in.get(kp);
      byte[] init = new byte[in.getInt()];
      in.get(init);
      byte[] enc = new byte[in.getInt()];
      in.get(enc);
      return new KeyPackageBundle(TlsReader.decodeAll(kp, KeyPackage::decode), init, enc, signer());
    } catch (MlsException | RuntimeException e) {
      throw new MessengerException("A stored key package is damaged.", e);
    }
  }

  // ================================================================= conversations

  /** Every conversation this account is or was in, oldest first. */
  public List<Conversation> conversations() {
    return onActor(() -> {
      List<Conversation> out = new ArrayList<>();
      for (StoredConversation c : store.conversations()) {
        out.add(view(c));
      }
      return out;
    });
  }

  /**
   * Finds a conversation by "@user" or "user" (a DM), "#name" or "name" (a group), or its short
   * id. Active conversations win over ones this account left.
   *
   * @throws MessengerException if nothing or more than one thing matches
   */
  public Conversation find(String what) {
    String q = what.strip();
    List<Conversation> hits = new ArrayList<>();
    for (Conversation c : conversations()) {
      boolean match = c.shortId().equalsIgnoreCase(q) || c.label().equals(q)
          || c.name().equals(q);
      if (match) {
        hits.add(c);
      }
    }
    List<Conversation> active = hits.stream().filter(c -> !c.left()).toList();
    List<Conversation> pick = active.isEmpty() ? hits : active;
    if (pick.isEmpty()) {
      throw new MessengerException("No conversation matches \"" + what + "\"; /groups lists them.");
    }
    if (pick.size() > 1) {
      throw new MessengerException("\"" + what + "\" matches " + pick.size()
          + " conversations; use the short id that /groups shows.");
    }
    return pick.get(0);
  }

  /** The conversation's last {@code n} history lines, oldest first. */
  public List<StoredMessage> history(Conversation c, int n) {
    if (n < 1 || n > 10_000) {
      throw new MessengerException("History length must be between 1 and 10000.");
    }
    return onActor(() -> {
      sweepExpired();
      return store.history(c.groupId(), n);
    });
  }

  /**
   * History lines containing every word of {@code words} (each as a word prefix, accents and
   * case ignored), newest first: in {@code c}, or in every conversation when {@code c} is null.
   * Backed by the local full-text index; expired and deleted lines are never found.
   */
  public List<StoredMessage> search(Conversation c, String words, int limit) {
    if (limit < 1 || limit > 1_000) {
      throw new MessengerException("Search results must be between 1 and 1000.");
    }
    return onActor(() -> {
      sweepExpired();
      return store.search(c == null ? null : c.groupId(), words, limit);
    });
  }

  /** The DM with {@code user}: the existing one, or a new two-member group. */
  public Conversation openDm(String user) {
    return onActor(() -> {
      requireAccount();
      String peer = checkOtherUser(user);
      for (StoredConversation c : store.conversations()) {
        if (c.dm() && !c.left() && view(c).members().contains(peer)) {
          return view(c);
        }
      }
      byte[] gid = createGroupNow(new GroupProfile(true, ""));
      try {
        inviteNow(gid, peer);
      } catch (MessengerException e) {
        // A DM nobody can join is useless: do not leave it behind.
        markLeft(gid);
        throw e;
      }
      addOwnDevicesQuietly(gid);
      return view(gid);
    });
  }

  /** A new group named {@code name} with only this account in it. */
  public Conversation createGroup(String name) {
    return onActor(() -> {
      requireAccount();
      if (name == null || name.isBlank()) {
        throw new MessengerException("A group needs a name.");
      }
      byte[] gid = createGroupNow(new GroupProfile(false, name.strip()));
      addOwnDevicesQuietly(gid);
      return view(gid);
    });
  }

  /** Adds every device of {@code user} to the group. */
  public Conversation invite(Conversation c, String user) {
    return onActor(() -> {
      requireAccount();
      inviteNow(c.groupId(), checkOtherUser(user));
      return view(c.groupId());
    });
  }

  /** Removes every device of {@code user} from the group. */
  public Conversation kick(Conversation c, String user) {
    return onActor(() -> {
      requireAccount();
      String target = checkOtherUser(user);
      commitChange(c.groupId(), g -> {
        List<Proposal> removes = new ArrayList<>();
        for (Member m : g.members()) {
          if (nameOf(m).equals(target)) {
            removes.add(new Proposal.Remove(m.leafIndex().value()));
          }
        }
        if (removes.isEmpty()) {
          throw new MessengerException(target + " is not in " + view(c.groupId()).label() + ".");
        }
        return new Change(removes, List.of());
      });
      return view(c.groupId());
    });
  }

  /** Renames a group (a GroupContextExtensions commit, so every member agrees on the name). */
  public Conversation rename(Conversation c, String name) {
    return onActor(() -> {
      requireAccount();
      GroupProfile now = profileOf(activeGroup(c.groupId()));
      if (now.dm()) {
        throw new MessengerException("A DM has no name to change.");
      }
      GroupProfile next = new GroupProfile(false, name == null ? "" : name.strip());
      if (next.name().isEmpty()) {
        throw new MessengerException("A group needs a name.");
      }
      commitChange(c.groupId(), g -> new Change(List.of(new Proposal.GroupContextExtensions(
          next.replaceIn(g.groupContext().extensions()))), List.of()));
      return view(c.groupId());
    });
  }

  /**
   * Leaves: proposes this device's own removal (RFC 9420 forbids committing it oneself; the next
   * member to sync commits it) and forgets the group's keys at once.
   */
  public void leave(Conversation c) {
    onActor(() -> {
      byte[] gid = c.groupId();
      Group g = activeGroup(gid);
      List<Long> recipients = recipients(g);
      if (!recipients.isEmpty()) {
        requireAccount();
        MLSMessage proposal;
        try {
          proposal = g.proposeRemove(g.ownLeafIndex());
        } catch (MlsException e) {
          throw new MessengerException("Cannot leave: " + e.getMessage(), e);
        }
        byte[] id = randomId();
        store.inTransaction(() -> {
          store.addOutbox(gid, id, recipients, proposal.toBytes(), false);
          return null;
        });
      }
      String label = view(gid).label();
      markLeft(gid);
      systemLine(gid, "You left " + label + ".");
      flushOutbox();
      return null;
    });
  }

  /** Sends a text message to the conversation; returns its history line. */
  public StoredMessage sendText(Conversation c, String text) {
    return onActor(() -> {
      TextOut t = encryptText(c, text);
      storeOutgoing(List.of(t.outgoing()));
      wakePump();
      listener.onMessage(view(c.groupId()), t.line());
      return t.line();
    });
  }

  /**
   * Sends a text without waiting: like {@link #sendText}, but returns at once, and the future
   * completes with the history line when the message is encrypted and in the durable outbox (when
   * {@code sendText} would have returned), or fails with a {@link MessengerException}. Texts are
   * taken in the order of these calls; those waiting when the messenger thread gets to them are
   * encrypted and stored together, in one local transaction with one state save per
   * conversation, which is what lets one device send many messages a second. A failure (the
   * conversation was left, the text is too long) fails that text's future only, unless the
   * local database cannot store them: then every text of that transaction fails and none is sent.
   */
  public CompletableFuture<StoredMessage> sendTextAsync(Conversation c, String text) {
    PendingTexts.Text t = new PendingTexts.Text(c, text, new CompletableFuture<>());
    if (closed) {
      t.done().completeExceptionally(new MessengerException(CLOSED_BEFORE_STORED));
      return t.done();
    }
    if (pendingTexts.add(t)) {
      try {
        actor.execute(this::drainTexts);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pendingTexts.failAll(CLOSED_BEFORE_STORED);
      }
    }
    return t.done();
  }

  /** Encrypts and stores every text waiting for {@link #sendTextAsync}, in order. */
  private void drainTexts() {
    pendingTexts.draining();
    try {
      for (List<PendingTexts.Text> batch; !(batch = pendingTexts.take(MAX_SEND_BATCH)).isEmpty(); ) {
        sendTexts(batch);
      }
    } finally {
      // A listener that threw must not strand the texts behind it.
      if (pendingTexts.waiting() && pendingTexts.schedule()) {
        try {
          actor.execute(this::drainTexts);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          pendingTexts.failAll(CLOSED_BEFORE_STORED);
        }
      }
    }
  }

  /** One transaction's worth of {@link #sendTextAsync} texts. */
  private void sendTexts(List<PendingTexts.Text> batch) {
    List<PendingTexts.Text> taken = new ArrayList<>();
    List<TextOut> out = new ArrayList<>();
    for (PendingTexts.Text t : batch) {
      try {
        out.add(encryptText(t.conversation(), t.text()));
        taken.add(t);
      } catch (RuntimeException e) {
        t.done().completeExceptionally(e);
      }
    }
    if (out.isEmpty()) {
      return;
    }
    try {
      storeOutgoing(out.stream().map(TextOut::outgoing).toList());
    } catch (MessengerException e) {
      taken.forEach(t -> t.done().completeExceptionally(e));
      return;
    }
    wakePump();
    // Callers first, so none waits on a listener that throws.
    for (int i = 0; i < out.size(); i++) {
      taken.get(i).done().complete(out.get(i).line());
    }
    for (TextOut t : out) {
      listener.onMessage(view(t.outgoing().gid()), t.line());
    }
  }

  /** A text encrypted for sending, and its history line. */
  private record TextOut(Outgoing outgoing, StoredMessage line) {
  }

  private TextOut encryptText(Conversation c, String text) {
    Instant now = now();
    AppMessage.Text m = build(() -> new AppMessage.Text(MessageId.random(random), now, text));
    StoredMessage line = new StoredMessage(c.groupId(), m.id().bytes(), userName(),
        now.toEpochMilli(), now.toEpochMilli(), StoredMessage.Kind.TEXT, text, true);
    return new TextOut(encrypt(c, m, () -> store.addMessage(line)), line);
  }

  /** Sends {@code text} as a reply quoting the message {@code target}. */
  public StoredMessage reply(Conversation c, byte[] target, String text) {
    return onActor(() -> {
      requireMessage(c, target);
      Instant now = now();
      AppMessage.Reply m = build(() -> new AppMessage.Reply(MessageId.random(random), now,
          new MessageId(target), text));
      StoredMessage line = new StoredMessage(c.groupId(), m.id().bytes(), userName(),
          now.toEpochMilli(), now.toEpochMilli(), StoredMessage.Kind.TEXT, text, true, target,
          false, false);
      send(c, m, () -> store.addMessage(line));
      listener.onMessage(view(c.groupId()), line);
      return line;
    });
  }

  /** Adds (or with {@code remove}, takes back) a reaction to a message. */
  public void react(Conversation c, byte[] target, String emoji, boolean remove) {
    onActor(() -> {
      requireMessage(c, target);
      AppMessage.Reaction m = build(() -> new AppMessage.Reaction(MessageId.random(random), now(),
          new MessageId(target), emoji, remove));
      send(c, m, () -> store.setReaction(c.groupId(), target, userName(), emoji, !remove));
      listener.onReaction(view(c.groupId()), target, userName(), emoji, !remove);
      return null;
    });
  }

  /** Changes the text of one of this account's own messages, for everyone. */
  public StoredMessage edit(Conversation c, byte[] target, String text) {
    return onActor(() -> {
      StoredMessage original = requireOwn(c, target, "edit");
      AppMessage.Edit m = build(() -> new AppMessage.Edit(MessageId.random(random), now(),
          new MessageId(target), text));
      send(c, m, () -> store.editMessage(c.groupId(), target, text));
      StoredMessage updated = store.message(c.groupId(), original.messageId()).orElseThrow();
      listener.onUpdate(view(c.groupId()), updated);
      return updated;
    });
  }

  /** Deletes one of this account's own messages for everyone. */
  public void delete(Conversation c, byte[] target) {
    onActor(() -> {
      requireOwn(c, target, "delete");
      AppMessage.Delete m = build(() -> new AppMessage.Delete(MessageId.random(random), now(),
          new MessageId(target)));
      send(c, m, () -> store.deleteMessage(c.groupId(), target));
      listener.onUpdate(view(c.groupId()), store.message(c.groupId(), target).orElseThrow());
      return null;
    });
  }

  /** Tells the other members this account has read these messages. */
  public void markRead(Conversation c, List<byte[]> messageIds) {
    if (messageIds.isEmpty()) {
      return;
    }
    onActor(() -> {
      List<MessageId> ids = messageIds.stream().map(MessageId::new).toList();
      AppMessage.ReadReceipt m = build(() -> new AppMessage.ReadReceipt(MessageId.random(random),
          now(), ids));
      send(c, m, () -> { });
      return null;
    });
  }

  /** Tells the other members this account is (or stopped) typing. Not stored anywhere. */
  public void typing(Conversation c, boolean typing) {
    onActor(() -> {
      AppMessage.Typing m = build(() -> new AppMessage.Typing(MessageId.random(random), now(),
          typing));
      send(c, m, () -> { });
      return null;
    });
  }

  /**
   * The message of a conversation whose id starts with {@code shortId} (hex, as
   * {@link StoredMessage#shortId()} shows it).
   *
   * @throws MessengerException if no message or several match
   */
  public StoredMessage findMessage(Conversation c, String shortId) {
    byte[] prefix;
    try {
      prefix = HexFormat.of().parseHex(shortId.strip());
    } catch (IllegalArgumentException e) {
      throw new MessengerException("\"" + shortId + "\" is not a message id; ids are shown "
          + "in hex by /history.", e);
    }
    if (prefix.length == 0 || prefix.length > 16) {
      throw new MessengerException("A message id is 1 to 16 bytes of hex.");
    }
    List<StoredMessage> hits = onActor(() -> store.messagesWithIdPrefix(c.groupId(), prefix));
    if (hits.isEmpty()) {
      throw new MessengerException("No message " + shortId + " in " + c.label() + ".");
    }
    if (hits.size() > 1) {
      throw new MessengerException("Several messages start with " + shortId
          + "; give more of the id.");
    }
    return hits.get(0);
  }

  /** Reactions to a message as (emoji, sender) pairs. */
  public List<String[]> reactions(Conversation c, byte[] messageId) {
    return onActor(() -> store.reactions(c.groupId(), messageId));
  }

  /** Who has read a message. */
  public List<String> readers(Conversation c, byte[] messageId) {
    return onActor(() -> store.readers(c.groupId(), messageId));
  }

  /**
   * Turns disappearing messages on ({@code timer} > 0) or off ({@code Duration.ZERO}) for the
   * conversation: announced to every member, applied to messages sent from then on (the server
   * drops them unread after the timer; every client deletes them from its history).
   */
  public void setDisappearing(Conversation c, java.time.Duration timer) {
    onActor(() -> {
      AppMessage.DisappearingTimer m = build(() -> new AppMessage.DisappearingTimer(
          MessageId.random(random), now(), timer));
      long seconds = timer.getSeconds();
      // The announcement itself does not disappear: it goes out before the timer applies.
      send(c, m, () -> { });
      store.inTransaction(() -> {
        store.setTtlSeconds(c.groupId(), seconds);
        return null;
      });
      systemLine(c.groupId(), "You " + describeTtl(seconds) + ".");
      return null;
    });
  }

  /** The conversation's disappearing-message timer; zero when off. */
  public java.time.Duration disappearing(Conversation c) {
    return onActor(() -> java.time.Duration.ofSeconds(store.ttlSeconds(c.groupId())));
  }

  /** Deletes expired history, leaving no copy of it in the database or its WAL. */
  private void sweepExpired() {
    if (store.deleteExpired(config.clock().millis()) > 0) {
      store.checkpoint();
    }
  }

  static String describeTtl(long seconds) {
    return seconds == 0 ? "turned disappearing messages off"
        : "set disappearing messages to " + humanDuration(seconds);
  }

  static String humanDuration(long s) {
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /**
   * Deletes this account: leaves every conversation (self-remove proposals, sent first), asks the
   * server to delete everything it keeps of the account, then closes this messenger and deletes
   * the local state (keys, database, pins). Irreversible.
   */
  public void deleteAccount() {
    onActor(() -> {
      requireAccount();
      for (StoredConversation c : store.conversations()) {
        if (!c.left()) {
          try {
            leave(view(c));
          } catch (MessengerException e) {
            listener.onError("Could not leave " + c.name() + " first: " + e.getMessage());
          }
        }
      }
      flushOutbox();
      if (!store.outbox().isEmpty()) {
        throw new MessengerException("Could not tell every group that you leave (not connected?);"
            + " the account was not deleted. Try again when connected.");
      }
      await(node.deleteAccount(), "delete the account");
      return null;
    });
    Path dir = config.client().stateDir();
    close();
    for (String f : List.of(Account.KEYS_FILE, "account.db", "account.db-wal", "account.db-shm",
        "known_servers")) {
      try {
        Files.deleteIfExists(dir.resolve(f));
      } catch (IOException e) {
        throw new MessengerException("The account is deleted on the server, but " + dir.resolve(f)
            + " could not be removed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The safety number of this account and {@code user} (60 digits both sides compute alike),
   * from the identity key pinned for {@code user} (resolved and pinned now if it is not yet).
   */
  public org.quicproquo.core.identity.SafetyNumber safetyNumber(String user) {
    return onActor(() -> {
      String other = checkOtherUser(user);
      if (store.contactIdentityKey(other).isEmpty()) {
        directory.refresh(other);
      }
      byte[] theirs = store.contactIdentityKey(other).orElseThrow();
      return org.quicproquo.core.identity.SafetyNumber.of(secrets.user(),
          secrets.identity().orElseThrow().publicKey(), UserName.parse(other),
          org.quicproquo.core.identity.IdentityKey.of(theirs));
    });
  }

  /** Records that the user compared the safety number with {@code user} and it matched. */
  public void markVerified(String user) {
    onActor(() -> {
      String other = checkOtherUser(user);
      if (store.contactIdentityKey(other).isEmpty()) {
        throw new MessengerException("Check the safety number with " + other + " first.");
      }
      store.setVerified(other, true);
      return null;
    });
  }

  /**
   * This account's key-transparency verifier ({@code /kt audit}, {@code /kt proof}). Its calls
   * block on the server and may run on any thread; every user this messenger resolves is checked
   * through it as well.
   */
  public org.quicproquo.client.kt.KeyTransparencyClient keyTransparency() {
    requireAccount();
    return kt;
  }

  /**
   * Starts a background monitor of the log for this account's own key and every pinned contact's
   * ({@code /kt monitor}); alerts reach {@link MessengerListener#onKeyTransparencyAlert}. Close it
   * to stop.
   */
  public org.quicproquo.client.kt.KtMonitor startKtMonitor(java.time.Duration every) {
    requireAccount();
    return new org.quicproquo.client.kt.KtMonitor(kt, store, secrets.user().value(),
        secrets.identity().orElseThrow().publicKey().bytes(), every,
        key -> devicesLinkedHere.contains(java.nio.ByteBuffer.wrap(key)));
  }

  /** Contacts whose identity key is pinned, with whether they were verified. */
  public List<java.util.Map.Entry<String, Boolean>> contacts() {
    return onActor(store::contacts);
  }

  /** Whether the key file on disk is locked by a passphrase (Argon2id + ChaCha20-Poly1305). */
  public boolean keysLocked() {
    try {
      byte[] keys = Files.readAllBytes(config.client().stateDir().resolve(Account.KEYS_FILE));
      return org.quicproquo.core.keystore.LockedKeyStore.mode(keys)
          == org.quicproquo.core.keystore.LockedKeyStore.Mode.LOCKED;
    } catch (IOException | org.quicproquo.core.keystore.KeyStoreException e) {
      return false;
    }
  }

  /** The server certificate fingerprint pinned for this account's server (trust on first use). */
  public Optional<String> serverFingerprint() {
    return node.pinnedFingerprint().map(f -> f.hex());
  }

  /** What {@code /group-info} shows: members with their devices, epoch, suite, timer, age. */
  public record GroupDetails(Conversation conversation, List<MemberDevice> members, long epoch,
      String cipherSuite, java.time.Duration disappearing, Instant createdAt) {
  }

  /** One leaf of the group: a device of a member. */
  public record MemberDevice(String user, long deviceId, int leafIndex, boolean you) {
  }

  /** Details of a conversation this account is in. */
  public GroupDetails details(Conversation c) {
    return onActor(() -> {
      Group g = activeGroup(c.groupId());
      List<MemberDevice> out = new ArrayList<>();
      for (Member m : g.members()) {
        String name = nameOf(m);
        boolean me = m.leafIndex().equals(g.ownLeafIndex());
        long device = me ? deviceId : directory.deviceId(name, m.signatureKey()).orElse(-1);
        out.add(new MemberDevice(name, device, m.leafIndex().value(), me));
      }
      StoredConversation sc = store.conversation(c.groupId()).orElseThrow();
      return new GroupDetails(view(sc), out, g.epoch(), g.groupContext().cipherSuite().name(),
          java.time.Duration.ofSeconds(store.ttlSeconds(c.groupId())),
          Instant.ofEpochMilli(sc.createdAtMillis()));
    });
  }

  /**
   * Encrypts and uploads {@code file} (chunked, fresh key, resumable; this thread does the
   * transfer, the messenger keeps syncing meanwhile), then sends its link into the conversation.
   * In a conversation with disappearing messages the blob expires with the message.
   */
  public StoredMessage sendFile(Conversation c, Path file, TransferProgress progress)
      throws IOException {
    requireAccount();
    long ttl = onActor(() -> {
      activeGroup(c.groupId()); // fail before uploading anything
      return store.ttlSeconds(c.groupId());
    });
    TransferOptions defaults = TransferOptions.defaults();
    FileTransfer transfer = new FileTransfer(node, random, new TransferOptions(
        defaults.plainChunkSize(), defaults.window(), defaults.maxAttempts(),
        defaults.retryDelay(), defaults.callTimeout(), (int) Math.min(ttl, Integer.MAX_VALUE)));
    String name = file.getFileName() == null ? "file" : file.getFileName().toString();
    String type = Optional.ofNullable(Files.probeContentType(file))
        .orElse("application/octet-stream");
    FileLink link;
    try {
      link = transfer.upload(file, name, type, progress);
    } catch (FileTransferException e) {
      throw new MessengerException("Could not upload " + name + ": " + e.getMessage(), e);
    }
    return onActor(() -> {
      Instant now = now();
      AppMessage.FileRef ref = build(() -> link.toFileRef(MessageId.random(random), now));
      StoredMessage line = new StoredMessage(c.groupId(), ref.id().bytes(), userName(),
          now.toEpochMilli(), now.toEpochMilli(), StoredMessage.Kind.FILE,
          describeFile(ref.name(), ref.size()), true);
      byte[] encoded = AppMessageCodec.encode(ref);
      send(c, ref, () -> {
        store.addMessage(line);
        store.putFile(c.groupId(), ref.id().bytes(),
            seal.seal("file link", ref.id().bytes(), encoded));
      });
      listener.onMessage(view(c.groupId()), line);
      return line;
    });
  }

  /**
   * Downloads the file shared as message {@code messageId} to {@code target} (a partial download
   * resumes), checking every chunk and the whole file's hash.
   */
  public void downloadFile(Conversation c, byte[] messageId, Path target,
      TransferProgress progress) throws IOException {
    FileLink link = FileLink.of(storedFileRef(c, messageId));
    try {
      new FileTransfer(node, random, TransferOptions.defaults()).download(link, target, progress);
    } catch (FileTransferException e) {
      throw new MessengerException("Could not download " + link.name() + ": " + e.getMessage(), e);
    }
  }

  /** The name a shared file was sent with (for a default download path). */
  public String fileName(Conversation c, byte[] messageId) {
    return storedFileRef(c, messageId).name();
  }

  /** The file reference stored (sealed) for message {@code messageId}. */
  private AppMessage.FileRef storedFileRef(Conversation c, byte[] messageId) {
    byte[] sealed = onActor(() -> store.file(c.groupId(), messageId)).orElseThrow(
        () -> new MessengerException("That message is not a file (or it was deleted)."));
    try {
      return (AppMessage.FileRef) AppMessageCodec.decode(
          seal.open("file link", messageId, sealed));
    } catch (org.quicproquo.core.message.AppMessageException | ClassCastException e) {
      throw new MessengerException("The stored file link is damaged.", e);
    }
  }

  static String describeFile(String name, long size) {
    String human = size < 1024 ? size + " B" : size < 1 << 20 ? String.format("%.1f KiB",
        size / 1024.0) : size < 1L << 30 ? String.format("%.1f MiB", size / 1048576.0)
        : String.format("%.2f GiB", size / 1073741824.0);
    return name + " (" + human + ")";
  }

  /**
   * Sends already-encoded AppMessage bytes (type byte + body) as they are: how a test plays a
   * newer client whose message types this version does not know.
   */
  void sendEncoded(Conversation c, byte[] encoded) {
    onActor(() -> {
      try {
        send(c, AppMessageCodec.decode(encoded), () -> { });
      } catch (org.quicproquo.core.message.AppMessageException e) {
        throw new MessengerException("not an AppMessage: " + e.getMessage(), e);
      }
      return null;
    });
  }

  private Instant now() {
    return Instant.ofEpochMilli(config.clock().millis());
  }

  /** Builds an AppMessage, turning the codec's limits into a user-facing sentence. */
  private static <M extends AppMessage> M build(java.util.function.Supplier<M> m) {
    try {
      return m.get();
    } catch (IllegalArgumentException e) {
      throw new MessengerException("Cannot send that: " + e.getMessage(), e);
    }
  }

  private StoredMessage requireMessage(Conversation c, byte[] id) {
    return store.message(c.groupId(), id).orElseThrow(() -> new MessengerException(
        "No such message in " + c.label() + "."));
  }

  private StoredMessage requireOwn(Conversation c, byte[] id, String what) {
    StoredMessage m = requireMessage(c, id);
    boolean file = m.kind() == StoredMessage.Kind.FILE && what.equals("delete");
    if (!m.outgoing() || (m.kind() != StoredMessage.Kind.TEXT && !file)) {
      throw new MessengerException("You can only " + what + " your own messages.");
    }
    if (m.deleted()) {
      throw new MessengerException("That message was deleted.");
    }
    return m;
  }

  /**
   * Encrypts {@code message} for the conversation and queues it, together with its local effect,
   * in one transaction; sending happens after returning.
   */
  private void send(Conversation c, AppMessage message, Writes localEffect) {
    storeOutgoing(List.of(encrypt(c, message, localEffect)));
    wakePump();
  }

  /**
   * A message encrypted for a group whose new state, the ciphertext's outbox entry and the local
   * effect (for example the history line) are still to be stored.
   */
  private record Outgoing(byte[] gid, Group group, byte[] id, byte[] wire, List<Long> recipients,
      long ttl, Writes localEffect) {
  }

  /** Encrypts {@code message} for the conversation (advancing its in-memory group). */
  private Outgoing encrypt(Conversation c, AppMessage message, Writes localEffect) {
    byte[] gid = c.groupId();
    Group g = activeGroup(gid);
    byte[] plaintext;
    try {
      plaintext = Padding.pad(AppMessageCodec.encode(message));
    } catch (org.quicproquo.core.padding.PaddingException e) {
      throw new MessengerException("That message is too large to send.", e);
    }
    List<Long> recipients = recipients(g);
    MLSMessage wire;
    try {
      wire = g.encrypt(plaintext);
    } catch (MlsException e) {
      throw new MessengerException("Cannot encrypt for " + c.label() + ": " + e.getMessage(), e);
    }
    byte[] id = message instanceof AppMessage.Known k ? k.id().bytes() : randomId();
    return new Outgoing(gid, g, id, wire.toBytes(), recipients, store.ttlSeconds(gid),
        localEffect);
  }

  /**
   * Stores encrypted messages in one transaction: each group's state once (as it is after all of
   * them), then each message's local effect, expiry and outbox entry, in order. If that fails,
   * the groups are reloaded from disk (their ratchets moved for nothing) and nothing is sent.
   */
  private void storeOutgoing(List<Outgoing> out) {
    try {
      store.inTransaction(() -> {
        Set<String> saved = new HashSet<>();
        for (Outgoing o : out) {
          if (saved.add(key(o.gid()))) {
            saveGroup(o.gid(), o.group());
          }
        }
        long now = config.clock().millis();
        for (Outgoing o : out) {
          o.localEffect().run();
          if (o.ttl() > 0) {
            store.setExpiry(o.gid(), o.id(), now + o.ttl() * 1000);
          }
          if (!o.recipients().isEmpty()) {
            store.addOutbox(o.gid(), o.id(), o.recipients(), o.wire(), false, o.ttl());
          }
        }
        return null;
      });
    } catch (RuntimeException e) {
      for (Outgoing o : out) {
        groups.remove(key(o.gid()));
      }
      throw new MessengerException("Could not save to the local database: " + e.getMessage(), e);
    }
  }

  /**
   * Sent after returning, by the outbox pump, so a user typing never waits for the network and
   * this thread goes on with the next message while it travels; while offline the outbox waits
   * for the next background sync instead.
   */
  private void wakePump() {
    if (online) {
      pump.wake();
    }
  }

  /** Runs {@link #flushOutbox} on the messenger thread soon (coalesced). */
  private void flushOnActorLater() {
    if (closed || !flushQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      actor.execute(() -> {
        flushQueued.set(false);
        flushQuietly();
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      flushQueued.set(false); // closing: the outbox is sent at the next start
    }
  }

  /** Fetches and processes everything waiting on the server now. */
  public void sync() {
    onActor(() -> {
      requireAccount();
      syncNow(true);
      return null;
    });
  }

  /** Messages accepted locally but not yet confirmed by the server. */
  public int outboxSize() {
    return onActor(() -> store.outbox().size());
  }

  /** The MLS epoch authenticator of a conversation (equal on every member's device). */
  public byte[] epochAuthenticator(Conversation c) {
    return onActor(() -> activeGroup(c.groupId()).epochAuthenticator());
  }

  /**
   * What {@code /verify-fs} shows: which key material of past messages and epochs this device
   * still holds for a conversation, with its saved MLS state searched for every key it has
   * deleted since the state was loaded (see {@link org.quicproquo.mls.group.ForwardSecrecyReport}).
   */
  public org.quicproquo.mls.group.ForwardSecrecyReport forwardSecrecy(Conversation c) {
    return onActor(() -> activeGroup(c.groupId()).forwardSecrecyReport());
  }

  // ================================================================= group internals

  private byte[] createGroupNow(GroupProfile profile) {
    byte[] gid = randomId();
    Group g;
    try {
      g = Group.create(suite, gid, generateBundle(), List.of(profile.toExtension()), options());
    } catch (MlsException e) {
      throw new MessengerException("Cannot create the group: " + e.getMessage(), e);
    }
    long now = config.clock().millis();
    persist(gid, () -> store.putConversation(new StoredConversation(gid, profile.dm(),
        displayName(g), now, seal.seal("group", gid, g.save()), false)));
    groups.put(key(gid), g);
    if (!profile.dm()) {
      systemLine(gid, "You created " + view(gid).label() + ".");
    }
    listener.onConversation(view(gid));
    return gid;
  }

  private void inviteNow(byte[] gid, String user) {
    Group g = activeGroup(gid);
    for (Member m : g.members()) {
      if (nameOf(m).equals(user)) {
        throw new MessengerException(user + " is already in " + view(gid).label() + ".");
      }
    }
    List<DeviceKeyPackage> offered;
    try {
      offered = await(node.fetchKeyPackages(user), "fetch key packages of " + user);
    } catch (MessengerException e) {
      if ("UNKNOWN_USER".equals(code(e))) {
        throw new MessengerException("There is no user " + user + " on this server.", e);
      }
      throw e;
    }
    List<Proposal> adds = new ArrayList<>();
    List<Long> devices = new ArrayList<>();
    for (DeviceKeyPackage d : offered) {
      KeyPackage kp = checkedKeyPackage(user, d);
      if (kp != null) {
        adds.add(new Proposal.Add(kp));
        devices.add(d.deviceId());
      }
    }
    if (adds.isEmpty()) {
      throw new MessengerException(user + " has no device that can be added right now.");
    }
    commitChange(gid, current -> new Change(adds, devices));
  }

  /** The KeyPackage if it is well-formed, for {@code user}, and from that certified device. */
  private KeyPackage checkedKeyPackage(String user, DeviceKeyPackage d) {
    try {
      KeyPackage kp = MLSMessage.fromBytes(d.keyPackage()).as(KeyPackage.class);
      kp.verify(suite);
      String identity = identityOf(kp.leafNode().credential());
      OptionalLong device = directory.deviceId(user, kp.leafNode().signatureKey());
      if (!user.equals(identity) || device.isEmpty() || device.getAsLong() != d.deviceId()) {
        listener.onError("Ignoring a key package that the server gave for " + user
            + " but that is not signed by one of " + user + "'s certified devices.");
        return null;
      }
      return kp;
    } catch (MlsException e) {
      listener.onError("Ignoring an invalid key package of " + user + ": " + e.getMessage());
      return null;
    }
  }

  /** What a commit changes: its proposals and the devices that get a Welcome. */
  private record Change(List<Proposal> proposals, List<Long> welcomeDevices) {
  }

  /**
   * Commits a change through the server's sequencing: the first Commit of an epoch wins. On
   * STALE_EPOCH the loser processes the winner and builds the change again, up to
   * {@link #COMMIT_ATTEMPTS} times. The Commit (and its Welcome) go through the outbox together
   * with the pending state, so a crash after the server accepted it still ends merged.
   * {@code change} returning null means nothing is left to do.
   */
  private void commitChange(byte[] gid, Function<Group, Change> change) {
    for (int attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
      Group g = activeGroup(gid);
      if (g.hasPendingCommit()) {
        flushOutbox();
        if (g.hasPendingCommit()) {
          throw new MessengerException("An earlier change to " + view(gid).label()
              + " is still waiting for the server; try again when connected.");
        }
        continue;
      }
      Change c = change.apply(g);
      if (c == null) {
        return;
      }
      long epoch = g.epoch();
      List<Long> recipients = recipients(g);
      GroupProfile before = profileOf(g);
      CommitResult result;
      try {
        result = g.commit(c.proposals());
      } catch (MlsException e) {
        throw new MessengerException("Cannot change " + view(gid).label() + ": "
            + e.getMessage(), e);
      }
      byte[] welcome = result.welcome().map(w -> MLSMessage.of(w).toBytes()).orElse(null);
      persist(gid, () -> {
        if (recipients.isEmpty()) {
          g.mergePendingCommit();
        } else {
          store.addOutbox(gid, randomId(), recipients, result.commit().toBytes(), true);
        }
        saveGroup(gid, g);
        if (welcome != null && !c.welcomeDevices().isEmpty()) {
          store.addOutbox(gid, randomId(), c.welcomeDevices(), welcome, false);
        }
      });
      flushOutbox();
      if (g.epoch() > epoch) {
        describeOwnCommit(gid, g, result, before);
        return;
      }
      if (g.hasPendingCommit()) {
        throw new MessengerException("The server did not confirm the change to "
            + view(gid).label() + "; it will be sent when the connection returns.");
      }
      // Lost the race for this epoch: apply the winner, then build the change again.
      syncNow(false);
    }
    throw new MessengerException("Could not change " + view(gid).label() + ": other members kept "
        + "committing first (" + COMMIT_ATTEMPTS + " attempts); try again.");
  }

  private void describeOwnCommit(byte[] gid, Group g, CommitResult r, GroupProfile before) {
    Set<String> added = names(r.added());
    Set<String> removed = names(r.removed());
    if (!added.isEmpty()) {
      systemLine(gid, "You added " + describeLeaves(r.added(), g, true) + ".");
    }
    if (!removed.isEmpty()) {
      systemLine(gid, "You removed " + describeLeaves(r.removed(), g, false) + ".");
    }
    GroupProfile after = profileOf(g);
    if (!after.name().equals(before.name())) {
      systemLine(gid, "You renamed the group to " + after.name() + ".");
    }
    listener.onConversation(view(gid));
  }

  /** Device ids of every member leaf except this device's own. */
  private List<Long> recipients(Group g) {
    LinkedHashSet<Long> out = new LinkedHashSet<>();
    for (Member m : g.members()) {
      if (m.leafIndex().equals(g.ownLeafIndex())) {
        continue;
      }
      String name = nameOf(m);
      OptionalLong id = directory.deviceId(name, m.signatureKey());
      if (id.isPresent()) {
        out.add(id.getAsLong());
      } else if (!name.equals(userName())) {
        // (a revoked device of this account is being removed by reconcileDevicesNow: no news)
        listener.onError("A device of " + name + " in this conversation is no longer "
            + "registered; it will not receive this.");
      }
    }
    out.remove(deviceId);
    return new ArrayList<>(out);
  }

  // ================================================================= sending

  /**
   * Sends the outbox in order, stopping at the first entry the server cannot take now. A Commit
   * the server accepted is merged; one it refused (STALE_EPOCH) is discarded with its Welcome.
   */
  private void flushOutbox() {
    // Never at the same time as the outbox pump (which may be sending the same entries).
    pump.lock().lock();
    try {
      flushOutboxLocked();
    } finally {
      pump.lock().unlock();
    }
  }

  private void flushOutboxLocked() {
    List<Long> sent = new ArrayList<>();
    try {
      flushOutbox(sent);
    } finally {
      // One transaction for all confirmed entries: if it is lost in a crash they are sent
      // again, and the server drops the duplicates by message id.
      if (!sent.isEmpty()) {
        store.inTransaction(() -> {
          sent.forEach(store::removeOutbox);
          return null;
        });
      }
    }
  }

  /**
   * Sends a run of plain outbox entries in order: one enqueueBatch (all or nothing), or single
   * enqueues for a run of one or a server without enqueueBatch. Throws if the server did not take
   * them all; entries it took are dropped as duplicates when the run is sent again.
   */
  private void sendRun(List<OutboxEntry> run) {
    if (run.size() == 1 || batchUnsupported) {
      for (OutboxEntry e : run) {
        await(node.enqueue(e.messageId(), e.recipients(), e.payload(), e.commit(),
            e.ttlSeconds()), "send");
      }
      return;
    }
    List<org.quicproquo.client.EnqueueItem> items = new ArrayList<>(run.size());
    for (OutboxEntry e : run) {
      items.add(new org.quicproquo.client.EnqueueItem(e.messageId(), e.recipients(), e.payload(),
          e.ttlSeconds()));
    }
    try {
      await(node.enqueueBatch(items), "send");
    } catch (MessengerException ex) {
      if (ex.getCause() instanceof RpcException r
          && r.type() == org.quicproquo.rpc.ExceptionType.UNIMPLEMENTED) {
        // A server older than enqueueBatch @29: single enqueues from now on.
        batchUnsupported = true;
        sendRun(run);
        return;
      }
      throw ex;
    }
  }

  private void flushOutbox(List<Long> sent) {
    for (OutboxEntry e : store.outbox()) {
      if (sent.contains(e.id())) {
        continue;
      }
      try {
        await(node.enqueue(e.messageId(), e.recipients(), e.payload(), e.commit(),
            e.ttlSeconds()), "send");
      } catch (MessengerException ex) {
        String code = code(ex);
        if (code == null) {
          online = false;
          listener.onError("Not connected; " + store.outbox().size()
              + " message(s) will be sent when the server is reachable.");
          return;
        }
        if ("UNKNOWN_DEVICE".equals(code)) {
          // A recipient device was revoked or its account deleted since the list was made.
          directory.forgetDevices();
          if (!e.commit()) {
            Group g = activeGroupOrNull(e.groupId());
            List<Long> alive = g == null ? List.of() : recipients(g);
            List<Long> still = e.recipients().stream().filter(alive::contains).toList();
            store.inTransaction(() -> {
              store.removeOutbox(e.id());
              if (!still.isEmpty()) {
                store.addOutbox(e.groupId(), e.messageId(), still, e.payload(), false,
                    e.ttlSeconds());
              }
              return null;
            });
            flushOutbox(sent);
            return;
          }
        }
        if (e.commit()) {
          // Refused (lost the epoch, or a recipient is gone): never leave the group wedged with
          // a pending commit; the caller builds the change again.
          discardCommit(e);
          continue;
        }
        listener.onError("The server refused a message for " + label(e.groupId()) + " ("
            + ex.getMessage() + "); it was dropped.");
        store.removeOutbox(e.id());
        continue;
      }
      online = true;
      if (e.commit()) {
        Group g = groupOrNull(e.groupId());
        persist(e.groupId(), () -> {
          if (g != null && g.hasPendingCommit()) {
            g.mergePendingCommit();
            saveGroup(e.groupId(), g);
          }
          store.removeOutbox(e.id());
        });
      } else {
        sent.add(e.id());
      }
    }
  }

  private void flushQuietly() {
    try {
      flushOutbox();
    } catch (RuntimeException e) {
      listener.onError(e.getMessage());
    }
  }

  private void discardCommit(OutboxEntry commit) {
    byte[] gid = commit.groupId();
    Group g = groupOrNull(gid);
    persist(gid, () -> {
      if (g != null && g.hasPendingCommit()) {
        g.discardPendingCommit();
        saveGroup(gid, g);
      }
      store.removeOutbox(commit.id());
      // The Welcome that belonged to the refused Commit must never be sent.
      for (OutboxEntry later : store.outbox()) {
        if (Arrays.equals(later.groupId(), gid) && !later.commit()
            && wireFormat(later.payload()) == WireFormat.MLS_WELCOME) {
          store.removeOutbox(later.id());
        }
      }
    });
  }

  // ================================================================= receiving

  /**
   * A push (I/O thread). When it carries the new entries themselves, they go to the messenger
   * thread to be processed without a fetch (see {@link #pushed}); otherwise it asks for a sync.
   */
  private void onPush(org.capnproto.MessageReader event) {
    List<Envelope> entries = NodeClient.pushedEntries(event);
    if (entries.isEmpty()) {
      requestSync();
      return;
    }
    if (!online || closed) {
      return;
    }
    if (pushedBacklog.addAndGet(entries.size()) > MAX_PUSHED_BACKLOG) {
      // This thread is far behind: a fetch will bring them (bounded memory).
      pushedBacklog.addAndGet(-entries.size());
      requestSync();
      return;
    }
    pushedEntries.addAll(entries);
    // One task for all events that arrive until it runs: they are processed as one batch.
    if (pushedQueued.compareAndSet(false, true)) {
      try {
        actor.execute(this::drainPushed);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing: the entries stay queued on the server
      }
    }
  }

  /** Fetch calls this messenger has sent. */
  long fetchCount() {
    return fetches.get();
  }

  /** Takes every pushed entry waiting, in seq order (events may arrive out of order). */
  private void drainPushed() {
    pushedQueued.set(false);
    java.util.TreeMap<Long, Envelope> bySeq = new java.util.TreeMap<>();
    for (Envelope e; (e = pushedEntries.poll()) != null; ) {
      pushedBacklog.decrementAndGet();
      bySeq.putIfAbsent(e.seq(), e);
    }
    if (!bySeq.isEmpty()) {
      pushed(new ArrayList<>(bySeq.values()));
    }
  }

  /**
   * Entries a push carried. They are processed here as a fetched batch would be (stored, then
   * acked) only if they continue exactly where this device's last fetch or pushed batch ended:
   * events of concurrent enqueues may arrive out of order, and a message must never be processed
   * ahead of an earlier one of its queue (a Commit before the messages of its epoch). They are
   * held meanwhile ({@link #heldPushes}): while a fetch is on its way they wait for its answer,
   * and on a gap a fetch is sent.
   */
  private void pushed(List<Envelope> entries) {
    if (secrets == null || closed) {
      return;
    }
    long cursor = fetchCursor;
    List<Envelope> fresh = cursor == 0 ? entries
        : entries.stream().filter(e -> e.seq() > cursor).toList();
    if (fresh.isEmpty()) {
      // Normally entries an earlier fetch already brought (everything up to the cursor was
      // processed). One that was not means the cursor is ahead of this server's queue (its
      // database started afresh): start over from the beginning of the queue.
      for (Envelope e : entries) {
        if (!store.isProcessed(e.messageId())) {
          fetchCursor = 0;
          backgroundSync();
          return;
        }
      }
      return;
    }
    if (heldPushes.size() + fresh.size() > MAX_PUSHED_BACKLOG) {
      // Far behind: a fetch brings them (bounded memory).
      heldPushes.clear();
      backgroundSync();
      return;
    }
    for (Envelope e : fresh) {
      heldPushes.putIfAbsent(e.seq(), e);
    }
    // While a fetch is on its way, its answer moves the cursor and then takes them on: before,
    // such a push asked for one more fetch, whose answer found the next pushes waiting again, so
    // under steady traffic nearly every push ended in a fetch of the entries it carried.
    if (!fetching && deliverHeld(true)) {
      commitPendingProposals();
    }
  }

  /**
   * Processes the held pushed entries that continue exactly at the cursor, after dropping those a
   * fetch already brought; on a gap before or after them, or with the cursor unknown, sends a
   * fetch if {@code mayFetch}. Called only with no fetch on its way.
   *
   * @param mayFetch false right after a fetch that brought nothing (or a foreground sync): what it
   *     could not bring expired or was processed meanwhile, and asking again would only repeat
   * @return true if nothing is held any more (and no fetch was sent, nothing failed)
   */
  private boolean deliverHeld(boolean mayFetch) {
    long cursor = fetchCursor;
    heldPushes.headMap(cursor, true).clear();
    if (heldPushes.isEmpty()) {
      return true;
    }
    List<Envelope> run = new ArrayList<>();
    if (cursor > 0 && !ackFailed) {
      long next = cursor + 1;
      for (Envelope e : heldPushes.values()) {
        if (e.seq() != next++) {
          break;
        }
        run.add(e);
      }
    }
    if (run.isEmpty()) {
      return fetchForHeld(mayFetch);
    }
    heldPushes.headMap(run.get(run.size() - 1).seq(), true).clear();
    sweepNowAndThen();
    pump.wake();
    if (!deliver(cursor, run)) {
      heldPushes.clear(); // the cursor went back to the start: a fetch brings them
      return false;
    }
    return heldPushes.isEmpty() || fetchForHeld(mayFetch); // a gap after the run
  }

  /**
   * A gap before held entries: fetch, or forget them when a fetch cannot help (the server queue
   * still holds whatever was not processed, for the next push or poll to bring).
   */
  private boolean fetchForHeld(boolean mayFetch) {
    if (mayFetch) {
      backgroundSync();
      return false;
    }
    heldPushes.clear();
    return true;
  }

  private void requestSync() {
    if (online && syncQueued.compareAndSet(false, true)) {
      actor.execute(this::backgroundSync);
    }
  }

  /** The poll timer's sync: like a push's, but from the start of the queue (see fetchCursor). */
  private void pollSync() {
    fetchCursor = 0;
    backgroundSync();
  }

  /**
   * A push's or the poll's sync. It never waits for the network on this thread: the fetch is
   * sent, and its answer is processed by {@link #fetched} when it arrives, so sends and other
   * work of this messenger go on meanwhile (before, every push held this thread for a fetch and
   * an ack round trip, and sendText calls queued behind them).
   */
  private void backgroundSync() {
    syncQueued.set(false);
    if (secrets == null || closed) {
      return;
    }
    sweepNowAndThen();
    // The outbox is the pump's, so this never waits behind its sends.
    pump.wake();
    if (fetching) {
      // What this push announced may have been queued after the fetch on its way was answered.
      fetchAgain = true;
      return;
    }
    fetchAsync();
  }

  /** Sweeps expired history, at most every {@link #SWEEP_EVERY_MILLIS}. */
  private void sweepNowAndThen() {
    long now = config.clock().millis();
    if (now - lastSweepMillis >= SWEEP_EVERY_MILLIS || now < lastSweepMillis) {
      lastSweepMillis = now;
      sweepExpired();
    }
  }

  /** Sends a fetch from {@link #fetchCursor}; its answer comes back to this thread. */
  private void fetchAsync() {
    fetching = true;
    fetchAgain = false;
    if (ackFailed) {
      // An ack was lost: what it covered is still queued before the cursor.
      ackFailed = false;
      fetchCursor = 0;
    }
    long after = fetchCursor;
    CompletableFuture<List<Envelope>> call;
    fetches.incrementAndGet();
    try {
      call = node.fetch(deviceId, after, FETCH_BATCH);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.orTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((batch, error) -> {
          try {
            actor.execute(() -> fetched(after, batch, error));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing was processed, so nothing is lost (it stays queued)
          }
        });
  }

  /** Processes a background fetch's answer on this thread, acks it, and fetches on if needed. */
  private void fetched(long after, List<Envelope> batch, Throwable error) {
    fetching = false;
    if (closed) {
      return;
    }
    if (error != null) {
      fetchCursor = 0;
      heldPushes.clear(); // still queued on the server: the next fetch brings them
      Throwable cause = unwrap(error);
      if (cause instanceof TimeoutException) {
        node.dropLink();
      }
      listener.onError(failure(cause, "fetch messages").getMessage());
      return;
    }
    online = true;
    if (!batch.isEmpty() && !deliver(after, batch)) {
      heldPushes.clear();
      return;
    }
    if (batch.size() >= FETCH_BATCH || fetchAgain) {
      fetchAsync();
      return;
    }
    if (deliverHeld(!batch.isEmpty())) {
      commitPendingProposals();
    }
  }

  /**
   * Processes entries that follow queue position {@code after} (fetched, or pushed), moves the
   * cursor past them and acks them without waiting; false if processing failed (reported; the
   * cursor goes back to the start so they come again).
   */
  private boolean deliver(long after, List<Envelope> batch) {
    List<byte[]> done;
    try {
      done = processBatch(batch);
    } catch (RuntimeException e) {
      fetchCursor = 0; // rolled back: the batch comes again
      listener.onError(e.getMessage());
      return false;
    }
    fetchCursor = Math.max(after, batch.get(batch.size() - 1).seq());
    queueAcks(done);
    return true;
  }

  /**
   * Acks processed entries soon (see {@link #ACK_DELAY_MILLIS}): at once when a full ack's worth
   * is waiting, otherwise together with those of the next pushes or fetches.
   */
  private void queueAcks(List<byte[]> done) {
    pendingAcks.addAll(done);
    if (pendingAcks.size() >= FETCH_BATCH) {
      flushAcks();
      return;
    }
    if (!ackScheduled && !pendingAcks.isEmpty()) {
      ackScheduled = true;
      try {
        actor.schedule(() -> {
          ackScheduled = false;
          flushAcks();
        }, ACK_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        ackScheduled = false; // closing: close() sends what is pending
      }
    }
  }

  /**
   * Sends the pending acks, at most {@link #FETCH_BATCH} ids per call (the server's bound), and
   * does not wait for them: the entries are durable here, and a lost ack only means they come
   * again (and are skipped as processed) after the cursor goes back to the start.
   *
   * @return completes when every call sent has been answered (or failed)
   */
  private CompletableFuture<Void> flushAcks() {
    List<CompletableFuture<?>> calls = new ArrayList<>();
    while (!pendingAcks.isEmpty()) {
      List<byte[]> part = pendingAcks.subList(0, Math.min(FETCH_BATCH, pendingAcks.size()));
      List<byte[]> ids = List.copyOf(part);
      part.clear();
      try {
        calls.add(node.ack(deviceId, ids).whenComplete((n, e) -> {
          if (e != null) {
            ackFailed = true;
          }
        }));
      } catch (RuntimeException e) {
        ackFailed = true;
      }
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null);
  }

  /** Sends the outbox, then fetches, processes and acknowledges until the queue is empty. */
  private void syncNow(boolean commitProposals) {
    flushOutbox();
    flushAcks();
    while (true) {
      fetches.incrementAndGet();
      List<Envelope> batch = await(node.fetch(deviceId, 0, FETCH_BATCH), "fetch messages");
      online = true;
      if (batch.isEmpty()) {
        break;
      }
      List<byte[]> done = processBatch(batch);
      await(node.ack(deviceId, done), "acknowledge messages");
      // Everything up to here is processed and acknowledged.
      fetchCursor = Math.max(fetchCursor, batch.get(batch.size() - 1).seq());
      if (batch.size() < FETCH_BATCH) {
        break;
      }
    }
    if (!fetching) {
      deliverHeld(false);
    }
    if (commitProposals) {
      commitPendingProposals();
    }
  }

  /**
   * Processes a fetched batch in one transaction (one commit instead of one per message);
   * listeners hear about it only once it is stored, and only then may it be acknowledged.
   *
   * @return the ids to acknowledge
   */
  private List<byte[]> processBatch(List<Envelope> batch) {
    List<byte[]> done = new ArrayList<>();
    listener.hold();
    try {
      store.inTransaction(() -> {
        batchSaves.begin();
        for (Envelope e : batch) {
          handle(e.messageId(), e.payload());
          done.add(e.messageId());
        }
        // Each group the batch changed is saved once, in the same transaction.
        for (String k : batchSaves.end()) {
          Group g = groups.get(k);
          if (g != null) {
            saveGroup(HexFormat.of().parseHex(k), g);
          }
        }
        return null;
      });
    } catch (RuntimeException e) {
      batchSaves.abandon();
      listener.discard();
      groups.clear(); // in-memory states may be ahead of what rolled back
      throw e;
    }
    listener.release();
    return done;
  }

  /** Commits the proposals received from others (a group with one pending has to move on). */
  private void commitPendingProposals() {
    for (String k : new ArrayList<>(proposalsPending)) {
      byte[] gid = HexFormat.of().parseHex(k);
      try {
        commitChange(gid, g -> proposalsPending.contains(k) && g.isActive()
            ? new Change(List.of(), List.of()) : null);
      } catch (MessengerException e) {
        listener.onError(e.getMessage());
      }
    }
  }

  /** Processes one queued message exactly once (its id is recorded with its effects). */
  private void handle(byte[] messageId, byte[] payload) {
    if (store.isProcessed(messageId)) {
      return;
    }
    MLSMessage message;
    try {
      message = MLSMessage.fromBytes(payload);
    } catch (MlsException e) {
      dropped(messageId, "Dropped a malformed message from the server queue: " + e.getMessage());
      return;
    }
    switch (message.wireFormat()) {
      case MLS_WELCOME -> handleWelcome(messageId, message);
      case MLS_PUBLIC_MESSAGE, MLS_PRIVATE_MESSAGE -> {
        byte[] gid = groupIdOf(message);
        Optional<StoredConversation> c = store.conversationInfo(gid);
        if (c.isEmpty()) {
          // Its Welcome may still be on the way: keep it until then.
          store.inTransaction(() -> {
            store.park(messageId, gid, payload, config.clock().millis());
            store.markProcessed(messageId, config.clock().millis());
            return null;
          });
        } else if (c.get().left()) {
          store.markProcessed(messageId, config.clock().millis());
        } else {
          handleGroupMessage(messageId, gid, message);
        }
      }
      default -> dropped(messageId, "Dropped a " + message.wireFormat()
          + " that should not be in a device queue.");
    }
  }

  private void dropped(byte[] messageId, String why) {
    store.markProcessed(messageId, config.clock().millis());
    listener.onError(why);
  }

  private void handleWelcome(byte[] messageId, MLSMessage message) {
    Welcome welcome;
    try {
      welcome = message.as(Welcome.class);
    } catch (MlsException e) {
      dropped(messageId, "Dropped a malformed invitation: " + e.getMessage());
      return;
    }
    byte[] ref = null;
    Map.Entry<byte[], Boolean> stored = null;
    for (EncryptedGroupSecrets s : welcome.secrets()) {
      Optional<Map.Entry<byte[], Boolean>> kp = store.keyPackage(s.newMember().value());
      if (kp.isPresent()) {
        ref = s.newMember().value();
        stored = kp.get();
        break;
      }
    }
    if (stored == null) {
      dropped(messageId, "Dropped an invitation for a key package this device does not have.");
      return;
    }
    byte[] kpRef = ref;
    boolean lastResort = stored.getValue();
    Group g;
    try {
      g = Group.join(suite, welcome, decodeBundle(seal.open("key package", kpRef, stored.getKey())),
          Optional.empty(), ExternalPsks.none(), options());
    } catch (MlsException e) {
      dropped(messageId, "Could not join a group from an invitation: " + e.getMessage());
      return;
    }
    byte[] gid = g.groupId();
    if (store.conversation(gid).isPresent()) {
      dropped(messageId, "Ignored a second invitation to a conversation this device is in.");
      return;
    }
    GroupProfile profile = profileOf(g);
    for (Member m : g.members()) {
      String name = nameOf(m);
      if (!directory.isDeviceOf(name, m.signatureKey())) {
        listener.onError("Warning: in the group you were added to, a device claiming to be "
            + name + " is not certified by " + name + "'s identity key.");
      }
    }
    long now = config.clock().millis();
    groups.put(key(gid), g);
    persist(gid, () -> {
      store.putConversation(new StoredConversation(gid, profile.dm(), displayName(g), now,
          seal.seal("group", gid, g.save()), false));
      if (!lastResort) {
        store.deleteKeyPackage(kpRef);
      }
      store.markProcessed(messageId, now);
    });
    Conversation view = view(gid);
    systemLine(gid, view.dm() ? "DM with " + view.name() + " started."
        : "You joined " + view.label() + " (members: " + String.join(", ", view.members()) + ").");
    listener.onConversation(view);
    for (byte[][] parked : store.parked(gid)) {
      store.unpark(parked[0]);
      try {
        handleGroupMessage(parked[0], gid, MLSMessage.fromBytes(parked[1]));
      } catch (MlsException e) {
        listener.onError("Dropped a malformed parked message: " + e.getMessage());
      }
    }
    if (!lastResort || store.keyPackage(kpRef).isEmpty()) {
      topUpKeyPackages();
    }
  }

  private void handleGroupMessage(byte[] messageId, byte[] gid, MLSMessage message) {
    Group g = activeGroupOrNull(gid);
    if (g == null) {
      store.markProcessed(messageId, config.clock().millis());
      return;
    }
    Roster rosterBefore = roster(g);
    GroupProfile before = rosterBefore.profile();
    Map<Integer, String> namesBefore = rosterBefore.byLeaf();
    pendingWrites.clear();
    GroupEvent event;
    try {
      event = g.process(message);
    } catch (MlsException e) {
      dropped(messageId, "Could not read a message in " + label(gid) + ": " + e.getMessage());
      return;
    }
    long now = config.clock().millis();
    List<StoredMessage> lines = new ArrayList<>();
    boolean[] left = {false};
    List<Runnable> notices = new ArrayList<>();
    if (event instanceof GroupEvent.ApplicationMessage app) {
      received(gid, namesBefore.getOrDefault(app.sender().value(), "?"), app.data(), now,
          lines, notices);
    } else if (event instanceof GroupEvent.ProposalReceived) {
      proposalsPending.add(key(gid));
    } else if (event instanceof GroupEvent.CommitApplied commit) {
      proposalsPending.remove(key(gid));
      String who = commit.committer() instanceof Sender.Member m
          ? namesBefore.getOrDefault(m.leafIndex().value(), "?") : "someone";
      Set<String> added = names(commit.added());
      Set<String> removed = names(commit.removed());
      if (!added.isEmpty()) {
        lines.add(system(gid, who + " added " + describeLeaves(commit.added(), g, true) + ".",
            now));
      }
      if (commit.selfRemoved()) {
        left[0] = true;
        lines.add(system(gid, who + " removed you.", now));
      } else if (!removed.isEmpty()) {
        lines.add(system(gid, who + " removed " + describeLeaves(commit.removed(), g, false)
            + ".", now));
      }
      GroupProfile after = profileOf(g);
      if (!after.name().equals(before.name())) {
        lines.add(system(gid, who + " renamed the group to " + after.name() + ".", now));
      }
    }
    List<StoredMessage> updates = new ArrayList<>();
    persist(gid, () -> {
      if (left[0]) {
        storeLeft(gid);
      } else if (!batchSaves.defer(key(gid))) {
        saveGroup(gid, g);
      }
      lines.removeIf(line -> !store.addMessage(line));
      long ttl = store.ttlSeconds(gid);
      for (StoredMessage line : lines) {
        if (ttl > 0 && line.kind() != StoredMessage.Kind.SYSTEM) {
          // Disappears when the author's copy does (never later than ttl from now).
          store.setExpiry(gid, line.messageId(),
              Math.min(line.sentAtMillis(), now) + ttl * 1000);
        }
      }
      for (Writes w : pendingWrites) {
        w.run();
      }
      for (StoredMessage line : lines) {
        if (applyPendingOps(gid, line)) {
          updates.add(store.message(gid, line.messageId()).orElseThrow());
        }
      }
      store.markProcessed(messageId, now);
    });
    if (left[0]) {
      groups.remove(key(gid));
      proposalsPending.remove(key(gid));
    }
    Conversation view = view(gid);
    // The conversation's new state (members, name, left) first, so a UI showing the lines below
    // already shows them in that state.
    if (event instanceof GroupEvent.CommitApplied) {
      listener.onConversation(view);
    }
    for (StoredMessage line : lines) {
      listener.onMessage(view, line);
    }
    for (StoredMessage line : updates) {
      listener.onUpdate(view, line);
    }
    notices.forEach(Runnable::run);
  }

  private static final int OP_EDIT = 1;
  private static final int OP_DELETE = 2;

  /**
   * What an incoming AppMessage does: new history lines go to {@code lines} (stored by the
   * caller in its transaction); edits, deletes, reactions and receipts are applied here, inside
   * that same transaction (the caller runs this before persisting), and their listener calls
   * are queued in {@code notices} for after the commit.
   */
  private void received(byte[] gid, String sender, byte[] data, long now,
      List<StoredMessage> lines, List<Runnable> notices) {
    AppMessage m;
    try {
      m = AppMessageCodec.decode(Padding.unpad(data));
    } catch (Exception e) {
      lines.add(new StoredMessage(gid, randomId(), sender, now, now,
          StoredMessage.Kind.UNSUPPORTED, "unreadable message (" + e.getMessage() + ")", false));
      return;
    }
    // Sent by another device of this account: shown (and editable) as this account's own.
    boolean mine = sender.equals(userName());
    if (m instanceof AppMessage.Text t) {
      lines.add(new StoredMessage(gid, t.id().bytes(), sender, t.sentAt().toEpochMilli(), now,
          StoredMessage.Kind.TEXT, t.body(), mine));
    } else if (m instanceof AppMessage.Reply r) {
      lines.add(new StoredMessage(gid, r.id().bytes(), sender, r.sentAt().toEpochMilli(), now,
          StoredMessage.Kind.TEXT, r.body(), mine, r.inReplyTo().bytes(), false, false));
    } else if (m instanceof AppMessage.Edit e) {
      changeLater(gid, sender, e.target().bytes(), OP_EDIT, e.body(), e.sentAt(), notices);
    } else if (m instanceof AppMessage.Delete d) {
      changeLater(gid, sender, d.target().bytes(), OP_DELETE, null, d.sentAt(), notices);
    } else if (m instanceof AppMessage.Reaction r) {
      pendingWrites.add(() -> store.setReaction(gid, r.target().bytes(), sender, r.emoji(),
          !r.remove()));
      notices.add(() -> listener.onReaction(view(gid), r.target().bytes(), sender, r.emoji(),
          !r.remove()));
    } else if (m instanceof AppMessage.ReadReceipt r) {
      List<byte[]> ids = r.read().stream().map(MessageId::bytes).toList();
      pendingWrites.add(() -> ids.forEach(id -> store.addReceipt(gid, id, sender, now)));
      notices.add(() -> listener.onRead(view(gid), sender, ids));
    } else if (m instanceof AppMessage.FileRef f) {
      lines.add(new StoredMessage(gid, f.id().bytes(), sender, f.sentAt().toEpochMilli(), now,
          StoredMessage.Kind.FILE, describeFile(f.name(), f.size()), mine));
      byte[] encoded = AppMessageCodec.encode(f);
      pendingWrites.add(() -> store.putFile(gid, f.id().bytes(),
          seal.seal("file link", f.id().bytes(), encoded)));
    } else if (m instanceof AppMessage.DisappearingTimer t) {
      long seconds = t.timer().getSeconds();
      pendingWrites.add(() -> store.setTtlSeconds(gid, seconds));
      lines.add(system(gid, sender + " " + describeTtl(seconds) + ".", now));
    } else if (m instanceof AppMessage.Typing t) {
      notices.add(() -> listener.onTyping(view(gid), sender, t.typing()));
    } else if (m instanceof AppMessage.Known k) {
      lines.add(new StoredMessage(gid, k.id().bytes(), sender, k.sentAt().toEpochMilli(), now,
          StoredMessage.Kind.UNSUPPORTED, "unsupported message (" + k.type() + ")", false));
    } else {
      // A type from a newer client: kept and shown, never dropped silently.
      lines.add(new StoredMessage(gid, randomId(), sender, now, now,
          StoredMessage.Kind.UNSUPPORTED, "unsupported message (type 0x"
              + Integer.toHexString(m.typeCode()) + ")", false));
    }
  }

  /** Writes of the message being processed, run inside its transaction. */
  private final List<Writes> pendingWrites = new ArrayList<>();

  /**
   * An edit or delete: applied now if its target is here and by the same author, otherwise kept
   * until the target arrives (messages can arrive out of order).
   */
  private void changeLater(byte[] gid, String sender, byte[] target, int op, String body,
      Instant sentAt, List<Runnable> notices) {
    pendingWrites.add(() -> {
      Optional<StoredMessage> original = store.message(gid, target);
      if (original.isEmpty()) {
        store.addPendingOp(gid, target, sender, op, body, sentAt.toEpochMilli());
        return;
      }
      if (apply(gid, original.get(), sender, op, body)) {
        StoredMessage updated = store.message(gid, target).orElseThrow();
        notices.add(() -> listener.onUpdate(view(gid), updated));
      }
    });
  }

  /** Applies edits and deletes that arrived before {@code line}; whether anything changed. */
  private boolean applyPendingOps(byte[] gid, StoredMessage line) {
    boolean changed = false;
    for (String[] op : store.takePendingOps(gid, line.messageId())) {
      StoredMessage current = store.message(gid, line.messageId()).orElseThrow();
      changed |= apply(gid, current, op[0], Integer.parseInt(op[1]), op[2]);
    }
    return changed;
  }

  /** Only the author may edit or delete; nothing changes a deleted message. */
  private boolean apply(byte[] gid, StoredMessage target, String sender, int op, String body) {
    boolean deletableFile = op == OP_DELETE && target.kind() == StoredMessage.Kind.FILE;
    if (target.deleted() || (target.kind() != StoredMessage.Kind.TEXT && !deletableFile)
        || !target.sender().equals(sender)) {
      if (!target.sender().equals(sender)) {
        listener.onError(sender + " tried to change a message by " + target.sender()
            + "; ignored.");
      }
      return false;
    }
    if (op == OP_DELETE) {
      store.deleteMessage(gid, target.messageId());
    } else {
      store.editMessage(gid, target.messageId(), body);
    }
    return true;
  }

  // ================================================================= state plumbing

  private GroupOptions options() {
    return GroupOptions.defaults().withClock(config.clock());
  }

  /** Local writes that may also change an in-memory group. */
  @FunctionalInterface
  private interface Writes {
    void run() throws Exception;
  }

  /** Runs local writes atomically; if they fail, the in-memory group is reloaded from disk. */
  private void persist(byte[] gid, Writes writes) {
    try {
      store.inTransaction(() -> {
        writes.run();
        return null;
      });
    } catch (RuntimeException e) {
      groups.remove(key(gid));
      throw new MessengerException("Could not save to the local database: " + e.getMessage(), e);
    }
  }

  /** Stores the group's state and its current display name (kept for after leaving). */
  private void saveGroup(byte[] gid, Group g) {
    if (!store.updateConversationState(gid, displayName(g), seal.seal("group", gid, g.save()))) {
      throw new java.util.NoSuchElementException("no conversation " + key(gid));
    }
  }

  /** A group's name, or for a DM the other member(s). */
  private String displayName(Group g) {
    return roster(g).displayName();
  }

  /**
   * What views, saves and incoming messages need of a group's members and profile, worked out
   * once per GroupContext: members and extensions change only with it (a new epoch), and every
   * message used to decode them again, several times.
   *
   * @param context     the GroupContext it was worked out from (compared by identity)
   * @param profile     the group's profile extension
   * @param displayName the group's name, or for a DM the other member(s)
   * @param names       user names in member order, without repeats
   * @param byLeaf      user name by leaf index
   */
  private record Roster(GroupContext context, GroupProfile profile, String displayName,
      List<String> names, Map<Integer, String> byLeaf) {
  }

  private Roster roster(Group g) {
    GroupContext context = g.groupContext();
    String k = key(context.groupId());
    Roster r = rosters.get(k);
    if (r != null && r.context() == context) {
      return r;
    }
    GroupProfile p = profileOf(g);
    List<Member> members = g.members();
    Map<Integer, String> byLeaf = new HashMap<>();
    for (Member m : members) {
      byLeaf.put(m.leafIndex().value(), nameOf(m));
    }
    List<String> names = List.copyOf(names(members));
    String display = p.name();
    if (p.dm()) {
      List<String> others = names.stream().filter(n -> !n.equals(userName())).toList();
      display = others.isEmpty() ? userName() : String.join(",", others);
    }
    r = new Roster(context, p, display, names, Map.copyOf(byLeaf));
    rosters.put(k, r);
    return r;
  }

  /** Marks the conversation left and drops its MLS state (its keys) from the database. */
  private void storeLeft(byte[] gid) {
    StoredConversation c = store.conversation(gid).orElseThrow();
    store.putConversation(new StoredConversation(gid, c.dm(), c.name(), c.createdAtMillis(),
        null, true));
  }

  private void markLeft(byte[] gid) {
    persist(gid, () -> storeLeft(gid));
    groups.remove(key(gid));
    proposalsPending.remove(key(gid));
    listener.onConversation(view(gid));
  }

  private Group groupOrNull(byte[] gid) {
    Group g = groups.get(key(gid));
    if (g != null) {
      return g;
    }
    Optional<StoredConversation> c = store.conversation(gid);
    if (c.isEmpty() || c.get().left() || c.get().sealedState() == null) {
      return null;
    }
    try {
      g = Group.restore(seal.open("group", gid, c.get().sealedState()), random, config.clock());
    } catch (MlsException e) {
      throw new MessengerException("The saved state of " + c.get().name()
          + " cannot be restored: " + e.getMessage(), e);
    }
    groups.put(key(gid), g);
    return g;
  }

  private Group activeGroupOrNull(byte[] gid) {
    Group g = groupOrNull(gid);
    return g != null && g.isActive() ? g : null;
  }

  private Group activeGroup(byte[] gid) {
    Group g = activeGroupOrNull(gid);
    if (g == null) {
      throw new MessengerException("You are no longer in " + label(gid) + ".");
    }
    return g;
  }

  private Conversation view(byte[] gid) {
    return view(store.conversationInfo(gid).orElseThrow(
        () -> new MessengerException("Unknown conversation.")));
  }

  private Conversation view(StoredConversation c) {
    Group g = c.left() ? null : groupOrNull(c.groupId());
    if (g == null) {
      return new Conversation(c.groupId(), c.dm(), c.name().isEmpty() ? "(left)" : c.name(),
          List.of(), -1, true);
    }
    Roster r = roster(g);
    return new Conversation(c.groupId(), r.profile().dm(), r.displayName(),
        new ArrayList<>(r.names()), g.epoch(), false);
  }

  private String label(byte[] gid) {
    return store.conversation(gid).map(c -> view(c).label()).orElse("an unknown conversation");
  }

  private static GroupProfile profileOf(Group g) {
    return GroupProfile.from(g.groupContext().extensions())
        .orElse(new GroupProfile(false, "unnamed"));
  }

  private void systemLine(byte[] gid, String text) {
    long now = config.clock().millis();
    StoredMessage line = system(gid, text, now);
    store.addMessage(line);
    listener.onMessage(view(gid), line);
  }

  private StoredMessage system(byte[] gid, String text, long now) {
    return new StoredMessage(gid, randomId(), "", now, now, StoredMessage.Kind.SYSTEM, text, false);
  }

  private Set<String> names(List<Member> members) {
    Set<String> out = new LinkedHashSet<>();
    for (Member m : members) {
      out.add(nameOf(m));
    }
    return out;
  }

  /**
   * Who a commit added or removed, for a history line: user names, except that a user who has
   * other leaves in the group {@code after} it is named as "a device of NAME" (or "N devices of
   * NAME"): a device linked to or revoked from an account, not a new or departed member.
   */
  private String describeLeaves(List<Member> changed, Group after, boolean added) {
    Map<String, Integer> changedCount = new java.util.LinkedHashMap<>();
    for (Member m : changed) {
      changedCount.merge(nameOf(m), 1, Integer::sum);
    }
    Map<String, Integer> nowCount = new HashMap<>();
    for (Member m : after.members()) {
      nowCount.merge(nameOf(m), 1, Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    changedCount.forEach((name, n) -> {
      int others = nowCount.getOrDefault(name, 0) - (added ? n : 0);
      parts.add(others > 0 ? (n == 1 ? "a device of " : n + " devices of ") + name : name);
    });
    return String.join(", ", parts);
  }

  /** A member's user name: qpq leaves carry a basic credential whose identity is the name. */
  private static String nameOf(Member m) {
    return identityOf(m.credential());
  }

  private static String identityOf(Credential c) {
    return c instanceof Credential.Basic b ? new String(b.identity(), StandardCharsets.UTF_8)
        : "(non-qpq member)";
  }

  private String checkOtherUser(String user) {
    String u = user == null ? "" : user.strip();
    if (u.startsWith("@")) {
      u = u.substring(1);
    }
    try {
      u = UserName.parse(u).value();
    } catch (InvalidIdentityException e) {
      throw new MessengerException("\"" + user + "\" is not a valid user name: " + e.getMessage(), e);
    }
    if (u.equals(userName())) {
      throw new MessengerException("That is you.");
    }
    return u;
  }

  private static byte[] groupIdOf(MLSMessage m) {
    try {
      return m.wireFormat() == WireFormat.MLS_PUBLIC_MESSAGE
          ? m.as(PublicMessage.class).content().groupId()
          : m.as(PrivateMessage.class).groupId();
    } catch (MlsException e) {
      throw new IllegalStateException("wire format checked by the caller", e);
    }
  }

  private static WireFormat wireFormat(byte[] payload) {
    try {
      return MLSMessage.fromBytes(payload).wireFormat();
    } catch (MlsException e) {
      return null;
    }
  }

  private byte[] randomId() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return id;
  }

  private static String key(byte[] gid) {
    return HexFormat.of().formatHex(gid);
  }

  // ================================================================= devices

  /** Every device of this account, revoked ones included, oldest first. */
  public List<org.quicproquo.client.DeviceInfo> devices() {
    return onActor(() -> {
      requireAccount();
      return await(node.listDevices(), "list your devices");
    });
  }

  /**
   * Starts linking a new device to this account: returns at once with a one-time code (valid 10
   * minutes) to type on the new device. In the background this device then certifies the new
   * device's key, registers it and adds it to every conversation; the link's future completes
   * with the new device's id (or fails with a {@link DeviceLinkException}).
   */
  public DeviceLink linkDevice() {
    org.quicproquo.core.identity.IdentityKeyPair identity = onActor(() -> {
      requireAccount();
      return secrets.identity().orElseThrow(() -> new MessengerException(
          "This device does not hold the account's identity key; link from another device."));
    });
    return deviceLinker.start(secrets.user(), identity);
  }

  /**
   * Makes this empty state directory a new device of {@code user}'s account, using the code
   * shown by one of its existing devices ({@link #linkDevice}), then connects. Blocks until the
   * other device answered (or the code expired). The new device gets the identity key too, so it
   * can link and revoke devices itself; it sees conversations from when it is added, not before.
   *
   * @throws DeviceLinkException if the code is wrong, expired, used or tampered with (nothing
   *     is written then)
   */
  public void linkToAccount(String user, String code) {
    UserName name = onActor(() -> {
      if (secrets != null) {
        throw new MessengerException("This state directory already holds the account "
            + secrets.user().value() + ".");
      }
      try {
        return UserName.parse(user == null ? "" : user.strip());
      } catch (InvalidIdentityException e) {
        throw new MessengerException("\"" + user + "\" is not a valid user name: "
            + e.getMessage(), e);
      }
    });
    DeviceLinker.Linked linked;
    try {
      linked = deviceLinker.join(name, code);
    } catch (RuntimeException e) {
      throw DeviceLinker.linkFailure(e);
    }
    onActor(() -> {
      Account.write(config.client().stateDir(), linked.secrets(), config.passphrase(), random);
      store.putMeta("user", name.value().getBytes(StandardCharsets.UTF_8));
      store.putMetaLong("device_id", linked.deviceId());
      unlock(linked.secrets(), linked.deviceId());
      connectNow();
      return null;
    });
  }

  /**
   * Revokes another device of this account: the server refuses it from now on (login, fetch)
   * and deletes its queue, and this device removes it from every conversation.
   */
  public void revokeDevice(long id) {
    onActor(() -> {
      requireAccount();
      if (id == deviceId) {
        throw new MessengerException("That is this device; revoke it from another one.");
      }
      try {
        await(node.revokeDevice(id), "revoke device " + id);
      } catch (MessengerException e) {
        if ("NOT_AUTHORIZED".equals(code(e))) {
          throw new MessengerException("You have no device " + id + "; /devices lists them.", e);
        }
        throw e;
      }
      reconcileDevicesNow(null);
      return null;
    });
  }

  /** Registers a device the identity key certified (the linker's step on this device). */
  long registerLinkedDevice(byte[] deviceKey, byte[] certificate) {
    return onActor(() -> {
      requireAccount();
      // Before the server can log it, so this device's KT monitor never alerts about it.
      devicesLinkedHere.add(java.nio.ByteBuffer.wrap(deviceKey.clone()));
      return await(node.registerDevice(deviceKey, certificate), "register the new device");
    });
  }

  /**
   * Brings every conversation in line with this account's active devices; returns the ids of
   * devices that could not be added yet (no KeyPackage on the server so far).
   */
  Set<Long> reconcileDevices() {
    return onActor(() -> reconcileDevicesNow(null));
  }

  private void addOwnDevicesQuietly(byte[] onlyGroup) {
    try {
      reconcileDevicesNow(onlyGroup);
    } catch (MessengerException e) {
      listener.onError("Could not bring your other devices into your conversations: "
          + e.getMessage());
    }
  }

  /**
   * For each active conversation ({@code onlyGroup}: just that one): adds a leaf for every
   * active certified device of this account that has none (its KeyPackage fetched from the
   * server, one per conversation) and removes the leaves of this account's devices that are no
   * longer active (revoked). The device list is checked against this account's own identity key,
   * never the server's word.
   */
  private Set<Long> reconcileDevicesNow(byte[] onlyGroup) {
    requireAccount();
    String me = userName();
    org.quicproquo.core.identity.IdentityKey identity = secrets.identity()
        .map(org.quicproquo.core.identity.IdentityKeyPair::publicKey).orElse(null);
    org.quicproquo.client.ResolvedUser resolved =
        await(node.resolveUser(me), "look up your devices");
    if (identity == null || !Arrays.equals(identity.bytes(), resolved.identityKey())) {
      throw new MessengerException("The server gives another identity key for your account; "
          + "not changing any conversation.");
    }
    Map<String, Long> active = new HashMap<>();
    for (org.quicproquo.client.DeviceEntry d : resolved.devices()) {
      if (identity.verify(AuthTranscripts.deviceCertificate(me, d.signatureKey()),
          d.certificate())) {
        active.put(key(d.signatureKey()), d.deviceId());
      }
    }
    Set<Long> waiting = new java.util.TreeSet<>();
    Set<Long> noKeyPackage = new HashSet<>();
    for (StoredConversation c : store.conversations()) {
      if (c.left() || (onlyGroup != null && !Arrays.equals(onlyGroup, c.groupId()))) {
        continue;
      }
      byte[] gid = c.groupId();
      Group g = activeGroupOrNull(gid);
      if (g == null) {
        continue;
      }
      Set<String> present = new HashSet<>();
      boolean stale = false;
      for (Member m : g.members()) {
        if (nameOf(m).equals(me)) {
          present.add(key(m.signatureKey()));
          stale |= !active.containsKey(key(m.signatureKey()))
              && !m.leafIndex().equals(g.ownLeafIndex());
        }
      }
      Set<Long> missing = new HashSet<>();
      active.forEach((k, id) -> {
        if (!present.contains(k)) {
          missing.add(id);
        }
      });
      missing.removeAll(noKeyPackage);
      waiting.addAll(noKeyPackage);
      Map<Long, KeyPackage> adds = new HashMap<>();
      if (!missing.isEmpty()) {
        for (DeviceKeyPackage d : await(node.fetchKeyPackages(me), "fetch your devices' keys")) {
          if (missing.contains(d.deviceId())) {
            KeyPackage kp = ownKeyPackage(me, d, active);
            if (kp != null) {
              adds.put(d.deviceId(), kp);
            }
          }
        }
        for (Long id : missing) {
          if (!adds.containsKey(id)) {
            noKeyPackage.add(id);
            waiting.add(id);
          }
        }
      }
      if (!stale && adds.isEmpty()) {
        continue;
      }
      if (stale) {
        directory.forgetDevices(); // the cache may still list the revoked device as a recipient
      }
      try {
        commitChange(gid, cur -> {
          List<Proposal> proposals = new ArrayList<>();
          List<Long> welcome = new ArrayList<>();
          Set<String> now = new HashSet<>();
          for (Member m : cur.members()) {
            if (nameOf(m).equals(me)) {
              now.add(key(m.signatureKey()));
              if (!active.containsKey(key(m.signatureKey()))
                  && !m.leafIndex().equals(cur.ownLeafIndex())) {
                proposals.add(new Proposal.Remove(m.leafIndex().value()));
              }
            }
          }
          adds.forEach((id, kp) -> {
            if (!now.contains(key(kp.leafNode().signatureKey()))) {
              proposals.add(new Proposal.Add(kp));
              welcome.add(id);
            }
          });
          return proposals.isEmpty() ? null : new Change(proposals, welcome);
        });
      } catch (MessengerException e) {
        listener.onError("Could not update your devices in " + label(gid) + ": "
            + e.getMessage());
        waiting.addAll(adds.keySet());
      }
    }
    return waiting;
  }

  /** The KeyPackage of one of this account's active devices, checked; null if it is not one. */
  private KeyPackage ownKeyPackage(String me, DeviceKeyPackage d, Map<String, Long> active) {
    try {
      KeyPackage kp = MLSMessage.fromBytes(d.keyPackage()).as(KeyPackage.class);
      kp.verify(suite);
      Long owner = active.get(key(kp.leafNode().signatureKey()));
      if (!me.equals(identityOf(kp.leafNode().credential())) || owner == null
          || owner != d.deviceId()) {
        listener.onError("Ignoring a key package the server gave for your device "
            + d.deviceId() + " that is not signed by that device.");
        return null;
      }
      return kp;
    } catch (MlsException e) {
      listener.onError("Ignoring an invalid key package of your device " + d.deviceId() + ": "
          + e.getMessage());
      return null;
    }
  }

  /** Lowers the link code's Argon2id cost and lifetime (tests; both devices must agree). */
  void linkSettings(org.quicproquo.core.keystore.Argon2Params kdf, java.time.Duration lifetime) {
    deviceLinker.kdf(kdf);
    deviceLinker.lifetime(lifetime);
  }

  // ================================================================= threading

  /** Runs {@code work} on the messenger thread and waits for it. */
  <T> T onActor(Callable<T> work) {
    if (Thread.currentThread() == actorThread) {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new MessengerException(e.getMessage(), e);
      }
    }
    Future<T> f = actor.submit(work);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessengerException("Interrupted.", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MessengerException m) {
        throw m;
      }
      throw new MessengerException(String.valueOf(cause.getMessage()), cause);
    }
  }

  /** Waits for an RPC; failures become a {@link MessengerException} whose cause is the RPC error. */
  <T> T await(CompletableFuture<T> call, String what) {
    try {
      return call.get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessengerException("Interrupted while trying to " + what + ".", e);
    } catch (TimeoutException e) {
      call.cancel(true);
      node.dropLink();
      throw failure(e, what);
    } catch (ExecutionException e) {
      throw failure(e.getCause(), what);
    }
  }

  /** An RPC's failure as the {@link MessengerException} to report (its cause the RPC error). */
  private static MessengerException failure(Throwable cause, String what) {
    if (cause instanceof TimeoutException) {
      return new MessengerException("The server did not answer in time while trying to "
          + what + ".", cause);
    }
    if (cause instanceof RpcException r) {
      if (r.type() == org.quicproquo.rpc.ExceptionType.DISCONNECTED) {
        return new MessengerException("Cannot reach the server to " + what + " ("
            + r.detail() + ").", r);
      }
      return new MessengerException("Could not " + what + ": " + r.detail() + " ("
          + r.code() + ").", r);
    }
    return new MessengerException("Could not " + what + ": " + cause.getMessage(), cause);
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The server's error code behind a failure, or null if the server was not reached. */
  private static String code(MessengerException e) {
    if (e.getCause() instanceof RpcException r
        && r.type() != org.quicproquo.rpc.ExceptionType.DISCONNECTED) {
      return r.code();
    }
    return null;
  }

  /** Stops syncing and closes the connection and the database. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (online && !actor.isShutdown()) {
      // Give what was just sent its chance to leave (sendText returns before sending); what
      // does not make it stays in the outbox for the next start.
      try {
        actor.submit(() -> {
          flushQuietly();
          // Acks still waiting go now (not going only means those entries come again).
          return flushAcks();
        }).get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
        // closing anyway
      }
    }
    closed = true;
    deviceLinker.close();
    // Closing the connection first makes any call the messenger thread or the outbox pump is
    // waiting on fail at once, instead of after its timeout.
    node.close();
    pump.close();
    actor.shutdownNow();
    try {
      actor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pendingTexts.failAll(CLOSED_BEFORE_STORED);
    store.close();
  }
}
