package org.quicproquo.server;

import org.quicproquo.core.identity.AuthTranscripts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.capnproto.Data;
import org.capnproto.DataList;
import org.capnproto.MessageBuilder;
import org.capnproto.PrimitiveList;
import org.quicproquo.mls.codec.DecodeException;
import org.quicproquo.mls.message.ContentType;
import org.quicproquo.mls.message.MLSMessage;
import org.quicproquo.mls.message.PublicMessage;
import org.quicproquo.mls.message.WireFormat;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.Qpq.NodeService.AckParams;
import org.quicproquo.proto.Qpq.NodeService.AckResults;
import org.quicproquo.proto.Qpq.NodeService.EnqueueBatchParams;
import org.quicproquo.proto.Qpq.NodeService.EnqueueBatchResults;
import org.quicproquo.proto.Qpq.NodeService.EnqueueParams;
import org.quicproquo.proto.Qpq.NodeService.EnqueueResults;
import org.quicproquo.proto.Qpq.NodeService.FetchGroupInfoParams;
import org.quicproquo.proto.Qpq.NodeService.FetchGroupInfoResults;
import org.quicproquo.proto.Qpq.NodeService.FetchKeyPackagesParams;
import org.quicproquo.proto.Qpq.NodeService.FetchKeyPackagesResults;
import org.quicproquo.proto.Qpq.NodeService.FetchParams;
import org.quicproquo.proto.Qpq.NodeService.FetchResults;
import org.quicproquo.proto.Qpq.NodeService.LoginChallengeParams;
import org.quicproquo.proto.Qpq.NodeService.LoginChallengeResults;
import org.quicproquo.proto.Qpq.NodeService.LoginParams;
import org.quicproquo.proto.Qpq.NodeService.PublishGroupInfoParams;
import org.quicproquo.proto.Qpq.NodeService.PublishGroupInfoResults;
import org.quicproquo.proto.Qpq.NodeService.RegisterParams;
import org.quicproquo.proto.Qpq.NodeService.RegisterResults;
import org.quicproquo.proto.Qpq.NodeService.ResolveUserParams;
import org.quicproquo.proto.Qpq.NodeService.ResolveUserResults;
import org.quicproquo.proto.Qpq.NodeService.UploadKeyPackagesParams;
import org.quicproquo.proto.Qpq.NodeService.UploadKeyPackagesResults;
import org.quicproquo.kt.ConsistencyProof;
import org.quicproquo.rpc.CallContext;
import org.quicproquo.rpc.Capability;
import org.quicproquo.rpc.ExceptionType;
import org.quicproquo.rpc.LogRedaction;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.rpc.ServerConnection;
import org.quicproquo.server.kt.KeyTransparency;
import org.quicproquo.server.store.BlobId;
import org.quicproquo.server.store.BlobRecord;
import org.quicproquo.server.store.CommitDecision;
import org.quicproquo.server.store.Device;
import org.quicproquo.server.store.DeviceId;
import org.quicproquo.server.store.Enqueued;
import org.quicproquo.server.store.Epoch;
import org.quicproquo.server.store.GroupId;
import org.quicproquo.server.store.InvalidValueException;
import org.quicproquo.server.store.MessageId;
import org.quicproquo.server.store.NameTakenException;
import org.quicproquo.server.store.NewDevice;
import org.quicproquo.server.store.NotRecipientException;
import org.quicproquo.server.store.PublishedGroupInfo;
import org.quicproquo.server.store.QueuedMessage;
import org.quicproquo.server.store.QuotaExceededException;
import org.quicproquo.server.store.Registration;
import org.quicproquo.server.store.Store;
import org.quicproquo.server.store.StoreLimits;
import org.quicproquo.server.store.StoredKeyPackage;
import org.quicproquo.server.store.StoreException;
import org.quicproquo.server.store.UnknownDeviceException;
import org.quicproquo.server.store.UnknownUserException;
import org.quicproquo.server.store.User;
import org.quicproquo.server.store.UserName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bootstrap capability of one client connection: dispatches {@code NodeService} methods by
 * ordinal. One instance per QUIC connection, because the login is scoped to it. Calls run on the
 * server's worker executor (they block on the store) and may run concurrently when the client
 * uses several streams, so the login state is guarded by this object's lock.
 */
final class NodeService implements Capability {
  /** Longest disappearing-message timer the server honours (one year). */
  static final long MAX_TTL_SECONDS = 31_536_000L;

  /** Most items in one enqueueBatch (docs/wire.md): bounds one transaction's work. */
  static final int MAX_BATCH_ITEMS = 256;

  /** Most queue entries (recipients summed over the items) in one enqueueBatch. */
  static final int MAX_BATCH_ENTRIES = 4096;

  static final int NONCE_BYTES = 32;

  private static final Logger log = LoggerFactory.getLogger(NodeService.class);

  private final NodeContext node;
  private final ServerConnection connection;
  /** Every name, id, address and error detail in a log line goes through this. */
  private final LogRedaction redaction;
  private final String addressIdentity;

  /** The pending challenge (device id and nonce); null when none. Guarded by {@code this}. */
  private Challenge challenge;
  /** The logged-in device; null before login. Guarded by {@code this}. */
  private Session session;

  private record Challenge(long deviceId, byte[] nonce) {}

  /** The device's signature key is fixed for the device's lifetime, so it is kept here. */
  private record Session(DeviceId device, UserName user, byte[] deviceKey) {}

  NodeService(NodeContext node, ServerConnection connection, LogRedaction redaction) {
    this.node = node;
    this.connection = connection;
    this.redaction = redaction;
    // Calls before login are rate-limited per client IP address (the port changes per connection).
    var remote = connection.remoteAddress();
    this.addressIdentity = "ip:" + (remote == null ? "unknown"
        : remote.getAddress() == null ? remote.getHostString()
        : remote.getAddress().getHostAddress());
  }

  @Override
  public CompletableFuture<Void> call(long interfaceId, int methodId, CallContext ctx) {
    if (interfaceId != Qpq.NodeService.TYPE_ID) {
      return Capability.unknownInterface(interfaceId);
    }
    try {
      switch (methodId) {
        case Qpq.NodeService.METHOD_SERVER_INFO -> serverInfo(ctx);
        case Qpq.NodeService.METHOD_REGISTER -> register(ctx);
        case Qpq.NodeService.METHOD_LOGIN_CHALLENGE -> loginChallenge(ctx);
        case Qpq.NodeService.METHOD_LOGIN -> login(ctx);
        case Qpq.NodeService.METHOD_UPLOAD_KEY_PACKAGES -> uploadKeyPackages(ctx);
        case Qpq.NodeService.METHOD_FETCH_KEY_PACKAGES -> fetchKeyPackages(ctx);
        case Qpq.NodeService.METHOD_RESOLVE_USER -> resolveUser(ctx);
        case Qpq.NodeService.METHOD_ENQUEUE -> enqueue(ctx);
        case Qpq.NodeService.METHOD_FETCH -> fetch(ctx);
        case Qpq.NodeService.METHOD_ACK -> ack(ctx);
        case Qpq.NodeService.METHOD_PUBLISH_GROUP_INFO -> publishGroupInfo(ctx);
        case Qpq.NodeService.METHOD_FETCH_GROUP_INFO -> fetchGroupInfo(ctx);
        case Qpq.NodeService.METHOD_CREATE_BLOB -> createBlob(ctx);
        case Qpq.NodeService.METHOD_PUT_CHUNK -> putChunk(ctx);
        case Qpq.NodeService.METHOD_BLOB_STATUS -> blobStatus(ctx);
        case Qpq.NodeService.METHOD_FINISH_BLOB -> finishBlob(ctx);
        case Qpq.NodeService.METHOD_GET_CHUNK -> getChunk(ctx);
        case Qpq.NodeService.METHOD_DELETE_BLOB -> deleteBlob(ctx);
        case Qpq.NodeService.METHOD_DELETE_ACCOUNT -> deleteAccount(ctx);
        case Qpq.NodeService.METHOD_REGISTER_DEVICE -> registerDevice(ctx);
        case Qpq.NodeService.METHOD_LIST_DEVICES -> listDevices(ctx);
        case Qpq.NodeService.METHOD_REVOKE_DEVICE -> revokeDevice(ctx);
        case Qpq.NodeService.METHOD_OPEN_LINK -> openLink(ctx);
        case Qpq.NodeService.METHOD_ANSWER_LINK -> answerLink(ctx);
        case Qpq.NodeService.METHOD_JOIN_LINK -> joinLink(ctx);
        case Qpq.NodeService.METHOD_KT_TREE_HEAD -> ktTreeHead(ctx);
        case Qpq.NodeService.METHOD_KT_CONSISTENCY_PROOF -> ktConsistencyProof(ctx);
        case Qpq.NodeService.METHOD_KT_INCLUSION_PROOF -> ktInclusionProof(ctx);
        case Qpq.NodeService.METHOD_KT_KEY_HISTORY -> ktKeyHistory(ctx);
        case Qpq.NodeService.METHOD_ENQUEUE_BATCH -> enqueueBatch(ctx);
        default -> {
          return Capability.unknownMethod(interfaceId, methodId);
        }
      }
      return CompletableFuture.completedFuture(null);
    } catch (RpcException e) {
      return failure(methodId, e);
    } catch (LinkOffers.LinkException e) {
      ExceptionType type = NodeErrors.QUOTA_EXCEEDED.equals(e.code())
          ? ExceptionType.OVERLOADED : ExceptionType.FAILED;
      return failure(methodId, new RpcException(type, e.code(), e.getMessage()));
    } catch (org.capnproto.DecodeException e) {
      return failure(methodId, invalid(e.getMessage()));
    } catch (StoreException e) {
      return failure(methodId, refusal(e));
    } catch (java.io.IOException e) {
      // the blob files failed (disk full, permissions): the caller learns no more than INTERNAL
      return CompletableFuture.failedFuture(new java.io.UncheckedIOException(e));
    }
  }

  /** Logs a call's failure (its detail may quote names and ids: redacted) and returns it. */
  private CompletableFuture<Void> failure(int methodId, RpcException e) {
    log.debug("connection {} from {}: method {} failed: {} {}: {}", connection.id(),
        redaction.address(connection.remoteAddress()), methodId, e.type(), e.code(),
        redaction.detail(e.detail()));
    return CompletableFuture.failedFuture(e);
  }

  // ---- methods that need no login

  private void serverInfo(CallContext ctx) {
    limitRate(addressIdentity);
    ServerInfo info = node.info();
    Qpq.ServerInfo.Builder out =
        ctx.results().initAs(Qpq.NodeService.ServerInfoResults.factory).initInfo();
    out.setVersion(info.version());
    var suites = out.initCipherSuites(info.cipherSuites().size());
    for (int i = 0; i < info.cipherSuites().size(); i++) {
      suites.set(i, info.cipherSuites().get(i).shortValue());
    }
    RpcLimits l = info.limits();
    Qpq.Limits.Builder limits = out.initLimits();
    limits.setMaxMessageBytes(l.maxMessageBytes());
    limits.setMaxTraversalWords(l.traversalLimitWords());
    limits.setMaxNestingDepth((short) Math.min(l.nestingLimit(), 0xffff));
    limits.setMaxCallsInFlight(l.maxCallsInFlight());
    limits.setIdleTimeoutMillis((int) Math.min(l.idleTimeout().toMillis(), 0xffff_ffffL));
    out.setKtPublicKey(node.kt().publicKey().bytes());
  }

  private void register(CallContext ctx) {
    limitRate(addressIdentity);
    RegisterParams.Reader p = ctx.params().getAs(RegisterParams.factory);
    UserName name = UserName.of(text(p.hasName(), p.getName()));
    byte[] identityKey = bytes(p.hasIdentityKey(), p.getIdentityKey());
    byte[] deviceKey = bytes(p.hasDeviceKey(), p.getDeviceKey());
    byte[] certificate = bytes(p.hasDeviceCertificate(), p.getDeviceCertificate());
    if (identityKey.length != Ed25519Verifier.KEY_BYTES
        || deviceKey.length != Ed25519Verifier.KEY_BYTES) {
      throw invalid("identity and device keys must be 32-byte Ed25519 public keys");
    }
    if (!Ed25519Verifier.verify(identityKey,
        AuthTranscripts.deviceCertificate(name.value(), deviceKey), certificate)) {
      throw failed(NodeErrors.BAD_CERTIFICATE,
          "the device certificate does not verify under the identity key");
    }
    // The binding is logged in the transaction that creates it: no account without its entry.
    Registration r = node.store().atomically(() -> {
      Registration created = node.store().accounts()
          .register(name, identityKey, new NewDevice(deviceKey, certificate));
      node.ktLog().appendRegistration(name.value(), identityKey, created.device().id().value(),
          deviceKey);
      return created;
    });
    ctx.results().initAs(RegisterResults.factory).setDeviceId(r.device().id().value());
    log.debug("registered user {} with device {} from {}", redaction.user(name.value()),
        redaction.device(r.device().id().value()), redaction.address(connection.remoteAddress()));
  }

  private void loginChallenge(CallContext ctx) {
    limitRate(addressIdentity);
    long deviceId = ctx.params().getAs(LoginChallengeParams.factory).getDeviceId();
    byte[] nonce = new byte[NONCE_BYTES];
    node.random().nextBytes(nonce);
    synchronized (this) {
      challenge = new Challenge(deviceId, nonce);
    }
    ctx.results().initAs(LoginChallengeResults.factory).setNonce(nonce);
  }

  private void login(CallContext ctx) {
    limitRate(addressIdentity);
    LoginParams.Reader p = ctx.params().getAs(LoginParams.factory);
    long deviceId = p.getDeviceId();
    byte[] signature = bytes(p.hasSignature(), p.getSignature());
    Challenge c;
    synchronized (this) {
      if (session != null) {
        throw failed(NodeErrors.ALREADY_LOGGED_IN, "this connection is logged in already");
      }
      c = challenge;
      challenge = null; // single use, whatever the outcome
    }
    if (c == null || c.deviceId() != deviceId) {
      throw failed(NodeErrors.NO_CHALLENGE, "call loginChallenge for device " + deviceId + " first");
    }
    Optional<Device> found = deviceId > 0
        ? node.store().accounts().findDevice(new DeviceId(deviceId)) : Optional.empty();
    Device device = found.orElseThrow(
        () -> failed(NodeErrors.UNKNOWN_DEVICE, "no device " + deviceId));
    if (device.revoked()) {
      throw failed(NodeErrors.DEVICE_REVOKED, "device " + deviceId + " is revoked");
    }
    byte[] transcript = AuthTranscripts.login(c.nonce(), node.serverFingerprint(), deviceId);
    if (!Ed25519Verifier.verify(device.signatureKey(), transcript, signature)) {
      throw failed(NodeErrors.BAD_SIGNATURE, "the login signature does not verify");
    }
    synchronized (this) {
      if (session != null) {
        throw failed(NodeErrors.ALREADY_LOGGED_IN, "this connection is logged in already");
      }
      session = new Session(device.id(), device.owner(), device.signatureKey());
    }
    node.loggedIn().add(device.id(), connection);
    log.debug("device {} of user {} logged in from {}", redaction.device(deviceId),
        redaction.user(device.owner().value()), redaction.address(connection.remoteAddress()));
    ctx.results().initAs(Qpq.NodeService.LoginResults.factory);
  }

  // ---- methods that need login

  private void uploadKeyPackages(CallContext ctx) {
    UploadKeyPackagesParams.Reader p = ctx.params().getAs(UploadKeyPackagesParams.factory);
    Session s = authorize(p.getDeviceId());
    StoreLimits limits = node.storeLimits();
    // Bounded before anything is copied or decoded; the store repeats these checks.
    if (p.hasOneTime() && p.getOneTime().size() > limits.maxKeyPackagesPerUpload()) {
      throw invalid("at most " + limits.maxKeyPackagesPerUpload() + " KeyPackages per upload");
    }
    List<byte[]> oneTime = p.hasOneTime() ? dataList(p.getOneTime()) : List.of();
    byte[] lastResort = p.hasLastResort() && p.getLastResort().size() > 0
        ? p.getLastResort().toArray() : null;
    if (oneTime.isEmpty() && lastResort == null) {
      // An empty call is how a client asks how many one-time KeyPackages it has left.
      ctx.results().initAs(UploadKeyPackagesResults.factory)
          .setStored(node.store().keyPackages().countOneTime(s.device()));
      return;
    }
    for (int i = 0; i < oneTime.size(); i++) {
      checkKeyPackageSize("oneTime[" + i + "]", oneTime.get(i));
    }
    if (lastResort != null) {
      checkKeyPackageSize("lastResort", lastResort);
    }
    // Two signature checks per KeyPackage: charge the caller's rate one more call per KeyPackage
    // beyond the first, and refuse a full quota before verifying anything (the store checks the
    // quota again, atomically).
    int count = oneTime.size() + (lastResort == null ? 0 : 1);
    if (count > 1) {
      limitRate("user:" + s.user().value(), count - 1);
    }
    int held = node.store().keyPackages().countOneTime(s.device());
    if (held + oneTime.size() > limits.maxKeyPackagesPerDevice()) {
      throw new RpcException(ExceptionType.OVERLOADED, NodeErrors.QUOTA_EXCEEDED,
          "KEY_PACKAGES quota of " + limits.maxKeyPackagesPerDevice() + " reached for "
              + s.device() + " (holds " + held + ")");
    }
    try {
      node.keyPackageValidator().checkUpload(oneTime, lastResort, s.user(), s.deviceKey());
    } catch (BadKeyPackageException e) {
      throw failed(NodeErrors.BAD_KEY_PACKAGE, e.getMessage());
    }
    int stored = node.store().atomically(() -> {
      if (!oneTime.isEmpty()) {
        node.store().keyPackages().addOneTime(s.device(), oneTime);
      }
      if (lastResort != null) {
        node.store().keyPackages().setLastResort(s.device(), lastResort);
      }
      return node.store().keyPackages().countOneTime(s.device());
    });
    ctx.results().initAs(UploadKeyPackagesResults.factory).setStored(stored);
  }

  private void checkKeyPackageSize(String where, byte[] kp) {
    if (kp.length == 0 || kp.length > node.storeLimits().maxKeyPackageBytes()) {
      throw invalid(where + ": a KeyPackage must have 1.." + node.storeLimits().maxKeyPackageBytes()
          + " bytes");
    }
  }

  private void fetchKeyPackages(CallContext ctx) {
    FetchKeyPackagesParams.Reader p = ctx.params().getAs(FetchKeyPackagesParams.factory);
    authorize();
    UserName user = UserName.of(text(p.hasUser(), p.getUser()));
    log.trace("fetching KeyPackages of user {}", redaction.user(user.value()));
    if (node.store().accounts().findUser(user).isEmpty()) {
      throw failed(NodeErrors.UNKNOWN_USER, "no user " + user.value());
    }
    List<StoredKeyPackage> kps = node.store().keyPackages().takeForEachDevice(user);
    var out = ctx.results().initAs(FetchKeyPackagesResults.factory).initKeyPackages(kps.size());
    for (int i = 0; i < kps.size(); i++) {
      Qpq.DeviceKeyPackage.Builder b = out.get(i);
      b.setDeviceId(kps.get(i).device().value());
      b.setKeyPackage(kps.get(i).keyPackage());
      b.setLastResort(kps.get(i).lastResort());
    }
  }

  private void resolveUser(CallContext ctx) {
    ResolveUserParams.Reader p = ctx.params().getAs(ResolveUserParams.factory);
    authorize();
    UserName name = UserName.of(text(p.hasName(), p.getName()));
    log.trace("resolving user {}", redaction.user(name.value()));
    User user = node.store().accounts().findUser(name)
        .orElseThrow(() -> failed(NodeErrors.UNKNOWN_USER, "no user " + name.value()));
    List<Device> devices = node.store().accounts().activeDevices(name);
    ResolveUserResults.Builder out = ctx.results().initAs(ResolveUserResults.factory);
    out.setIdentityKey(user.identityKey());
    var list = out.initDevices(devices.size());
    for (int i = 0; i < devices.size(); i++) {
      Qpq.DeviceEntry.Builder b = list.get(i);
      b.setDeviceId(devices.get(i).id().value());
      b.setSignatureKey(devices.get(i).signatureKey());
      b.setCertificate(devices.get(i).identityCertificate());
    }
  }

  private void enqueue(CallContext ctx) {
    EnqueueParams.Reader p = ctx.params().getAs(EnqueueParams.factory);
    Session s = authorize();
    MessageId id = new MessageId(bytes(p.hasMessageId(), p.getMessageId()));
    byte[] payload = bytes(p.hasPayload(), p.getPayload());
    List<DeviceId> recipients = recipients(p.hasRecipients(), p.getRecipients());
    Optional<java.time.Instant> expiresAt = expiresAt(p.getTtlSeconds());
    Enqueued result;
    if (p.getCommit()) {
      CommitHeader header = CommitHeader.read(payload);
      Object outcome = node.store().atomically(() -> {
        CommitDecision d = node.store().groups().acceptCommit(header.group(), header.epoch(), id);
        if (d instanceof CommitDecision.Rejected rejected) {
          return rejected;
        }
        return node.store().queue().enqueue(id, recipients, payload, expiresAt);
      });
      if (outcome instanceof CommitDecision.Rejected rejected) {
        throw failed(NodeErrors.STALE_EPOCH, "current epoch " + rejected.currentEpoch().value()
            + "; the Commit was built on epoch " + header.epoch().value());
      }
      result = (Enqueued) outcome;
    } else {
      result = node.store().queue().enqueue(id, recipients, payload, expiresAt);
    }
    if (log.isDebugEnabled()) {
      log.debug("device {} queued message {} ({} bytes{}) for devices {}",
          redaction.device(s.device().value()), redaction.messageId(id.bytes()), payload.length,
          p.getCommit() ? ", commit" : "",
          recipients.stream().map(d -> redaction.device(d.value())).toList());
    }
    EnqueueResults.Builder out = ctx.results().initAs(EnqueueResults.factory);
    out.setQueued(result.queued().size());
    out.setDuplicates(result.duplicates().size());
    Map<DeviceId, List<Announced>> entries = new java.util.HashMap<>();
    announce(entries, result, id, payload);
    push(result.queued(), result.lengths(), entries);
  }

  /** One parsed item of enqueueBatch. */
  private record BatchItem(MessageId id, List<DeviceId> recipients, byte[] payload,
      Optional<java.time.Instant> expiresAt) {}

  /**
   * Every item as one enqueue without commit, all in one transaction (one fsync, shared with
   * concurrent writers by group commit), in order. All or nothing, so a client whose batch fails
   * can retry or hand the items to single enqueues without having queued half of them; the
   * error's detail names the failing item ("item N: ...").
   */
  private void enqueueBatch(CallContext ctx) {
    EnqueueBatchParams.Reader p = ctx.params().getAs(EnqueueBatchParams.factory);
    Session s = authorize();
    if (!p.hasItems() || p.getItems().size() == 0) {
      throw invalid("no items");
    }
    var items = p.getItems();
    if (items.size() > MAX_BATCH_ITEMS) {
      throw invalid("more than " + MAX_BATCH_ITEMS + " items");
    }
    List<BatchItem> parsed = new ArrayList<>(items.size());
    int entries = 0;
    for (int i = 0; i < items.size(); i++) {
      Qpq.EnqueueItem.Reader item = items.get(i);
      entries += item.hasRecipients() ? item.getRecipients().size() : 0;
      if (entries > MAX_BATCH_ENTRIES) {
        throw itemFailure(i, invalid("more than " + MAX_BATCH_ENTRIES
            + " recipients in the batch"));
      }
      try {
        parsed.add(new BatchItem(new MessageId(bytes(item.hasMessageId(), item.getMessageId())),
            recipients(item.hasRecipients(), item.getRecipients()),
            bytes(item.hasPayload(), item.getPayload()), expiresAt(item.getTtlSeconds())));
      } catch (RpcException e) {
        throw itemFailure(i, e);
      } catch (StoreException e) {
        throw itemFailure(i, refusal(e));
      }
    }
    // The item being queued, for the error's detail (set on the store's writer thread).
    java.util.concurrent.atomic.AtomicInteger current =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Enqueued> results;
    try {
      results = node.store().atomically(() -> {
        List<Enqueued> out = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
          current.set(i);
          BatchItem it = parsed.get(i);
          out.add(node.store().queue().enqueue(it.id(), it.recipients(), it.payload(),
              it.expiresAt()));
        }
        return out;
      });
    } catch (StoreException e) {
      throw itemFailure(current.get(), refusal(e));
    }
    if (log.isDebugEnabled()) {
      log.debug("device {} queued {} messages in one batch", redaction.device(s.device().value()),
          parsed.size());
    }
    var out = ctx.results().initAs(EnqueueBatchResults.factory).initResults(results.size());
    // One event per device for the whole batch, with the length after its last item.
    Map<DeviceId, Integer> lengths = new java.util.HashMap<>();
    Map<DeviceId, List<Announced>> announced = new java.util.HashMap<>();
    Set<DeviceId> queued = new LinkedHashSet<>();
    for (int i = 0; i < results.size(); i++) {
      Enqueued r = results.get(i);
      out.get(i).setQueued(r.queued().size());
      out.get(i).setDuplicates(r.duplicates().size());
      queued.addAll(r.queued());
      lengths.putAll(r.lengths());
      announce(announced, r, parsed.get(i).id(), parsed.get(i).payload());
    }
    push(List.copyOf(queued), lengths, announced);
  }

  /**
   * The RPC error a store's typed refusal stands for. A storage failure is no refusal: it is
   * rethrown, and the caller learns no more than INTERNAL.
   */
  private static RpcException refusal(StoreException e) {
    if (e instanceof InvalidValueException) {
      return invalid(e.getMessage());
    } else if (e instanceof QuotaExceededException) {
      return new RpcException(ExceptionType.OVERLOADED, NodeErrors.QUOTA_EXCEEDED, e.getMessage());
    } else if (e instanceof UnknownDeviceException) {
      return failed(NodeErrors.UNKNOWN_DEVICE, e.getMessage());
    } else if (e instanceof UnknownUserException) {
      return failed(NodeErrors.UNKNOWN_USER, e.getMessage());
    } else if (e instanceof NameTakenException) {
      return failed(NodeErrors.NAME_TAKEN, e.getMessage());
    } else if (e instanceof NotRecipientException) {
      return failed(NodeErrors.NOT_AUTHORIZED, e.getMessage());
    }
    throw e;
  }

  private static RpcException itemFailure(int index, RpcException e) {
    return new RpcException(e.type(), e.code(), "item " + index + ": " + e.detail());
  }

  private void fetch(CallContext ctx) {
    FetchParams.Reader p = ctx.params().getAs(FetchParams.factory);
    Session s = authorize(p.getDeviceId());
    long after = p.getAfterSeq();
    int limit = p.getLimit();
    if (after < 0 || limit <= 0) {
      throw invalid("afterSeq must be below 2^63 and limit positive");
    }
    List<QueuedMessage> messages = node.store().queue().fetch(s.device(), after, limit);
    var out = ctx.results().initAs(FetchResults.factory).initMessages(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      QueuedMessage m = messages.get(i);
      Qpq.Envelope.Builder b = out.get(i);
      b.setSeq(m.seq());
      b.setMessageId(m.id().bytes());
      b.setPayload(m.payload());
      b.setEnqueuedAtMillis(m.enqueuedAt().toEpochMilli());
    }
    if (log.isTraceEnabled()) {
      log.trace("device {} fetched messages {}", redaction.device(s.device().value()),
          messages.stream().map(m -> redaction.messageId(m.id().bytes())).toList());
    }
  }

  private void ack(CallContext ctx) {
    AckParams.Reader p = ctx.params().getAs(AckParams.factory);
    Session s = authorize(p.getDeviceId());
    List<MessageId> ids = new ArrayList<>();
    if (p.hasMessageIds()) {
      DataList.Reader list = p.getMessageIds();
      if (list.size() > node.storeLimits().maxFetch()) {
        throw invalid("at most " + node.storeLimits().maxFetch() + " ids per ack");
      }
      for (int i = 0; i < list.size(); i++) {
        ids.add(new MessageId(list.get(i).toArray()));
      }
    }
    int deleted = ids.isEmpty() ? 0 : node.store().queue().ack(s.device(), ids);
    if (log.isTraceEnabled()) {
      log.trace("device {} acked messages {}", redaction.device(s.device().value()),
          ids.stream().map(m -> redaction.messageId(m.bytes())).toList());
    }
    ctx.results().initAs(AckResults.factory).setDeleted(deleted);
  }

  private void publishGroupInfo(CallContext ctx) {
    PublishGroupInfoParams.Reader p = ctx.params().getAs(PublishGroupInfoParams.factory);
    authorize();
    GroupId group = new GroupId(bytes(p.hasGroupId(), p.getGroupId()));
    Epoch epoch = new Epoch(p.getEpoch());
    boolean stored = node.store().groups()
        .publishGroupInfo(group, epoch, bytes(p.hasGroupInfo(), p.getGroupInfo()));
    ctx.results().initAs(PublishGroupInfoResults.factory).setStored(stored);
  }

  private void fetchGroupInfo(CallContext ctx) {
    FetchGroupInfoParams.Reader p = ctx.params().getAs(FetchGroupInfoParams.factory);
    authorize();
    GroupId group = new GroupId(bytes(p.hasGroupId(), p.getGroupId()));
    PublishedGroupInfo info = node.store().groups().fetchGroupInfo(group)
        .orElseThrow(() -> failed(NodeErrors.NOT_FOUND, "no GroupInfo for " + group));
    FetchGroupInfoResults.Builder out = ctx.results().initAs(FetchGroupInfoResults.factory);
    out.setEpoch(info.epoch().value());
    out.setGroupInfo(info.groupInfo());
  }

  // ---- blobs (docs/wire.md "Blobs")

  private void createBlob(CallContext ctx) throws java.io.IOException {
    Qpq.NodeService.CreateBlobParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.CreateBlobParams.factory);
    Session s = authorize();
    BlobLimits limits = node.blobLimits();
    long size = p.getSize();
    int chunkSize = p.getChunkSize();
    long seconds = p.getExpiresInSeconds() & 0xffff_ffffL;
    if (size < 1) {
      throw invalid("size must be 1..2^63-1 bytes");
    }
    if (size > limits.maxBlobBytes()) {
      throw new RpcException(ExceptionType.OVERLOADED, NodeErrors.QUOTA_EXCEEDED,
          "BLOB_SIZE quota of " + limits.maxBlobBytes() + " bytes per blob; asked for " + size);
    }
    int maxChunk = Math.min(limits.maxChunkBytes(), node.info().limits().maxMessageBytes() / 2);
    if (chunkSize < limits.minChunkBytes() || chunkSize > maxChunk) {
      throw invalid("chunkSize must be " + limits.minChunkBytes() + ".." + maxChunk + " bytes");
    }
    long chunks = (size + chunkSize - 1) / chunkSize;
    if (chunks > Integer.MAX_VALUE) {
      throw invalid("too many chunks");
    }
    long maxSeconds = limits.maxRetention().toSeconds();
    java.time.Instant expires =
        node.clock().instant().plusSeconds(seconds == 0 ? maxSeconds : Math.min(seconds, maxSeconds));
    byte[] raw = new byte[BlobId.BYTES];
    node.random().nextBytes(raw);
    BlobId id = new BlobId(raw);
    node.blobFiles().create(id);
    try {
      node.store().blobs().create(id, s.user(), size, chunkSize, (int) chunks, expires,
          limits.maxUserBytes());
    } catch (RuntimeException e) {
      node.blobFiles().delete(id);
      throw e;
    }
    Qpq.NodeService.CreateBlobResults.Builder out =
        ctx.results().initAs(Qpq.NodeService.CreateBlobResults.factory);
    out.setBlobId(raw);
    out.setExpiresAtMillis(expires.toEpochMilli());
  }

  private void putChunk(CallContext ctx) throws java.io.IOException {
    Qpq.NodeService.PutChunkParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.PutChunkParams.factory);
    Session s = authorize();
    BlobRecord b = ownBlob(s, blobId(p.hasBlobId(), p.getBlobId()));
    if (b.finished()) {
      throw failed(NodeErrors.BLOB_FINISHED, b.id() + " is finished and immutable");
    }
    int index = checkIndex(b, p.getIndex());
    if (!p.hasData() || p.getData().size() != b.chunkLength(index)) {
      throw invalid("chunk " + index + " must have " + b.chunkLength(index) + " bytes, not "
          + (p.hasData() ? p.getData().size() : 0));
    }
    java.util.BitSet pending = node.blobFiles().write(b.id(), index,
        (long) index * b.chunkSize(), p.getData().asByteBuffer());
    if (pending == null) {
      throw failed(NodeErrors.NO_SUCH_BLOB, b.id() + " was deleted");
    }
    if ((long) pending.cardinality() * b.chunkSize() >= BlobFiles.SYNC_BYTES) {
      node.blobFiles().sync(b.id(), node.store().blobs());
    }
    // what the server holds: chunks recorded as durable plus chunks written since the last sync
    java.util.BitSet held = java.util.BitSet.valueOf(b.received());
    held.or(pending);
    ctx.results().initAs(Qpq.NodeService.PutChunkResults.factory)
        .setReceived(held.cardinality());
  }

  private void blobStatus(CallContext ctx) throws java.io.IOException {
    Qpq.NodeService.BlobStatusParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.BlobStatusParams.factory);
    Session s = authorize();
    BlobRecord b = readableBlob(s, blobId(p.hasBlobId(), p.getBlobId()), true);
    if (!b.finished()) {
      // the status names only chunks on disk: pending ones are forced and recorded first
      node.blobFiles().sync(b.id(), node.store().blobs());
      b = readableBlob(s, b.id(), true);
    }
    Qpq.BlobStatus.Builder out =
        ctx.results().initAs(Qpq.NodeService.BlobStatusResults.factory).initStatus();
    out.setSize(b.size());
    out.setChunkSize(b.chunkSize());
    out.setChunkCount(b.chunkCount());
    out.setChunksReceived(b.receivedCount());
    out.setReceived(b.received());
    out.setFinished(b.finished());
    out.setExpiresAtMillis(b.expiresAt().toEpochMilli());
  }

  private void finishBlob(CallContext ctx) throws java.io.IOException {
    Qpq.NodeService.FinishBlobParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.FinishBlobParams.factory);
    Session s = authorize();
    BlobRecord b = ownBlob(s, blobId(p.hasBlobId(), p.getBlobId()));
    if (!b.finished()) {
      node.blobFiles().sync(b.id(), node.store().blobs());
    }
    if (!b.finished() && !node.store().blobs().finish(b.id())) {
      BlobRecord now = ownBlob(s, b.id());
      throw failed(NodeErrors.BLOB_INCOMPLETE, "chunk " + now.firstMissing() + " is missing ("
          + now.receivedCount() + " of " + now.chunkCount() + " stored)");
    }
    ctx.results().initAs(Qpq.NodeService.FinishBlobResults.factory);
  }

  private void getChunk(CallContext ctx) throws java.io.IOException {
    Qpq.NodeService.GetChunkParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.GetChunkParams.factory);
    Session s = authorize();
    BlobRecord b = readableBlob(s, blobId(p.hasBlobId(), p.getBlobId()), false);
    int index = checkIndex(b, p.getIndex());
    // read straight into the answer's message: no intermediate copy of the chunk
    org.capnproto.Data.Builder data = ctx.results()
        .initAs(Qpq.NodeService.GetChunkResults.factory).initData(b.chunkLength(index));
    if (!node.blobFiles().read(b.id(), (long) index * b.chunkSize(), data.asByteBuffer())) {
      throw failed(NodeErrors.NO_SUCH_BLOB, b.id() + " was deleted");
    }
  }

  private void deleteBlob(CallContext ctx) {
    Qpq.NodeService.DeleteBlobParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.DeleteBlobParams.factory);
    Session s = authorize();
    BlobId id = blobId(p.hasBlobId(), p.getBlobId());
    Optional<BlobRecord> b = node.store().blobs().find(id);
    if (b.isPresent() && !b.get().owner().equals(s.user())) {
      throw failed(NodeErrors.NOT_AUTHORIZED, id + " belongs to another user");
    }
    boolean deleted = b.isPresent() && node.store().blobs().delete(id);
    node.blobFiles().delete(id);
    ctx.results().initAs(Qpq.NodeService.DeleteBlobResults.factory).setDeleted(deleted);
  }

  private void deleteAccount(CallContext ctx) {
    Session s = authorize();
    // Blob files first: once the user row is gone nothing would name them any more (the sweeper
    // would still find the orphaned records, but not before its next run).
    for (BlobId id : node.store().blobs().ownedBy(s.user())) {
      node.store().blobs().delete(id);
      node.blobFiles().delete(id);
    }
    // The tombstone commits with the deletion (and only if there was something to delete).
    node.store().atomically(() -> {
      if (node.store().accounts().deleteUser(s.user())) {
        node.ktLog().appendTombstone(s.user().value());
      }
      return null;
    });
    node.links().closeAll(s.user());
    ctx.results().initAs(Qpq.NodeService.DeleteAccountResults.factory);
  }

  // ---- key transparency (docs/wire.md "Key transparency")

  private void ktTreeHead(CallContext ctx) {
    limitRate(addressIdentity);
    ctx.results().initAs(Qpq.NodeService.KtTreeHeadResults.factory)
        .setTreeHead(node.kt().treeHead().encode());
  }

  private void ktConsistencyProof(CallContext ctx) {
    limitRate(addressIdentity);
    Qpq.NodeService.KtConsistencyProofParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.KtConsistencyProofParams.factory);
    ConsistencyProof proof;
    try {
      proof = node.kt().consistency(p.getOldSize(), p.getNewSize());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    ctx.results().initAs(Qpq.NodeService.KtConsistencyProofResults.factory)
        .setProof(proof.encode());
  }

  private void ktInclusionProof(CallContext ctx) {
    Qpq.NodeService.KtInclusionProofParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.KtInclusionProofParams.factory);
    authorize();
    UserName name = UserName.of(text(p.hasName(), p.getName()));
    KeyTransparency.ProvenLatest latest = node.kt().latestIdentity(name.value())
        .orElseThrow(() -> failed(NodeErrors.UNKNOWN_USER, "no log entry for " + name.value()));
    Qpq.NodeService.KtInclusionProofResults.Builder out =
        ctx.results().initAs(Qpq.NodeService.KtInclusionProofResults.factory);
    out.setEntry(latest.entry().encode());
    out.setProof(latest.proof().encode());
    out.setTreeHead(latest.treeHead().encode());
  }

  private void ktKeyHistory(CallContext ctx) {
    Qpq.NodeService.KtKeyHistoryParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.KtKeyHistoryParams.factory);
    authorize();
    UserName name = UserName.of(text(p.hasName(), p.getName()));
    KeyTransparency.ProvenHistory history = node.kt().history(name.value())
        .orElseThrow(() -> failed(NodeErrors.UNKNOWN_USER, "no log entry for " + name.value()));
    Qpq.NodeService.KtKeyHistoryResults.Builder out =
        ctx.results().initAs(Qpq.NodeService.KtKeyHistoryResults.factory);
    int n = history.entries().size();
    DataList.Builder entries = out.initEntries(n);
    DataList.Builder proofs = out.initProofs(n);
    for (int i = 0; i < n; i++) {
      entries.set(i, new Data.Reader(history.entries().get(i).entry().encode()));
      proofs.set(i, new Data.Reader(history.entries().get(i).proof().encode()));
    }
    out.setTreeHead(history.treeHead().encode());
  }

  // ---- devices and linking (docs/wire.md "Devices and linking")

  /** Unauthenticated link calls cost this many calls of the address's rate (code guessing). */
  static final int JOIN_LINK_COST = 10;

  private void registerDevice(CallContext ctx) {
    Qpq.NodeService.RegisterDeviceParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.RegisterDeviceParams.factory);
    Session s = authorize();
    byte[] deviceKey = bytes(p.hasDeviceKey(), p.getDeviceKey());
    byte[] certificate = bytes(p.hasDeviceCertificate(), p.getDeviceCertificate());
    if (deviceKey.length != Ed25519Verifier.KEY_BYTES) {
      throw invalid("a device key is a 32-byte Ed25519 public key");
    }
    User user = node.store().accounts().findUser(s.user())
        .orElseThrow(() -> failed(NodeErrors.DEVICE_REVOKED, "the account was deleted"));
    // Only the holder of the identity key can certify a device: the server cannot add one.
    if (!Ed25519Verifier.verify(user.identityKey(),
        AuthTranscripts.deviceCertificate(s.user().value(), deviceKey), certificate)) {
      throw failed(NodeErrors.BAD_CERTIFICATE,
          "the device certificate does not verify under the identity key");
    }
    for (Device d : node.store().accounts().activeDevices(s.user())) {
      if (java.util.Arrays.equals(d.signatureKey(), deviceKey)) {
        throw failed(NodeErrors.DEVICE_EXISTS, "that key is device " + d.id().value());
      }
    }
    Device added;
    try {
      // The log entry commits with the device, or neither does.
      added = node.store().atomically(() -> {
        Device d = node.store().accounts().addDevice(s.user(), new NewDevice(deviceKey, certificate));
        node.ktLog().appendDeviceAdded(s.user().value(), d.id().value(), deviceKey);
        return d;
      });
    } catch (QuotaExceededException e) {
      throw failed(NodeErrors.TOO_MANY_DEVICES, "at most " + node.storeLimits().maxDevicesPerUser()
          + " active devices per user; revoke one first");
    }
    ctx.results().initAs(Qpq.NodeService.RegisterDeviceResults.factory)
        .setDeviceId(added.id().value());
    log.debug("device {} added device {} of user {}", redaction.device(s.device().value()),
        redaction.device(added.id().value()), redaction.user(s.user().value()));
  }

  private void listDevices(CallContext ctx) {
    Session s = authorize();
    List<Device> devices = node.store().accounts().allDevices(s.user());
    var out = ctx.results().initAs(Qpq.NodeService.ListDevicesResults.factory)
        .initDevices(devices.size());
    for (int i = 0; i < devices.size(); i++) {
      Device d = devices.get(i);
      Qpq.DeviceInfo.Builder b = out.get(i);
      b.setDeviceId(d.id().value());
      b.setCreatedAtMillis(d.createdAt().toEpochMilli());
      b.setRevoked(d.revoked());
      b.setCurrent(d.id().equals(s.device()));
      b.setSignatureKey(d.signatureKey());
    }
  }

  private void revokeDevice(CallContext ctx) {
    long id = ctx.params().getAs(Qpq.NodeService.RevokeDeviceParams.factory).getDeviceId();
    Session s = authorize();
    if (id == s.device().value()) {
      throw invalid("a device cannot revoke itself; revoke it from another device");
    }
    Optional<Device> target = id > 0
        ? node.store().accounts().findDevice(new DeviceId(id)) : Optional.empty();
    if (target.isEmpty() || !target.get().owner().equals(s.user())) {
      throw failed(NodeErrors.NOT_AUTHORIZED,
          "device " + Long.toUnsignedString(id) + " is not a device of this user");
    }
    Device victim = target.get();
    boolean revoked = node.store().atomically(() -> {
      boolean done = node.store().accounts().revokeDevice(victim.id());
      if (done) {
        node.ktLog().appendDeviceRevoked(s.user().value(), victim.id().value(),
            victim.signatureKey());
      }
      return done;
    });
    if (revoked) {
      // Its open connections lose access at their next call (authorize checks every call); close
      // them now so a client waiting on push learns at once.
      for (ServerConnection c : node.loggedIn().connections(target.get().id())) {
        c.close();
      }
    }
    ctx.results().initAs(Qpq.NodeService.RevokeDeviceResults.factory).setRevoked(revoked);
    log.debug("device {} revoked device {} of user {}", redaction.device(s.device().value()),
        redaction.device(id), redaction.user(s.user().value()));
  }

  private void openLink(CallContext ctx) {
    Qpq.NodeService.OpenLinkParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.OpenLinkParams.factory);
    Session s = authorize();
    java.time.Instant expires = node.links().open(s.user(),
        bytes(p.hasLookupId(), p.getLookupId()), bytes(p.hasOffer(), p.getOffer()),
        p.getExpiresInSeconds() & 0xffff_ffffL);
    ctx.results().initAs(Qpq.NodeService.OpenLinkResults.factory)
        .setExpiresAtMillis(expires.toEpochMilli());
  }

  private void answerLink(CallContext ctx) {
    Qpq.NodeService.AnswerLinkParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.AnswerLinkParams.factory);
    Session s = authorize();
    byte[] request = node.links().answer(s.user(), bytes(p.hasLookupId(), p.getLookupId()),
        p.hasReply() ? p.getReply().toArray() : new byte[0]);
    ctx.results().initAs(Qpq.NodeService.AnswerLinkResults.factory).setRequest(request);
  }

  private void joinLink(CallContext ctx) {
    limitRate(addressIdentity, JOIN_LINK_COST);
    Qpq.NodeService.JoinLinkParams.Reader p =
        ctx.params().getAs(Qpq.NodeService.JoinLinkParams.factory);
    LinkOffers.Joined j = node.links().join(bytes(p.hasLookupId(), p.getLookupId()),
        p.hasRequest() ? p.getRequest().toArray() : new byte[0]);
    Qpq.NodeService.JoinLinkResults.Builder out =
        ctx.results().initAs(Qpq.NodeService.JoinLinkResults.factory);
    out.setOffer(j.offer());
    out.setReply(j.reply());
  }

  /** The caller's own blob; another user's is NOT_AUTHORIZED, a missing one NO_SUCH_BLOB. */
  private BlobRecord ownBlob(Session s, BlobId id) {
    BlobRecord b = node.store().blobs().find(id)
        .orElseThrow(() -> failed(NodeErrors.NO_SUCH_BLOB, "no " + id));
    if (!b.owner().equals(s.user())) {
      throw failed(NodeErrors.NOT_AUTHORIZED, id + " belongs to another user");
    }
    return b;
  }

  /**
   * A blob the caller may read: a finished one (the id is the capability), or the caller's own.
   * Another user's unfinished blob is reported missing so an upload in progress stays invisible.
   */
  private BlobRecord readableBlob(Session s, BlobId id, boolean statusOnly) {
    BlobRecord b = node.store().blobs().find(id)
        .filter(x -> x.finished() || x.owner().equals(s.user()))
        .orElseThrow(() -> failed(NodeErrors.NO_SUCH_BLOB, "no " + id));
    if (!b.finished() && !statusOnly) {
      throw failed(NodeErrors.BLOB_INCOMPLETE, id + " is not finished");
    }
    return b;
  }

  private static int checkIndex(BlobRecord b, int index) {
    // UInt32 on the wire: a negative int is an index of 2^31 or more
    if (index < 0 || index >= b.chunkCount()) {
      throw invalid("chunk index " + Integer.toUnsignedString(index) + " outside 0.."
          + (b.chunkCount() - 1));
    }
    return index;
  }

  private static BlobId blobId(boolean present, Data.Reader value) {
    if (!present || value.size() != BlobId.BYTES) {
      throw invalid("a blob id has " + BlobId.BYTES + " bytes");
    }
    return new BlobId(value.toArray());
  }

  // ---- helpers

  /** The session, if logged in with a device that is still active; counts against the rate. */
  private Session authorize() {
    Session s;
    synchronized (this) {
      s = session;
    }
    if (s == null) {
      limitRate(addressIdentity);
      throw failed(NodeErrors.UNAUTHENTICATED, "log in first");
    }
    limitRate("user:" + s.user().value());
    // Checked on every call: a device revoked after login loses access at once.
    if (!node.store().accounts().isActive(s.device())) {
      throw failed(NodeErrors.DEVICE_REVOKED, "device " + s.device().value() + " is revoked");
    }
    return s;
  }

  /** As {@link #authorize()}, and the call must name the caller's own device. */
  private Session authorize(long deviceId) {
    Session s = authorize();
    if (s.device().value() != deviceId) {
      throw failed(NodeErrors.NOT_AUTHORIZED,
          "device " + Long.toUnsignedString(deviceId) + " is not this connection's device");
    }
    return s;
  }

  private void limitRate(String identity) {
    limitRate(identity, 1);
  }

  private void limitRate(String identity, int cost) {
    long wait = node.rateLimiter().acquire(identity, cost);
    if (wait > 0) {
      throw new RpcException(ExceptionType.OVERLOADED, NodeErrors.RATE_LIMITED,
          "too many calls; retry after " + wait + "ms");
    }
  }

  private Optional<java.time.Instant> expiresAt(int ttlSeconds) {
    long ttl = ttlSeconds & 0xffffffffL;
    if (ttl > MAX_TTL_SECONDS) {
      throw invalid("ttlSeconds must be at most " + MAX_TTL_SECONDS);
    }
    return ttl == 0 ? Optional.empty() : Optional.of(node.clock().instant().plusSeconds(ttl));
  }

  private List<DeviceId> recipients(boolean present, PrimitiveList.Long.Reader list) {
    if (!present) {
      throw invalid("no recipients");
    }
    if (list.size() > node.storeLimits().maxRecipients()) {
      throw invalid("more than " + node.storeLimits().maxRecipients() + " recipients");
    }
    Set<DeviceId> out = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (!out.add(new DeviceId(list.get(i)))) {
        throw invalid("duplicate recipient " + list.get(i));
      }
    }
    return List.copyOf(out);
  }

  /** A queued entry a push carries: what fetch would return for it. */
  private record Announced(long seq, MessageId id, byte[] payload, long enqueuedAtMillis) {}

  /** Most payload bytes one push event carries; bigger sets are announced by count only. */
  static final int PUSH_PAYLOAD_BYTES = 32 * 1024;

  /** Adds the entries one enqueue queued to each device's list of entries to push (in order). */
  private static void announce(Map<DeviceId, List<Announced>> entries, Enqueued r, MessageId id,
      byte[] payload) {
    for (DeviceId d : r.queued()) {
      Long seq = r.seqs().get(d);
      if (seq != null) {
        entries.computeIfAbsent(d, k -> new ArrayList<>())
            .add(new Announced(seq, id, payload, r.enqueuedAtMillis()));
      }
    }
  }

  /**
   * Tells every logged-in connection of each device that messages wait, with the entries
   * themselves when they are small (docs/wire.md, Push). A hint: never fails.
   */
  private void push(List<DeviceId> devices, Map<DeviceId, Integer> lengths,
      Map<DeviceId, List<Announced>> entries) {
    for (DeviceId d : devices) {
      List<ServerConnection> conns = node.loggedIn().connections(d);
      if (conns.isEmpty()) {
        continue;
      }
      // The length the enqueue saw saves a read per recipient; it may be stale by the time the
      // event arrives, which is fine for a hint ("fetch now").
      Integer known = lengths.get(d);
      int waiting = known != null ? known : node.store().queue().length(d);
      List<Announced> list = entries.getOrDefault(d, List.of());
      long bytes = 0;
      for (Announced a : list) {
        bytes += a.payload().length;
      }
      boolean withEntries = !list.isEmpty() && bytes <= PUSH_PAYLOAD_BYTES;
      MessageBuilder event = new MessageBuilder(eventWords(withEntries ? list : List.of()));
      Qpq.NewMessages.Builder news = event.initRoot(Qpq.Event.factory).initNewMessages();
      news.setCount(waiting);
      if (withEntries) {
        var out = news.initMessages(list.size());
        for (int i = 0; i < list.size(); i++) {
          Announced a = list.get(i);
          Qpq.Envelope.Builder b = out.get(i);
          b.setSeq(a.seq());
          b.setMessageId(a.id().bytes());
          b.setPayload(a.payload());
          b.setEnqueuedAtMillis(a.enqueuedAtMillis());
        }
      }
      for (ServerConnection c : conns) {
        c.push(event).exceptionally(e -> null); // a slow reader misses a hint, not a message
      }
    }
  }

  /**
   * Words of a NewMessages event carrying {@code list}, so that its one segment fits: the
   * runtime's default first segment is 8 KiB, zeroed, for every push (root pointer, Event,
   * NewMessages, list tag, then per Envelope its struct and its two byte arrays).
   */
  private static int eventWords(List<Announced> list) {
    long words = 1 + 2 + 2 + 1;
    for (Announced a : list) {
      words += 4 + (MessageId.LENGTH + 7) / 8 + (a.payload().length + 7) / 8;
    }
    return (int) Math.min(words, Integer.MAX_VALUE / 8);
  }

  private static List<byte[]> dataList(DataList.Reader list) {
    List<byte[]> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(list.get(i).toArray());
    }
    return out;
  }

  private static String text(boolean present, org.capnproto.Text.Reader value) {
    if (!present) {
      throw invalid("a text parameter is missing");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(value.asByteBuffer()).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw invalid("text is not UTF-8");
    }
  }

  private static byte[] bytes(boolean present, Data.Reader value) {
    if (!present) {
      throw invalid("a data parameter is missing");
    }
    return value.toArray();
  }

  static RpcException invalid(String detail) {
    return failed(NodeErrors.INVALID_ARGUMENT, detail == null ? "malformed parameters" : detail);
  }

  static RpcException failed(String code, String detail) {
    return new RpcException(ExceptionType.FAILED, code, detail);
  }

  /** The cleartext header of a relayed Commit: group id and the epoch it was built on. */
  record CommitHeader(GroupId group, Epoch epoch) {
    /** Reads only the PublicMessage framing (RFC 9420 §6.2); nothing is verified here. */
    static CommitHeader read(byte[] payload) {
      MLSMessage m;
      try {
        m = MLSMessage.fromBytes(payload);
      } catch (DecodeException | RuntimeException e) {
        throw failed(NodeErrors.NOT_A_COMMIT, "payload is not an MLSMessage");
      }
      if (m.wireFormat() != WireFormat.MLS_PUBLIC_MESSAGE) {
        throw failed(NodeErrors.NOT_A_COMMIT, "a Commit must be sent as a PublicMessage");
      }
      PublicMessage pm = (PublicMessage) m.body();
      if (pm.content().contentType() != ContentType.COMMIT) {
        throw failed(NodeErrors.NOT_A_COMMIT, "the PublicMessage carries no Commit");
      }
      if (pm.content().epoch() < 0) {
        throw invalid("epoch beyond 2^63");
      }
      return new CommitHeader(new GroupId(pm.content().groupId()),
          new Epoch(pm.content().epoch()));
    }
  }
}
