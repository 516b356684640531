package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.capnproto.AnyPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.proto.Qpq;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.rpc.RpcLimits;
import org.quicproquo.server.store.StoreLimits;
import org.quicproquo.server.store.UserName;

/** The blob RPCs over real QUIC: round trips, hostile parameters, quotas and the sweeper. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlobRpcTest {
  private static final int CHUNK = 4096;

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  private static BlobLimits limits(long perBlob, long perUser) {
    BlobLimits d = BlobLimits.defaults();
    return new BlobLimits(perBlob, perUser, d.minChunkBytes(), d.maxChunkBytes(),
        d.maxRetention(), d.unfinishedRetention(), d.sweepInterval());
  }

  private QpqServer start(BlobLimits limits, Clock clock) throws Exception {
    return QpqServer.start(new ServerConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dir, RpcLimits.defaults()),
        random, clock, StoreLimits.defaults(), RateLimits.defaults(), limits);
  }

  private TestNode loggedIn(QpqServer server, String name) throws Exception {
    TestNode n = TestNode.connect(server);
    TestAccount a = TestAccount.generate(name, random);
    n.register(a);
    n.login(a);
    return n;
  }

  static Consumer<AnyPointer.Builder> create(long size, int chunkSize, int seconds) {
    return p -> {
      var b = p.initAs(NodeService.CreateBlobParams.factory);
      b.setSize(size);
      b.setChunkSize(chunkSize);
      b.setExpiresInSeconds(seconds);
    };
  }

  static byte[] createCall(TestNode n, long size, int chunkSize) throws Exception {
    return n.call(NodeService.METHOD_CREATE_BLOB, create(size, chunkSize, 0),
        r -> r.getAs(NodeService.CreateBlobResults.factory).getBlobId().toArray());
  }

  static Consumer<AnyPointer.Builder> put(byte[] id, int index, byte[] data) {
    return p -> {
      var b = p.initAs(NodeService.PutChunkParams.factory);
      b.setBlobId(id);
      b.setIndex(index);
      b.setData(data);
    };
  }

  static Consumer<AnyPointer.Builder> get(byte[] id, int index) {
    return p -> {
      var b = p.initAs(NodeService.GetChunkParams.factory);
      b.setBlobId(id);
      b.setIndex(index);
    };
  }

  static Consumer<AnyPointer.Builder> id(byte[] id) {
    // every blob method but createBlob, putChunk and getChunk takes only the id, at pointer 0
    return p -> p.initAs(NodeService.FinishBlobParams.factory).setBlobId(id);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void roundTripWithOutOfOrderAndRepeatedChunks() throws Exception {
    try (QpqServer server = start(BlobLimits.defaults(), Clock.systemUTC());
        TestNode alice = loggedIn(server, "alice"); TestNode bob = loggedIn(server, "bob")) {
      byte[] content = bytes(2 * CHUNK + 100);
      byte[] id = createCall(alice, content.length, CHUNK);
      assertThat(id).hasSize(16);
      byte[][] chunks = {slice(content, 0, CHUNK), slice(content, CHUNK, CHUNK),
          slice(content, 2 * CHUNK, 100)};
      int received = alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 2, chunks[2]),
          r -> r.getAs(NodeService.PutChunkResults.factory).getReceived());
      assertThat(received).isEqualTo(1);
      alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 0, chunks[0]), r -> null);
      received = alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 0, chunks[0]),
          r -> r.getAs(NodeService.PutChunkResults.factory).getReceived());
      assertThat(received).as("a repeated chunk counts once").isEqualTo(2);

      // unfinished: status shows the gap; bob cannot see it at all
      alice.call(NodeService.METHOD_BLOB_STATUS, id(id), r -> {
        Qpq.BlobStatus.Reader s = r.getAs(NodeService.BlobStatusResults.factory).getStatus();
        assertThat(s.getSize()).isEqualTo(content.length);
        assertThat(s.getChunkCount()).isEqualTo(3);
        assertThat(s.getChunksReceived()).isEqualTo(2);
        assertThat(s.getReceived().toArray()).containsExactly((byte) 0b101);
        assertThat(s.getFinished()).isFalse();
        return null;
      });
      bob.fails(NodeService.METHOD_BLOB_STATUS, id(id), NodeErrors.NO_SUCH_BLOB);
      bob.fails(NodeService.METHOD_GET_CHUNK, get(id, 0), NodeErrors.NO_SUCH_BLOB);
      alice.fails(NodeService.METHOD_GET_CHUNK, get(id, 0), NodeErrors.BLOB_INCOMPLETE);
      RpcException e = alice.fails(NodeService.METHOD_FINISH_BLOB, id(id),
          NodeErrors.BLOB_INCOMPLETE);
      assertThat(e.getMessage()).contains("chunk 1 is missing");

      alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 1, chunks[1]), r -> null);
      alice.call(NodeService.METHOD_FINISH_BLOB, id(id), r -> null);
      alice.call(NodeService.METHOD_FINISH_BLOB, id(id), r -> null); // idempotent
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(id, 1, chunks[1]), NodeErrors.BLOB_FINISHED);
      for (int i = 0; i < 3; i++) {
        byte[] got = bob.call(NodeService.METHOD_GET_CHUNK, get(id, i),
            r -> r.getAs(NodeService.GetChunkResults.factory).getData().toArray());
        assertThat(got).isEqualTo(chunks[i]);
      }
      bob.fails(NodeService.METHOD_DELETE_BLOB, id(id), NodeErrors.NOT_AUTHORIZED);
      boolean deleted = alice.call(NodeService.METHOD_DELETE_BLOB, id(id),
          r -> r.getAs(NodeService.DeleteBlobResults.factory).getDeleted());
      assertThat(deleted).isTrue();
      bob.fails(NodeService.METHOD_GET_CHUNK, get(id, 0), NodeErrors.NO_SUCH_BLOB);
      assertThat(Files.list(server.dataDir().resolve("blobs"))).isEmpty();
    }
  }

  @Test
  void hostileParametersGetTypedErrors() throws Exception {
    try (QpqServer server = start(BlobLimits.defaults(), Clock.systemUTC());
        TestNode alice = loggedIn(server, "alice"); TestNode anon = TestNode.connect(server)) {
      byte[] id = createCall(alice, 3 * CHUNK, CHUNK);
      String invalid = NodeErrors.INVALID_ARGUMENT;
      anon.fails(NodeService.METHOD_CREATE_BLOB, create(10, CHUNK, 0),
          NodeErrors.UNAUTHENTICATED);
      anon.fails(NodeService.METHOD_GET_CHUNK, get(id, 0), NodeErrors.UNAUTHENTICATED);
      alice.fails(NodeService.METHOD_CREATE_BLOB, create(0, CHUNK, 0), invalid);
      alice.fails(NodeService.METHOD_CREATE_BLOB, create(-1, CHUNK, 0), invalid);
      alice.fails(NodeService.METHOD_CREATE_BLOB, create(10, 0, 0), invalid);
      alice.fails(NodeService.METHOD_CREATE_BLOB, create(10, -1, 0), invalid);
      alice.fails(NodeService.METHOD_CREATE_BLOB, create(10, 100 << 20, 0), invalid);
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(id, 3, bytes(CHUNK)), invalid);
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(id, -1, bytes(CHUNK)), invalid);
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(id, 0, bytes(CHUNK - 1)), invalid);
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(id, 0, bytes(CHUNK + 1)), invalid);
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(id, 0, new byte[0]), invalid);
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(new byte[15], 0, bytes(CHUNK)), invalid);
      alice.fails(NodeService.METHOD_PUT_CHUNK, put(bytes(16), 0, bytes(CHUNK)),
          NodeErrors.NO_SUCH_BLOB);
      alice.fails(NodeService.METHOD_GET_CHUNK, get(bytes(16), 0), NodeErrors.NO_SUCH_BLOB);
      alice.fails(NodeService.METHOD_BLOB_STATUS, id(new byte[0]), invalid);
      alice.fails(NodeService.METHOD_FINISH_BLOB, id(bytes(16)), NodeErrors.NO_SUCH_BLOB);
      boolean deleted = alice.call(NodeService.METHOD_DELETE_BLOB, id(bytes(16)),
          r -> r.getAs(NodeService.DeleteBlobResults.factory).getDeleted());
      assertThat(deleted).isFalse();
      for (int method = NodeService.METHOD_CREATE_BLOB; method <= NodeService.METHOD_DELETE_BLOB;
          method++) {
        for (Consumer<AnyPointer.Builder> params : List.<Consumer<AnyPointer.Builder>>of(
            p -> { }, p -> p.initAs(Qpq.Event.factory).setNotice("not params"))) {
          try {
            alice.call(method, params, r -> null);
          } catch (RpcException e) {
            assertThat(e.code()).as("method %d: %s", method, e.getMessage())
                .isNotEqualTo("INTERNAL");
          }
        }
      }
      // the blob is untouched by all of that
      alice.call(NodeService.METHOD_BLOB_STATUS, id(id), r -> {
        assertThat(r.getAs(NodeService.BlobStatusResults.factory).getStatus().getChunksReceived())
            .isZero();
        return null;
      });
    }
  }

  @Test
  void quotasPerBlobAndPerUser() throws Exception {
    try (QpqServer server = start(limits(10 * CHUNK, 15 * CHUNK), Clock.systemUTC());
        TestNode alice = loggedIn(server, "alice"); TestNode bob = loggedIn(server, "bob")) {
      RpcException tooBig = alice.fails(NodeService.METHOD_CREATE_BLOB,
          create(10 * CHUNK + 1, CHUNK, 0), NodeErrors.QUOTA_EXCEEDED);
      assertThat(tooBig.getMessage()).contains("BLOB_SIZE");
      byte[] first = createCall(alice, 10 * CHUNK, CHUNK);
      RpcException full = alice.fails(NodeService.METHOD_CREATE_BLOB,
          create(6 * CHUNK, CHUNK, 0), NodeErrors.QUOTA_EXCEEDED);
      assertThat(full.getMessage()).contains("BLOB_STORAGE");
      createCall(alice, 5 * CHUNK, CHUNK); // exactly up to the quota
      createCall(bob, 10 * CHUNK, CHUNK); // quotas are per user
      alice.call(NodeService.METHOD_DELETE_BLOB, id(first), r -> null);
      createCall(alice, 10 * CHUNK, CHUNK); // deleting frees the quota
    }
  }

  @Test
  void sweeperDeletesExpiredAndAbandonedBlobs() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (QpqServer server = start(BlobLimits.defaults(), clock);
        TestNode alice = loggedIn(server, "alice"); TestNode bob = loggedIn(server, "bob")) {
      byte[] shortLived = alice.call(NodeService.METHOD_CREATE_BLOB, create(CHUNK, CHUNK, 3600),
          r -> r.getAs(NodeService.CreateBlobResults.factory).getBlobId().toArray());
      alice.call(NodeService.METHOD_PUT_CHUNK, put(shortLived, 0, bytes(CHUNK)), r -> null);
      alice.call(NodeService.METHOD_FINISH_BLOB, id(shortLived), r -> null);
      byte[] abandoned = createCall(alice, 2 * CHUNK, CHUNK);
      byte[] kept = createCall(alice, CHUNK, CHUNK);
      alice.call(NodeService.METHOD_PUT_CHUNK, put(kept, 0, bytes(CHUNK)), r -> null);
      alice.call(NodeService.METHOD_FINISH_BLOB, id(kept), r -> null);

      BlobSweeper sweeper = new BlobSweeper(server.store(),
          new BlobFiles(server.dataDir().resolve("blobs")), BlobLimits.defaults(), clock);
      assertThat(sweeper.sweep()).isZero();
      byte[] orphan = createCall(bob, CHUNK, CHUNK);
      bob.call(NodeService.METHOD_PUT_CHUNK, put(orphan, 0, bytes(CHUNK)), r -> null);
      bob.call(NodeService.METHOD_FINISH_BLOB, id(orphan), r -> null);
      server.store().accounts().deleteUser(UserName.of("bob"));
      assertThat(sweeper.sweep()).as("the blob of a deleted user").isEqualTo(1);
      alice.fails(NodeService.METHOD_GET_CHUNK, get(orphan, 0), NodeErrors.NO_SUCH_BLOB);
      clock.advance(Duration.ofHours(2));
      assertThat(sweeper.sweep()).as("the one-hour blob").isEqualTo(1);
      alice.fails(NodeService.METHOD_GET_CHUNK, get(shortLived, 0), NodeErrors.NO_SUCH_BLOB);
      clock.advance(Duration.ofHours(23));
      assertThat(sweeper.sweep()).as("the unfinished upload").isEqualTo(1);
      alice.fails(NodeService.METHOD_BLOB_STATUS, id(abandoned), NodeErrors.NO_SUCH_BLOB);
      alice.call(NodeService.METHOD_GET_CHUNK, get(kept, 0), r -> null);
      clock.advance(Duration.ofDays(30));
      assertThat(sweeper.sweep()).as("the default 30-day retention").isEqualTo(1);
      assertThat(Files.list(server.dataDir().resolve("blobs"))).isEmpty();
    }
  }

  @Test
  void chunksAreIndexedOnlyOnceForcedToDisk() throws Exception {
    try (QpqServer server = start(BlobLimits.defaults(), Clock.systemUTC());
        TestNode alice = loggedIn(server, "alice")) {
      byte[] id = createCall(alice, 3 * CHUNK, CHUNK);
      var blobId = new org.quicproquo.server.store.BlobId(id);
      int received = alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 1, bytes(CHUNK)),
          r -> r.getAs(NodeService.PutChunkResults.factory).getReceived());
      assertThat(received).as("the server holds it").isEqualTo(1);
      assertThat(server.store().blobs().find(blobId).orElseThrow().receivedCount())
          .as("written but not yet forced: not in the index, so a crash now cannot leave the "
              + "index naming a chunk that is not on disk").isZero();

      // blobStatus forces pending chunks first and then reports them
      alice.call(NodeService.METHOD_BLOB_STATUS, id(id), r -> {
        Qpq.BlobStatus.Reader st = r.getAs(NodeService.BlobStatusResults.factory).getStatus();
        assertThat(st.getChunksReceived()).isEqualTo(1);
        assertThat(st.getReceived().toArray()).containsExactly((byte) 0b010);
        return null;
      });
      assertThat(server.store().blobs().find(blobId).orElseThrow().receivedCount()).isEqualTo(1);

      // the sweeper's pass forces what an idle upload left pending
      BlobFiles files = new BlobFiles(server.dataDir().resolve("blobs"));
      assertThat(files.write(blobId, 0, 0, java.nio.ByteBuffer.wrap(bytes(CHUNK))).get(0))
          .isTrue();
      assertThat(server.store().blobs().find(blobId).orElseThrow().has(0)).isFalse();
      new BlobSweeper(server.store(), files, BlobLimits.defaults(), Clock.systemUTC()).sweep();
      assertThat(server.store().blobs().find(blobId).orElseThrow().has(0)).isTrue();

      // finishBlob forces the rest before it checks completeness
      alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 2, bytes(CHUNK)), r -> null);
      alice.call(NodeService.METHOD_FINISH_BLOB, id(id), r -> null);
      assertThat(server.store().blobs().find(blobId).orElseThrow().finished()).isTrue();

      // a blob deleted with chunks pending: the sync skips it
      byte[] gone = createCall(alice, CHUNK, CHUNK);
      var goneId = new org.quicproquo.server.store.BlobId(gone);
      assertThat(files.write(goneId, 0, 0, java.nio.ByteBuffer.wrap(bytes(CHUNK)))).isNotNull();
      alice.call(NodeService.METHOD_DELETE_BLOB, id(gone), r -> null);
      files.sync(goneId, server.store().blobs());
      assertThat(server.store().blobs().find(goneId)).isEmpty();
    }
  }

  @Test
  void aCleanShutdownForcesAndRecordsPendingChunks() throws Exception {
    TestAccount account = TestAccount.generate("alice", random);
    byte[][] chunks = {bytes(CHUNK), bytes(CHUNK), bytes(CHUNK)};
    byte[] id;
    try (QpqServer server = start(BlobLimits.defaults(), Clock.systemUTC());
        TestNode alice = TestNode.connect(server)) {
      alice.register(account);
      alice.login(account);
      id = createCall(alice, 4L * CHUNK, CHUNK);
      for (int i = 0; i < 3; i++) {
        alice.call(NodeService.METHOD_PUT_CHUNK, put(id, i, chunks[i]), r -> null);
      }
      assertThat(server.store().blobs().find(new org.quicproquo.server.store.BlobId(id))
          .orElseThrow().receivedCount()).as("written, not yet group-synced").isZero();
    }
    // the same data directory: the account and the blob are still there
    try (QpqServer server = start(BlobLimits.defaults(), Clock.systemUTC());
        TestNode alice = TestNode.connect(server)) {
      assertThat(server.store().blobs().find(new org.quicproquo.server.store.BlobId(id))
          .orElseThrow().receivedCount()).as("recorded by close()").isEqualTo(3);
      alice.login(account);
      alice.call(NodeService.METHOD_BLOB_STATUS, id(id), r -> {
        Qpq.BlobStatus.Reader st = r.getAs(NodeService.BlobStatusResults.factory).getStatus();
        assertThat(st.getChunksReceived()).isEqualTo(3);
        assertThat(st.getReceived().toArray()).containsExactly((byte) 0b0111);
        return null;
      });
      alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 3, bytes(CHUNK)), r -> null);
      alice.call(NodeService.METHOD_FINISH_BLOB, id(id), r -> null);
      for (int i = 0; i < 3; i++) {
        byte[] got = alice.call(NodeService.METHOD_GET_CHUNK, get(id, i),
            r -> r.getAs(NodeService.GetChunkResults.factory).getData().toArray());
        assertThat(got).as("chunk %d after the restart", i).isEqualTo(chunks[i]);
      }
    }
  }

  @Test
  void aCrashLosesOnlyUnsyncedChunksFromTheIndex() throws Exception {
    QpqServer server = start(BlobLimits.defaults(), Clock.systemUTC());
    byte[] id;
    try (TestNode alice = loggedIn(server, "alice")) {
      id = createCall(alice, 2L * CHUNK, CHUNK);
      alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 0, bytes(CHUNK)), r -> null);
      alice.call(NodeService.METHOD_BLOB_STATUS, id(id), r -> null); // syncs chunk 0
      alice.call(NodeService.METHOD_PUT_CHUNK, put(id, 1, bytes(CHUNK)), r -> null);
    } finally {
      server.closeAsIfCrashed();
    }
    try (QpqServer again = start(BlobLimits.defaults(), Clock.systemUTC())) {
      var b = again.store().blobs().find(new org.quicproquo.server.store.BlobId(id)).orElseThrow();
      assertThat(b.has(0)).isTrue();
      assertThat(b.has(1)).as("never forced: reported missing, sent again on resume").isFalse();
    }
  }

  private static byte[] slice(byte[] b, int from, int len) {
    return java.util.Arrays.copyOfRange(b, from, from + len);
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
