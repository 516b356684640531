package org.quicproquo.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.capnproto.AnyPointer;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.CertificateFingerprint;
import org.quicproquo.rpc.EventListener;
import org.quicproquo.rpc.ExceptionType;
import org.quicproquo.rpc.FingerprintMismatchException;
import org.quicproquo.rpc.RpcClient;
import org.quicproquo.rpc.RpcConnection;
import org.quicproquo.rpc.RpcErrors;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.rpc.ServerTrust;

/**
 * A client's link to its server's {@code NodeService}. Connects lazily, pins the server certificate
 * on first use (refusing a changed one), and after a disconnect reconnects with backoff and retries
 * idempotent calls, so a server restart is invisible to callers except as latency.
 *
 * <p>Thread-safe. {@link #close()} stops reconnecting and releases the connection.
 */
public final class NodeClient implements AutoCloseable {
  private static final long NODE = NodeService.TYPE_ID;
  private final ClientConfig config;
  private final KnownServers pins;
  private final EventListener events;
  private final ScheduledExecutorService timer;
  private final SplittableRandom jitter = new SplittableRandom();

  private final Object lock = new Object();
  private CompletableFuture<Link> current;
  private boolean closed;

  /** Who this client logs in as on every new connection; null until {@link #login}. */
  private DeviceLogin deviceLogin;

  /** The QUIC connection and the RPC stream on it that calls go through. */
  private record Link(RpcClient client, RpcConnection rpc, boolean loggedIn) {
    boolean alive() {
      return !client.closeFuture().isDone() && !rpc.closeFuture().isDone();
    }
  }

  /**
   * The device a connection logs in as: its id and a function that signs the login transcript
   * with the device key (the key itself never leaves the caller).
   */
  public record DeviceLogin(long deviceId, Function<byte[], byte[]> signer) {
  }

  private NodeClient(ClientConfig config, KnownServers pins, EventListener events) {
    this.config = config;
    this.pins = pins;
    this.events = events;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "qpq-client-reconnect");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Creates a client; nothing is sent until the first call.
   *
   * @throws IOException if the state directory's pin file cannot be read
   */
  public static NodeClient create(ClientConfig config, EventListener events) throws IOException {
    return new NodeClient(config, KnownServers.load(config.stateDir()), events);
  }

  /** {@code serverInfo @0}: the server's version, cipher suites and limits. Idempotent. */
  public CompletableFuture<ServerInfo> serverInfo() {
    return callIdempotent(Qpq.NodeService.TYPE_ID, Qpq.NodeService.METHOD_SERVER_INFO,
        p -> p.initAs(Qpq.NodeService.ServerInfoParams.factory),
        r -> toServerInfo(r.getAs(Qpq.NodeService.ServerInfoResults.factory).getInfo()));
  }

  /** {@code register @1}: creates the account and its first device; returns the device id. */
  public CompletableFuture<Long> register(String name, byte[] identityKey, byte[] deviceKey,
      byte[] deviceCertificate) {
    return callIdempotent(NODE, NodeService.METHOD_REGISTER, p -> {
      NodeService.RegisterParams.Builder b = p.initAs(NodeService.RegisterParams.factory);
      b.setName(name);
      b.setIdentityKey(identityKey);
      b.setDeviceKey(deviceKey);
      b.setDeviceCertificate(deviceCertificate);
    }, r -> r.getAs(NodeService.RegisterResults.factory).getDeviceId());
  }

  /**
   * {@code uploadKeyPackages @4}; an empty list and null last-resort only asks how many one-time
   * KeyPackages the server still holds for the device.
   */
  public CompletableFuture<Integer> uploadKeyPackages(long deviceId, List<byte[]> oneTime,
      byte[] lastResort) {
    return callIdempotent(NODE, NodeService.METHOD_UPLOAD_KEY_PACKAGES, p -> {
      NodeService.UploadKeyPackagesParams.Builder b =
          p.initAs(NodeService.UploadKeyPackagesParams.factory);
      b.setDeviceId(deviceId);
      NodeCalls.setData(b.initOneTime(oneTime.size()), oneTime);
      if (lastResort != null) {
        b.setLastResort(lastResort);
      }
    }, r -> r.getAs(NodeService.UploadKeyPackagesResults.factory).getStored());
  }

  /** {@code fetchKeyPackages @5}: one KeyPackage per active device of {@code user}. */
  public CompletableFuture<List<DeviceKeyPackage>> fetchKeyPackages(String user) {
    return callIdempotent(NODE, NodeService.METHOD_FETCH_KEY_PACKAGES,
        p -> p.initAs(NodeService.FetchKeyPackagesParams.factory).setUser(user),
        r -> NodeCalls.keyPackages(r.getAs(NodeService.FetchKeyPackagesResults.factory)));
  }

  /** {@code resolveUser @6}. */
  public CompletableFuture<ResolvedUser> resolveUser(String name) {
    return callIdempotent(NODE, NodeService.METHOD_RESOLVE_USER,
        p -> p.initAs(NodeService.ResolveUserParams.factory).setName(name),
        r -> NodeCalls.resolved(name, r.getAs(NodeService.ResolveUserResults.factory)));
  }

  /** {@code ktTreeHead @25}: the log's latest signed tree head (qpq-kt wire form, unverified). */
  public CompletableFuture<byte[]> ktTreeHead() {
    return callIdempotent(NODE, NodeService.METHOD_KT_TREE_HEAD,
        p -> p.initAs(NodeService.KtTreeHeadParams.factory),
        r -> r.getAs(NodeService.KtTreeHeadResults.factory).getTreeHead().toArray());
  }

  /** {@code ktConsistencyProof @26}: the proof that the tree of {@code newSize} extends {@code oldSize}. */
  public CompletableFuture<byte[]> ktConsistencyProof(long oldSize, long newSize) {
    return callIdempotent(NODE, NodeService.METHOD_KT_CONSISTENCY_PROOF, p -> {
      NodeService.KtConsistencyProofParams.Builder b =
          p.initAs(NodeService.KtConsistencyProofParams.factory);
      b.setOldSize(oldSize);
      b.setNewSize(newSize);
    }, r -> r.getAs(NodeService.KtConsistencyProofResults.factory).getProof().toArray());
  }

  /**
   * {@code ktInclusionProof @27}: {@code name}'s latest identity entry, its inclusion proof and the
   * tree head it leads to (all unverified; org.quicproquo.client.kt verifies them).
   */
  public CompletableFuture<KtLatestEntry> ktInclusionProof(String name) {
    return callIdempotent(NODE, NodeService.METHOD_KT_INCLUSION_PROOF,
        p -> p.initAs(NodeService.KtInclusionProofParams.factory).setName(name), r -> {
          NodeService.KtInclusionProofResults.Reader l =
              r.getAs(NodeService.KtInclusionProofResults.factory);
          return new KtLatestEntry(l.getEntry().toArray(), l.getProof().toArray(),
              l.getTreeHead().toArray());
        });
  }

  /** {@code ktKeyHistory @28}: every entry of {@code name} with its proof, one tree head (unverified). */
  public CompletableFuture<KtHistory> ktKeyHistory(String name) {
    return callIdempotent(NODE, NodeService.METHOD_KT_KEY_HISTORY,
        p -> p.initAs(NodeService.KtKeyHistoryParams.factory).setName(name), r -> {
          NodeService.KtKeyHistoryResults.Reader h =
              r.getAs(NodeService.KtKeyHistoryResults.factory);
          List<byte[]> entries = new ArrayList<>();
          List<byte[]> proofs = new ArrayList<>();
          for (int i = 0; i < h.getEntries().size(); i++) {
            entries.add(h.getEntries().get(i).toArray());
          }
          for (int i = 0; i < h.getProofs().size(); i++) {
            proofs.add(h.getProofs().get(i).toArray());
          }
          return new KtHistory(entries, proofs, h.getTreeHead().toArray());
        });
  }

  /** {@code enqueue @7}; idempotent per (messageId, recipient), so retried after a disconnect. */
  public CompletableFuture<EnqueueResult> enqueue(byte[] messageId, List<Long> recipients,
      byte[] payload, boolean commit) {
    return enqueue(messageId, recipients, payload, commit, 0);
  }

  /** {@code enqueue @7} of a disappearing message: never delivered after {@code ttlSeconds}. */
  public CompletableFuture<EnqueueResult> enqueue(byte[] messageId, List<Long> recipients,
      byte[] payload, boolean commit, long ttlSeconds) {
    return callIdempotent(NODE, NodeService.METHOD_ENQUEUE, p -> {
      NodeService.EnqueueParams.Builder b = p.initAs(NodeService.EnqueueParams.factory);
      b.setMessageId(messageId);
      var list = b.initRecipients(recipients.size());
      for (int i = 0; i < recipients.size(); i++) {
        list.set(i, recipients.get(i));
      }
      b.setPayload(payload);
      b.setCommit(commit);
      b.setTtlSeconds((int) ttlSeconds);
    }, r -> {
      NodeService.EnqueueResults.Reader res = r.getAs(NodeService.EnqueueResults.factory);
      return new EnqueueResult(res.getQueued(), res.getDuplicates());
    });
  }

  /** Most items in one {@link #enqueueBatch} (the server's bound, docs/wire.md). */
  public static final int MAX_BATCH_ITEMS = 256;

  /** Most recipients summed over the items of one {@link #enqueueBatch}. */
  public static final int MAX_BATCH_RECIPIENTS = 4096;

  /**
   * {@code enqueueBatch @29}: queues 1..{@value #MAX_BATCH_ITEMS} application messages in order,
   * all or nothing, in one server transaction; the answer has one result per item. Idempotent per
   * (messageId, recipient), so retried after a disconnect.
   */
  public CompletableFuture<List<EnqueueResult>> enqueueBatch(List<EnqueueItem> items) {
    List<EnqueueItem> copy = List.copyOf(items);
    if (copy.isEmpty() || copy.size() > MAX_BATCH_ITEMS) {
      throw new IllegalArgumentException("a batch has 1.." + MAX_BATCH_ITEMS + " items");
    }
    return callIdempotent(NODE, NodeService.METHOD_ENQUEUE_BATCH, p -> {
      var list = p.initAs(NodeService.EnqueueBatchParams.factory).initItems(copy.size());
      for (int i = 0; i < copy.size(); i++) {
        EnqueueItem item = copy.get(i);
        org.quicproquo.proto.Qpq.EnqueueItem.Builder b = list.get(i);
        b.setMessageId(item.messageId());
        var r = b.initRecipients(item.recipients().size());
        for (int j = 0; j < item.recipients().size(); j++) {
          r.set(j, item.recipients().get(j));
        }
        b.setPayload(item.payload());
        b.setTtlSeconds((int) item.ttlSeconds());
      }
    }, r -> {
      var results = r.getAs(NodeService.EnqueueBatchResults.factory).getResults();
      if (results.size() != copy.size()) {
        throw new RpcException(org.quicproquo.rpc.ExceptionType.FAILED, "MALFORMED_RESULT",
            results.size() + " results for " + copy.size() + " items");
      }
      List<EnqueueResult> out = new ArrayList<>(results.size());
      for (int i = 0; i < results.size(); i++) {
        out.add(new EnqueueResult(results.get(i).getQueued(), results.get(i).getDuplicates()));
      }
      return out;
    });
  }

  /** {@code fetch @8}: up to {@code limit} queued messages after {@code afterSeq}, in order. */
  public CompletableFuture<List<Envelope>> fetch(long deviceId, long afterSeq, int limit) {
    return callIdempotent(NODE, NodeService.METHOD_FETCH, p -> {
      NodeService.FetchParams.Builder b = p.initAs(NodeService.FetchParams.factory);
      b.setDeviceId(deviceId);
      b.setAfterSeq(afterSeq);
      b.setLimit(limit);
    }, r -> NodeCalls.envelopes(r.getAs(NodeService.FetchResults.factory)));
  }

  /**
   * The queue entries a pushed {@code newMessages} event carries (docs/wire.md, Push), in the
   * order the server listed them; empty for any other event, for an event without entries, and
   * for one that does not decode (it is then only the hint it always was).
   */
  public static List<Envelope> pushedEntries(org.capnproto.MessageReader event) {
    try {
      Qpq.Event.Reader e = event.getRoot(Qpq.Event.factory);
      if (e.which() != Qpq.Event.Which.NEW_MESSAGES || !e.getNewMessages().hasMessages()) {
        return List.of();
      }
      return NodeCalls.envelopes(e.getNewMessages().getMessages());
    } catch (RuntimeException malformed) {
      return List.of();
    }
  }

  /** {@code ack @9}: deletes these messages from the device's queue; returns how many went. */
  public CompletableFuture<Integer> ack(long deviceId, List<byte[]> messageIds) {
    return callIdempotent(NODE, NodeService.METHOD_ACK, p -> {
      NodeService.AckParams.Builder b = p.initAs(NodeService.AckParams.factory);
      b.setDeviceId(deviceId);
      NodeCalls.setData(b.initMessageIds(messageIds.size()), messageIds);
    }, r -> r.getAs(NodeService.AckResults.factory).getDeleted());
  }

  /** {@code publishGroupInfo @10}; false if the server already holds a later epoch's. */
  public CompletableFuture<Boolean> publishGroupInfo(byte[] groupId, long epoch, byte[] groupInfo) {
    return callIdempotent(NODE, NodeService.METHOD_PUBLISH_GROUP_INFO, p -> {
      NodeService.PublishGroupInfoParams.Builder b =
          p.initAs(NodeService.PublishGroupInfoParams.factory);
      b.setGroupId(groupId);
      b.setEpoch(epoch);
      b.setGroupInfo(groupInfo);
    }, r -> r.getAs(NodeService.PublishGroupInfoResults.factory).getStored());
  }

  /** {@code fetchGroupInfo @11}: fails with NOT_FOUND when none was published. */
  public CompletableFuture<GroupInfoEntry> fetchGroupInfo(byte[] groupId) {
    return callIdempotent(NODE, NodeService.METHOD_FETCH_GROUP_INFO,
        p -> p.initAs(NodeService.FetchGroupInfoParams.factory).setGroupId(groupId), r -> {
          NodeService.FetchGroupInfoResults.Reader res =
              r.getAs(NodeService.FetchGroupInfoResults.factory);
          return new GroupInfoEntry(res.getEpoch(), res.getGroupInfo().toArray());
        });
  }

  /**
   * {@code createBlob @12}: reserves a blob of {@code size} bytes in chunks of {@code chunkSize}
   * ({@code expiresInSeconds} 0: the server's maximum). Not retried after a disconnect (a retry
   * would reserve a second blob); an abandoned reservation is swept by the server.
   */
  public CompletableFuture<org.quicproquo.client.files.CreatedBlob> createBlob(long size,
      int chunkSize, int expiresInSeconds) {
    return call(NODE, NodeService.METHOD_CREATE_BLOB, p -> {
      NodeService.CreateBlobParams.Builder b = p.initAs(NodeService.CreateBlobParams.factory);
      b.setSize(size);
      b.setChunkSize(chunkSize);
      b.setExpiresInSeconds(expiresInSeconds);
    }, r -> {
      NodeService.CreateBlobResults.Reader res = r.getAs(NodeService.CreateBlobResults.factory);
      return new org.quicproquo.client.files.CreatedBlob(res.getBlobId().toArray(),
          res.getExpiresAtMillis());
    }).exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e)));
  }

  /** {@code putChunk @13}; idempotent. Returns how many distinct chunks the server holds. */
  public CompletableFuture<Integer> putChunk(byte[] blobId, int index, byte[] data) {
    return putChunk(blobId, index, data, data.length);
  }

  /**
   * {@code putChunk @13} with the chunk in {@code data[0, length)}. The array is read when the
   * call is sent and again if it is sent once more after a lost connection, so it must stay
   * unchanged until the returned future completes.
   */
  public CompletableFuture<Integer> putChunk(byte[] blobId, int index, byte[] data, int length) {
    if (length < 0 || length > data.length) {
      throw new IllegalArgumentException("length " + length + " outside 0.." + data.length);
    }
    return callIdempotent(NODE, NodeService.METHOD_PUT_CHUNK, p -> {
      NodeService.PutChunkParams.Builder b = p.initAs(NodeService.PutChunkParams.factory);
      b.setBlobId(blobId);
      b.setIndex(index);
      // one bulk copy: setData(byte[]) copies byte by byte, which cost more CPU than the
      // encryption of the chunk
      b.initData(length).asByteBuffer().put(data, 0, length);
    }, r -> r.getAs(NodeService.PutChunkResults.factory).getReceived());
  }

  /** {@code blobStatus @14}: where an upload stands (for resuming) or a blob's geometry. */
  public CompletableFuture<org.quicproquo.client.files.BlobStatus> blobStatus(byte[] blobId) {
    return callIdempotent(NODE, NodeService.METHOD_BLOB_STATUS,
        p -> p.initAs(NodeService.BlobStatusParams.factory).setBlobId(blobId), r -> {
          Qpq.BlobStatus.Reader s = r.getAs(NodeService.BlobStatusResults.factory).getStatus();
          return new org.quicproquo.client.files.BlobStatus(s.getSize(), s.getChunkSize(),
              s.getChunkCount(), s.getChunksReceived(), s.getReceived().toArray(),
              s.getFinished(), s.getExpiresAtMillis());
        });
  }

  /** {@code finishBlob @15}: seals a fully uploaded blob; idempotent. */
  public CompletableFuture<Void> finishBlob(byte[] blobId) {
    return callIdempotent(NODE, NodeService.METHOD_FINISH_BLOB,
        p -> p.initAs(NodeService.FinishBlobParams.factory).setBlobId(blobId), r -> null);
  }

  /** {@code getChunk @16}: chunk {@code index} of a finished blob. */
  public CompletableFuture<byte[]> getChunk(byte[] blobId, int index) {
    return callIdempotent(NODE, NodeService.METHOD_GET_CHUNK, getChunkParams(blobId, index),
        r -> r.getAs(NodeService.GetChunkResults.factory).getData().toArray());
  }

  /**
   * {@code getChunk @16} into a buffer of the caller's, so that bulk downloads allocate nothing
   * per chunk: the chunk's bytes are copied to the start of {@code into} (on the I/O thread, as
   * the answer arrives) if they fit. Completes with the chunk's length, which exceeds
   * {@code into.length} when they did not fit (then {@code into} is untouched). The caller must
   * not use {@code into} before the future completes.
   */
  public CompletableFuture<Integer> getChunk(byte[] blobId, int index, byte[] into) {
    return callIdempotent(NODE, NodeService.METHOD_GET_CHUNK, getChunkParams(blobId, index), r -> {
      org.capnproto.Data.Reader data = r.getAs(NodeService.GetChunkResults.factory).getData();
      int n = data.size();
      if (n <= into.length) {
        data.asByteBuffer().get(into, 0, n);
      }
      return n;
    });
  }

  private static Consumer<AnyPointer.Builder> getChunkParams(byte[] blobId, int index) {
    return p -> {
      NodeService.GetChunkParams.Builder b = p.initAs(NodeService.GetChunkParams.factory);
      b.setBlobId(blobId);
      b.setIndex(index);
    };
  }

  /** {@code deleteBlob @17}: deletes one's own blob; false if it was gone already. */
  public CompletableFuture<Boolean> deleteBlob(byte[] blobId) {
    return callIdempotent(NODE, NodeService.METHOD_DELETE_BLOB,
        p -> p.initAs(NodeService.DeleteBlobParams.factory).setBlobId(blobId),
        r -> r.getAs(NodeService.DeleteBlobResults.factory).getDeleted());
  }

  /** {@code deleteAccount @18}: deletes the logged-in account and everything the server keeps of it. */
  public CompletableFuture<Void> deleteAccount() {
    return callIdempotent(NODE, NodeService.METHOD_DELETE_ACCOUNT,
        p -> p.initAs(NodeService.DeleteAccountParams.factory), r -> null);
  }

  /**
   * {@code registerDevice @19}: adds a device to the logged-in user; {@code certificate} is the
   * identity key's signature over it. Not retried after a disconnect (a retry would fail with
   * DEVICE_EXISTS); callers check {@link #listDevices} instead.
   */
  public CompletableFuture<Long> registerDevice(byte[] deviceKey, byte[] certificate) {
    return call(NODE, NodeService.METHOD_REGISTER_DEVICE, p -> {
      NodeService.RegisterDeviceParams.Builder b =
          p.initAs(NodeService.RegisterDeviceParams.factory);
      b.setDeviceKey(deviceKey);
      b.setDeviceCertificate(certificate);
    }, r -> r.getAs(NodeService.RegisterDeviceResults.factory).getDeviceId())
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e)));
  }

  /** {@code listDevices @20}: every device of the logged-in user, revoked ones included. */
  public CompletableFuture<List<DeviceInfo>> listDevices() {
    return callIdempotent(NODE, NodeService.METHOD_LIST_DEVICES,
        p -> p.initAs(NodeService.ListDevicesParams.factory), r -> {
          List<DeviceInfo> out = new ArrayList<>();
          for (Qpq.DeviceInfo.Reader d : r.getAs(NodeService.ListDevicesResults.factory)
              .getDevices()) {
            out.add(new DeviceInfo(d.getDeviceId(), d.getCreatedAtMillis(), d.getRevoked(),
                d.getCurrent(), d.getSignatureKey().toArray()));
          }
          return out;
        });
  }

  /** {@code revokeDevice @21}: revokes another device of the user; false if it was already. */
  public CompletableFuture<Boolean> revokeDevice(long deviceId) {
    return callIdempotent(NODE, NodeService.METHOD_REVOKE_DEVICE,
        p -> p.initAs(NodeService.RevokeDeviceParams.factory).setDeviceId(deviceId),
        r -> r.getAs(NodeService.RevokeDeviceResults.factory).getRevoked());
  }

  /** {@code openLink @22}: opens the link mailbox; returns when it expires (epoch millis). */
  public CompletableFuture<Long> openLink(byte[] lookupId, byte[] offer, int expiresInSeconds) {
    return callIdempotent(NODE, NodeService.METHOD_OPEN_LINK, p -> {
      NodeService.OpenLinkParams.Builder b = p.initAs(NodeService.OpenLinkParams.factory);
      b.setLookupId(lookupId);
      b.setOffer(offer);
      b.setExpiresInSeconds(expiresInSeconds);
    }, r -> r.getAs(NodeService.OpenLinkResults.factory).getExpiresAtMillis());
  }

  /**
   * {@code answerLink @23}: with an empty reply, the new device's sealed request (empty while
   * none); with a reply, stores it. Idempotent.
   */
  public CompletableFuture<byte[]> answerLink(byte[] lookupId, byte[] reply) {
    return callIdempotent(NODE, NodeService.METHOD_ANSWER_LINK, p -> {
      NodeService.AnswerLinkParams.Builder b = p.initAs(NodeService.AnswerLinkParams.factory);
      b.setLookupId(lookupId);
      b.setReply(reply);
    }, r -> r.getAs(NodeService.AnswerLinkResults.factory).getRequest().toArray());
  }

  /**
   * {@code joinLink @24} (no login): the offer, and the reply to {@code request} once there. The
   * same request again only polls, so retrying is safe.
   */
  public CompletableFuture<LinkMailbox> joinLink(byte[] lookupId, byte[] request) {
    return callIdempotent(NODE, NodeService.METHOD_JOIN_LINK, p -> {
      NodeService.JoinLinkParams.Builder b = p.initAs(NodeService.JoinLinkParams.factory);
      b.setLookupId(lookupId);
      b.setRequest(request);
    }, r -> {
      NodeService.JoinLinkResults.Reader res = r.getAs(NodeService.JoinLinkResults.factory);
      return new LinkMailbox(res.getOffer().toArray(), res.getReply().toArray());
    });
  }

  /** The fingerprint pinned for this client's server, once known. */
  public java.util.Optional<CertificateFingerprint> pinnedFingerprint() {
    return pins.pinned(config.server().toString());
  }

  /**
   * Calls a method that may safely run twice: on {@code disconnected} it reconnects (with backoff)
   * and calls again, once.
   */
  <T> CompletableFuture<T> callIdempotent(long interfaceId, int methodId,
      Consumer<AnyPointer.Builder> params, Function<AnyPointer.Reader, T> results) {
    return call(interfaceId, methodId, params, results).exceptionallyCompose(e -> {
      if (isDisconnect(unwrap(e))) {
        return call(interfaceId, methodId, params, results);
      }
      return CompletableFuture.failedFuture(unwrap(e));
    });
  }

  private <T> CompletableFuture<T> call(long interfaceId, int methodId,
      Consumer<AnyPointer.Builder> params, Function<AnyPointer.Reader, T> results) {
    return link().thenCompose(l -> l.rpc().call(interfaceId, methodId, params, results));
  }

  private static boolean isDisconnect(Throwable t) {
    return t instanceof RpcException r && r.type() == ExceptionType.DISCONNECTED;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The live link, or a new one if there is none or it died. */
  private CompletableFuture<Link> link() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new RpcException(ExceptionType.DISCONNECTED,
            RpcErrors.CANCELED, "client is closed"));
      }
      if (current != null && (!current.isDone()
          || (!current.isCompletedExceptionally() && current.join().alive()))) {
        return current;
      }
      if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
        current.join().client().close();
      }
      CompletableFuture<Link> next = new CompletableFuture<>();
      current = next;
      attempt(next, 0);
      return next;
    }
  }

  private void attempt(CompletableFuture<Link> result, int n) {
    ServerTrust trust = ServerTrust.trustOnFirstUse(pins);
    RpcClient.builder(config.server().resolve(), trust)
        .serverName(config.server().toString())
        .limits(config.limits())
        .events(events)
        .connect()
        .thenCompose(c -> c.openStream().thenCompose(s -> authenticate(c, s))
            .whenComplete((l, e) -> {
              if (e != null) {
                c.close();
              }
            }))
        .whenComplete((l, e) -> {
          if (e == null) {
            boolean stillWanted;
            synchronized (lock) {
              stillWanted = !closed;
            }
            if (stillWanted) {
              result.complete(l);
            } else {
              l.client().close();
              result.completeExceptionally(new RpcException(ExceptionType.DISCONNECTED,
                  RpcErrors.CANCELED, "client is closed"));
            }
            return;
          }
          Throwable cause = unwrap(e);
          if (cause instanceof FingerprintMismatchException || !isDisconnect(cause)
              && cause instanceof RpcException) {
            // A changed certificate needs a human decision; a refused login (revoked device,
            // bad signature) will not change by retrying.
            result.completeExceptionally(cause);
            return;
          }
          boolean stop;
          synchronized (lock) {
            stop = closed;
          }
          if (stop || n + 1 >= config.maxConnectAttempts()) {
            result.completeExceptionally(new RpcException(ExceptionType.DISCONNECTED,
                RpcErrors.CONNECT_FAILED, "cannot reach " + config.server() + " after "
                    + (n + 1) + " attempts (last error: " + cause.getMessage() + ")", cause));
            return;
          }
          long delay = config.backoff().delay(n, jitter).toMillis();
          timer.schedule(() -> attempt(result, n + 1), delay, TimeUnit.MILLISECONDS);
        });
  }

  /** Logs a fresh stream in when this client has a device to log in as. */
  private CompletableFuture<Link> authenticate(RpcClient c, RpcConnection s) {
    DeviceLogin who;
    synchronized (lock) {
      who = deviceLogin;
    }
    if (who == null) {
      return CompletableFuture.completedFuture(new Link(c, s, false));
    }
    return NodeCalls.login(s, who, c.serverFingerprint()).thenApply(v -> new Link(c, s, true));
  }

  /**
   * Logs this client in as {@code who}, now and on every reconnect (login is scoped to the QUIC
   * connection). Fails with the server's error (UNKNOWN_DEVICE, DEVICE_REVOKED, BAD_SIGNATURE).
   */
  public CompletableFuture<Void> login(DeviceLogin who) {
    CompletableFuture<Link> l;
    synchronized (lock) {
      deviceLogin = who;
      l = current;
    }
    if (l != null && l.isDone() && !l.isCompletedExceptionally() && l.join().alive()
        && !l.join().loggedIn()) {
      Link old = l.join();
      CompletableFuture<Link> fresh = NodeCalls.login(old.rpc(), who, old.client().serverFingerprint())
          .thenApply(v -> new Link(old.client(), old.rpc(), true));
      synchronized (lock) {
        if (current == l) {
          current = fresh;
        }
      }
      return fresh.thenAccept(x -> { });
    }
    return link().thenAccept(x -> { });
  }

  private static ServerInfo toServerInfo(Qpq.ServerInfo.Reader r) {
    List<Integer> suites = new ArrayList<>();
    var list = r.getCipherSuites();
    for (int i = 0; i < list.size(); i++) {
      suites.add(list.get(i) & 0xffff);
    }
    Qpq.Limits.Reader l = r.getLimits();
    return new ServerInfo(r.getVersion().toString(), suites, l.getMaxMessageBytes() & 0xffffffffL,
        l.getMaxTraversalWords(), l.getMaxNestingDepth() & 0xffff,
        l.getMaxCallsInFlight() & 0xffffffffL, l.getIdleTimeoutMillis() & 0xffffffffL,
        r.hasKtPublicKey() ? r.getKtPublicKey().toArray() : new byte[0]);
  }

  /**
   * Forgets the current connection so the next call connects afresh. For callers whose call timed
   * out: a server that died without closing its connections (SIGKILL, power loss) leaves links
   * that look alive until the QUIC idle timeout.
   */
  public void dropLink() {
    CompletableFuture<Link> last;
    synchronized (lock) {
      last = current;
      current = null;
    }
    if (last != null) {
      last.thenAccept(l -> l.client().close());
    }
  }

  @Override
  public void close() {
    CompletableFuture<Link> last;
    synchronized (lock) {
      closed = true;
      last = current;
      current = null;
    }
    timer.shutdownNow();
    if (last != null) {
      last.thenAccept(l -> l.client().close());
    }
  }
}
