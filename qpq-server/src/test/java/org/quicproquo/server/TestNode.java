package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.capnproto.AnyPointer;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.CertificateFingerprint;
import org.quicproquo.rpc.RpcClient;
import org.quicproquo.rpc.RpcConnection;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.rpc.ServerTrust;

/** A raw RPC client on one QUIC connection to a {@link QpqServer}, with typed helpers. */
final class TestNode implements AutoCloseable {
  final RpcClient client;
  final RpcConnection conn;
  /** {@code newMessages.count} of every pushed event, in arrival order. */
  private final BlockingQueue<Integer> events;
  /** {@code newMessages.messages} of every pushed event, in arrival order. */
  private final BlockingQueue<List<Envelope>> pushed;

  private TestNode(RpcClient client, RpcConnection conn, BlockingQueue<Integer> events,
      BlockingQueue<List<Envelope>> pushed) {
    this.client = client;
    this.conn = conn;
    this.events = events;
    this.pushed = pushed;
  }

  static TestNode connect(QpqServer server) throws Exception {
    return connect(server.address(), server.fingerprint());
  }

  /** Connects to a server running anywhere (another process), pinning {@code fingerprint}. */
  static TestNode connect(InetSocketAddress address, CertificateFingerprint fingerprint)
      throws Exception {
    BlockingQueue<Integer> events = new LinkedBlockingQueue<>();
    BlockingQueue<List<Envelope>> pushed = new LinkedBlockingQueue<>();
    RpcClient client = RpcClient.builder(address, ServerTrust.pinned(fingerprint))
        .events(m -> {
          Qpq.Event.Reader e = m.getRoot(Qpq.Event.factory);
          if (e.which() == Qpq.Event.Which.NEW_MESSAGES) {
            List<Envelope> entries = new ArrayList<>();
            for (Qpq.Envelope.Reader x : e.getNewMessages().getMessages()) {
              entries.add(new Envelope(x.getSeq(), x.getMessageId().toArray(),
                  x.getPayload().toArray()));
            }
            pushed.add(entries);
            events.add(e.getNewMessages().getCount());
          }
        })
        .connect().get(20, TimeUnit.SECONDS);
    return new TestNode(client, client.openStream().get(20, TimeUnit.SECONDS), events, pushed);
  }

  /** The entries the next pushed event carried, or null if none arrives within the timeout. */
  List<Envelope> nextPushedEntries(long millis) throws InterruptedException {
    return pushed.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** The next pushed count, or null if none arrives within the timeout. */
  Integer nextEvent(long millis) throws InterruptedException {
    return events.poll(millis, TimeUnit.MILLISECONDS);
  }

  <T> T call(int method, Consumer<AnyPointer.Builder> params,
      Function<AnyPointer.Reader, T> results) throws Exception {
    try {
      return conn.call(NodeService.TYPE_ID, method, params, results).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RpcException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Asserts that the call fails with {@code code}, and returns the exception. */
  RpcException fails(int method, Consumer<AnyPointer.Builder> params, String code) {
    List<RpcException> out = new ArrayList<>();
    assertThatThrownBy(() -> call(method, params, r -> null))
        .isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
          out.add(e);
        });
    return out.get(0);
  }

  long register(TestAccount a) throws Exception {
    a.deviceId = call(NodeService.METHOD_REGISTER, p -> {
      NodeService.RegisterParams.Builder b = p.initAs(NodeService.RegisterParams.factory);
      b.setName(a.name);
      b.setIdentityKey(a.identityKey());
      b.setDeviceKey(a.deviceKey());
      b.setDeviceCertificate(a.certificate());
    }, r -> r.getAs(NodeService.RegisterResults.factory).getDeviceId());
    return a.deviceId;
  }

  byte[] challenge(long deviceId) throws Exception {
    return call(NodeService.METHOD_LOGIN_CHALLENGE,
        p -> p.initAs(NodeService.LoginChallengeParams.factory).setDeviceId(deviceId),
        r -> r.getAs(NodeService.LoginChallengeResults.factory).getNonce().toArray());
  }

  void login(TestAccount a) throws Exception {
    byte[] nonce = challenge(a.deviceId);
    byte[] sig = a.loginSignature(nonce, client.serverFingerprint().sha256(), a.deviceId);
    call(NodeService.METHOD_LOGIN, p -> {
      NodeService.LoginParams.Builder b = p.initAs(NodeService.LoginParams.factory);
      b.setDeviceId(a.deviceId);
      b.setSignature(sig);
    }, r -> null);
  }

  static Consumer<AnyPointer.Builder> upload(long deviceId, List<byte[]> oneTime,
      byte[] lastResort) {
    return p -> {
      NodeService.UploadKeyPackagesParams.Builder b =
          p.initAs(NodeService.UploadKeyPackagesParams.factory);
      b.setDeviceId(deviceId);
      var list = b.initOneTime(oneTime.size());
      for (int i = 0; i < oneTime.size(); i++) {
        list.set(i, new org.capnproto.Data.Reader(oneTime.get(i)));
      }
      if (lastResort != null) {
        b.setLastResort(lastResort);
      }
    };
  }

  static Consumer<AnyPointer.Builder> enqueue(byte[] id, List<Long> recipients, byte[] payload,
      boolean commit) {
    return p -> {
      NodeService.EnqueueParams.Builder b = p.initAs(NodeService.EnqueueParams.factory);
      b.setMessageId(id);
      var list = b.initRecipients(recipients.size());
      for (int i = 0; i < recipients.size(); i++) {
        list.set(i, recipients.get(i));
      }
      b.setPayload(payload);
      b.setCommit(commit);
    };
  }

  /** (queued, duplicates). */
  int[] enqueueCall(byte[] id, List<Long> recipients, byte[] payload, boolean commit)
      throws Exception {
    return call(NodeService.METHOD_ENQUEUE, enqueue(id, recipients, payload, commit), r -> {
      NodeService.EnqueueResults.Reader res = r.getAs(NodeService.EnqueueResults.factory);
      return new int[] {res.getQueued(), res.getDuplicates()};
    });
  }

  /** One item of an enqueueBatch call. */
  record BatchItem(byte[] id, List<Long> recipients, byte[] payload) {}

  static Consumer<AnyPointer.Builder> enqueueBatch(List<BatchItem> items) {
    return p -> {
      var list = p.initAs(NodeService.EnqueueBatchParams.factory).initItems(items.size());
      for (int i = 0; i < items.size(); i++) {
        Qpq.EnqueueItem.Builder b = list.get(i);
        b.setMessageId(items.get(i).id());
        var r = b.initRecipients(items.get(i).recipients().size());
        for (int j = 0; j < items.get(i).recipients().size(); j++) {
          r.set(j, items.get(i).recipients().get(j));
        }
        b.setPayload(items.get(i).payload());
      }
    };
  }

  /** (queued, duplicates) per item. */
  List<int[]> enqueueBatchCall(List<BatchItem> items) throws Exception {
    return call(NodeService.METHOD_ENQUEUE_BATCH, enqueueBatch(items), r -> {
      List<int[]> out = new ArrayList<>();
      for (Qpq.EnqueueOutcome.Reader o
          : r.getAs(NodeService.EnqueueBatchResults.factory).getResults()) {
        out.add(new int[] {o.getQueued(), o.getDuplicates()});
      }
      return out;
    });
  }

  static Consumer<AnyPointer.Builder> fetch(long deviceId, long after, int limit) {
    return p -> {
      NodeService.FetchParams.Builder b = p.initAs(NodeService.FetchParams.factory);
      b.setDeviceId(deviceId);
      b.setAfterSeq(after);
      b.setLimit(limit);
    };
  }

  /** Fetched entries as (seq, message id, payload). */
  record Envelope(long seq, byte[] id, byte[] payload) {}

  List<Envelope> fetchCall(long deviceId) throws Exception {
    return call(NodeService.METHOD_FETCH, fetch(deviceId, 0, 100), r -> {
      List<Envelope> out = new ArrayList<>();
      for (Qpq.Envelope.Reader e : r.getAs(NodeService.FetchResults.factory).getMessages()) {
        out.add(new Envelope(e.getSeq(), e.getMessageId().toArray(), e.getPayload().toArray()));
      }
      return out;
    });
  }

  static Consumer<AnyPointer.Builder> ack(long deviceId, List<byte[]> ids) {
    return p -> {
      NodeService.AckParams.Builder b = p.initAs(NodeService.AckParams.factory);
      b.setDeviceId(deviceId);
      var list = b.initMessageIds(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        list.set(i, new org.capnproto.Data.Reader(ids.get(i)));
      }
    };
  }

  int ackCall(long deviceId, List<byte[]> ids) throws Exception {
    return call(NodeService.METHOD_ACK, ack(deviceId, ids),
        r -> r.getAs(NodeService.AckResults.factory).getDeleted());
  }

  private boolean closed;

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      conn.close();
      client.close();
    }
  }
}
