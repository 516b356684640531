package org.quicproquo.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} engine must have. An engine's test extends this class and
 * opens its store on a real database that survives {@link Store#close()}, so reopening sees the
 * same data.
 */
abstract class StoreContract {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final MutableClock clock = new MutableClock(START);
  Store store;

  /** Opens the engine's store on this test's database (the same one every time). */
  abstract Store openStore(StoreLimits limits);

  StoreLimits limits() {
    return StoreLimits.defaults();
  }

  @BeforeEach
  void open() {
    store = openStore(limits());
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  Store reopen(StoreLimits limits) {
    store.close();
    store = openStore(limits);
    return store;
  }

  // ---- helpers

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static MessageId messageId(int n) {
    byte[] b = new byte[MessageId.LENGTH];
    b[0] = (byte) (n >>> 24);
    b[1] = (byte) (n >>> 16);
    b[2] = (byte) (n >>> 8);
    b[3] = (byte) n;
    b[15] = 0x5a;
    return new MessageId(b);
  }

  static GroupId groupId(String s) {
    return new GroupId(bytes(s));
  }

  static NewDevice newDevice(String tag) {
    return new NewDevice(bytes("sig-" + tag), bytes("cert-" + tag));
  }

  Registration register(String name) {
    return store.accounts().register(UserName.of(name), bytes("idk-" + name), newDevice(name));
  }

  DeviceId deviceOf(String name) {
    return register(name).device().id();
  }

  Enqueued enqueue(int id, List<DeviceId> to, String payload) {
    return store.queue().enqueue(messageId(id), to, bytes(payload), Optional.empty());
  }

  List<String> payloads(DeviceId device) {
    return store.queue().fetch(device, 0, 1000).stream()
        .map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
  }

  static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          return task.call();
        }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(30, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- accounts

  @Nested
  class Accounts {
    @Test
    void registerReturnsWhatFindReadsBack() {
      Registration reg = register("alice@example.org");

      assertThat(reg.user().name()).isEqualTo(UserName.of("alice@example.org"));
      assertThat(reg.user().createdAt()).isEqualTo(START);
      assertThat(store.accounts().findUser(UserName.of("alice@example.org")))
          .contains(reg.user());
      assertThat(store.accounts().findDevice(reg.device().id())).contains(reg.device());
      assertThat(reg.device().signatureKey()).isEqualTo(bytes("sig-alice@example.org"));
      assertThat(reg.device().identityCertificate()).isEqualTo(bytes("cert-alice@example.org"));
      assertThat(reg.device().revoked()).isFalse();
      assertThat(store.accounts().isActive(reg.device().id())).isTrue();
    }

    @Test
    void absentUserAndDeviceAreEmpty() {
      assertThat(store.accounts().findUser(UserName.of("nobody"))).isEmpty();
      assertThat(store.accounts().findDevice(new DeviceId(12345))).isEmpty();
      assertThat(store.accounts().isActive(new DeviceId(12345))).isFalse();
      assertThat(store.accounts().activeDevices(UserName.of("nobody"))).isEmpty();
    }

    @Test
    void registeringATakenNameFailsAndChangesNothing() {
      Registration first = register("bob");

      assertThatThrownBy(() -> store.accounts().register(UserName.of("bob"), bytes("other"),
          newDevice("other")))
          .isInstanceOf(NameTakenException.class)
          .hasMessageContaining("bob");
      assertThat(store.accounts().findUser(UserName.of("bob"))).contains(first.user());
      assertThat(store.accounts().activeDevices(UserName.of("bob")))
          .containsExactly(first.device());
    }

    @Test
    void repeatingARegistrationWithTheSameKeysReturnsItUntilTheAccountChanges() {
      Registration first = register("dora");

      Registration again = register("dora");
      assertThat(again.device()).isEqualTo(first.device());
      assertThat(again.user()).isEqualTo(first.user());
      assertThat(store.accounts().activeDevices(UserName.of("dora")))
          .containsExactly(first.device());
      // Same identity key, another device key or certificate: someone else's attempt.
      assertThatThrownBy(() -> store.accounts().register(UserName.of("dora"), bytes("idk-dora"),
          newDevice("other"))).isInstanceOf(NameTakenException.class);
      assertThatThrownBy(() -> store.accounts().register(UserName.of("dora"), bytes("idk-dora"),
          new NewDevice(bytes("sig-dora"), bytes("cert-other"))))
          .isInstanceOf(NameTakenException.class);
      // Once the account has a second device the first registration is long finished.
      store.accounts().addDevice(UserName.of("dora"), newDevice("dora2"));
      assertThatThrownBy(() -> register("dora")).isInstanceOf(NameTakenException.class);
    }

    @Test
    void addDeviceToUnknownUserFails() {
      assertThatThrownBy(() -> store.accounts().addDevice(UserName.of("ghost"), newDevice("g")))
          .isInstanceOf(UnknownUserException.class);
    }

    @Test
    void activeDevicesAreOldestFirstWithoutRevokedOnes() {
      Registration reg = register("carol");
      Device second = store.accounts().addDevice(UserName.of("carol"), newDevice("c2"));
      Device third = store.accounts().addDevice(UserName.of("carol"), newDevice("c3"));

      assertThat(store.accounts().revokeDevice(second.id())).isTrue();

      assertThat(store.accounts().activeDevices(UserName.of("carol")))
          .containsExactly(reg.device(), third);
      assertThat(store.accounts().findDevice(second.id()))
          .hasValueSatisfying(d -> assertThat(d.revoked()).isTrue());
      assertThat(store.accounts().isActive(second.id())).isFalse();
      assertThat(store.accounts().isActive(third.id())).isTrue();
      assertThat(store.accounts().revokeDevice(second.id())).isFalse();
      assertThat(store.accounts().revokeDevice(new DeviceId(999_999))).isFalse();
    }

    @Test
    void allDevicesListsRevokedOnesTooOldestFirst() {
      Registration reg = register("cora");
      Device second = store.accounts().addDevice(UserName.of("cora"), newDevice("k2"));
      store.accounts().revokeDevice(second.id());
      Device third = store.accounts().addDevice(UserName.of("cora"), newDevice("k3"));

      assertThat(store.accounts().allDevices(UserName.of("cora")))
          .extracting(Device::id, Device::revoked)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(reg.device().id(), false),
              org.assertj.core.groups.Tuple.tuple(second.id(), true),
              org.assertj.core.groups.Tuple.tuple(third.id(), false));
      assertThat(store.accounts().allDevices(UserName.of("nobody"))).isEmpty();
    }

    @Test
    void deviceQuotaCountsOnlyActiveDevices() {
      register("dave");
      List<Device> extra = new ArrayList<>();
      for (int i = 1; i < limits().maxDevicesPerUser(); i++) {
        extra.add(store.accounts().addDevice(UserName.of("dave"), newDevice("d" + i)));
      }

      assertThatThrownBy(() -> store.accounts().addDevice(UserName.of("dave"), newDevice("x")))
          .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
            assertThat(e.quota()).isEqualTo(QuotaExceededException.Quota.DEVICES);
            assertThat(e.limit()).isEqualTo(limits().maxDevicesPerUser());
          });
      store.accounts().revokeDevice(extra.get(0).id());
      assertThat(store.accounts().addDevice(UserName.of("dave"), newDevice("y")).revoked())
          .isFalse();
    }

    @Test
    void revokingADeviceDropsItsQueueAndKeyPackages() {
      DeviceId d = deviceOf("erin");
      enqueue(1, List.of(d), "hello");
      store.keyPackages().addOneTime(d, List.of(bytes("kp")));
      store.keyPackages().setLastResort(d, bytes("lr"));

      store.accounts().revokeDevice(d);

      assertThat(store.queue().length(d)).isZero();
      assertThat(store.queue().fetch(d, 0, 10)).isEmpty();
      assertThat(store.keyPackages().take(d)).isEmpty();
      assertThatThrownBy(() -> enqueue(2, List.of(d), "again"))
          .isInstanceOf(UnknownDeviceException.class);
      assertThatThrownBy(() -> store.keyPackages().addOneTime(d, List.of(bytes("kp"))))
          .isInstanceOf(UnknownDeviceException.class);
    }

    @Test
    void deletingAUserRemovesEveryRowAndNeverReusesDeviceIds() {
      Registration reg = register("frank");
      DeviceId d = reg.device().id();
      DeviceId other = deviceOf("grace");
      enqueue(1, List.of(d, other), "m");
      store.queue().ack(d, List.of(messageId(1)));
      enqueue(2, List.of(d), "m2");
      store.keyPackages().addOneTime(d, List.of(bytes("kp")));
      store.keyPackages().setLastResort(d, bytes("lr"));

      assertThat(store.accounts().deleteUser(UserName.of("frank"))).isTrue();

      assertThat(store.accounts().findUser(UserName.of("frank"))).isEmpty();
      assertThat(store.accounts().findDevice(d)).isEmpty();
      assertThat(store.accounts().isActive(d)).isFalse();
      assertThat(store.queue().fetch(d, 0, 10)).isEmpty();
      assertThat(store.keyPackages().countOneTime(d)).isZero();
      assertThat(store.keyPackages().take(d)).isEmpty();
      assertThat(payloads(other)).containsExactly("m");
      assertThat(store.accounts().deleteUser(UserName.of("frank"))).isFalse();

      Registration again = register("frank");
      assertThat(again.device().id().value()).isGreaterThan(other.value());
      assertThat(store.queue().fetch(again.device().id(), 0, 10)).isEmpty();
    }

    @Test
    void oversizedKeysAreRejectedBeforeTheDatabase() {
      byte[] big = new byte[limits().maxPublicKeyBytes() + 1];
      store.close();
      assertThatThrownBy(() -> store.accounts().register(UserName.of("h"), big, newDevice("h")))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.accounts().register(UserName.of("h"), new byte[0],
          newDevice("h"))).isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.accounts().addDevice(UserName.of("h"),
          new NewDevice(bytes("k"), new byte[limits().maxCertificateBytes() + 1])))
          .isInstanceOf(InvalidValueException.class);
      // the closed store proves nothing reached the database; a real call fails differently
      assertThatThrownBy(() -> store.accounts().findUser(UserName.of("h")))
          .isInstanceOf(StorageFailureException.class);
    }
  }

  // ---- KeyPackages

  @Nested
  class KeyPackages {
    @Test
    void oneTimeKeyPackagesAreHandedOutOnceOldestFirstThenTheLastResortOneForever() {
      DeviceId d = deviceOf("alice");
      store.keyPackages().addOneTime(d, List.of(bytes("kp1"), bytes("kp2")));
      store.keyPackages().addOneTime(d, List.of(bytes("kp3")));
      store.keyPackages().setLastResort(d, bytes("lr1"));
      store.keyPackages().setLastResort(d, bytes("lr2"));
      assertThat(store.keyPackages().countOneTime(d)).isEqualTo(3);

      assertThat(store.keyPackages().take(d)).contains(new StoredKeyPackage(d, bytes("kp1"), false));
      assertThat(store.keyPackages().take(d)).contains(new StoredKeyPackage(d, bytes("kp2"), false));
      assertThat(store.keyPackages().take(d)).contains(new StoredKeyPackage(d, bytes("kp3"), false));
      assertThat(store.keyPackages().countOneTime(d)).isZero();
      for (int i = 0; i < 3; i++) {
        assertThat(store.keyPackages().take(d))
            .contains(new StoredKeyPackage(d, bytes("lr2"), true));
      }
    }

    @Test
    void aDeviceWithoutKeyPackagesYieldsNothing() {
      DeviceId d = deviceOf("bob");
      assertThat(store.keyPackages().take(d)).isEmpty();
      assertThat(store.keyPackages().take(new DeviceId(424242))).isEmpty();
      assertThat(store.keyPackages().countOneTime(new DeviceId(424242))).isZero();
    }

    @Test
    void takeForEachDeviceTakesOnePerActiveDeviceAndSkipsDevicesWithout() {
      Registration reg = register("carol");
      DeviceId d1 = reg.device().id();
      DeviceId d2 = store.accounts().addDevice(UserName.of("carol"), newDevice("c2")).id();
      DeviceId d3 = store.accounts().addDevice(UserName.of("carol"), newDevice("c3")).id();
      DeviceId revoked = store.accounts().addDevice(UserName.of("carol"), newDevice("c4")).id();
      store.keyPackages().addOneTime(d1, List.of(bytes("a1"), bytes("a2")));
      store.keyPackages().setLastResort(d3, bytes("c-lr"));
      store.keyPackages().addOneTime(revoked, List.of(bytes("r1")));
      store.accounts().revokeDevice(revoked);

      assertThat(store.keyPackages().takeForEachDevice(UserName.of("carol"))).containsExactly(
          new StoredKeyPackage(d1, bytes("a1"), false),
          new StoredKeyPackage(d3, bytes("c-lr"), true));
      assertThat(store.keyPackages().countOneTime(d1)).isEqualTo(1);
      assertThat(store.keyPackages().countOneTime(d2)).isZero();
      assertThat(store.keyPackages().takeForEachDevice(UserName.of("nobody"))).isEmpty();
    }

    @Test
    void storingMoreThanTheQuotaFailsAndStoresNothing() {
      DeviceId d = deviceOf("dave");
      int max = limits().maxKeyPackagesPerDevice();
      List<byte[]> batch = new ArrayList<>();
      for (int i = 0; i < max - 1; i++) {
        batch.add(bytes("kp" + i));
        if (batch.size() == limits().maxKeyPackagesPerUpload()) {
          store.keyPackages().addOneTime(d, batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        store.keyPackages().addOneTime(d, batch);
      }

      assertThatThrownBy(() -> store.keyPackages().addOneTime(d, List.of(bytes("x"), bytes("y"))))
          .isInstanceOfSatisfying(QuotaExceededException.class,
              e -> assertThat(e.quota()).isEqualTo(QuotaExceededException.Quota.KEY_PACKAGES));
      assertThat(store.keyPackages().countOneTime(d)).isEqualTo(max - 1);
      store.keyPackages().addOneTime(d, List.of(bytes("z")));
      assertThat(store.keyPackages().countOneTime(d)).isEqualTo(max);
    }

    @Test
    void unknownDevicesCannotStoreKeyPackages() {
      assertThatThrownBy(() -> store.keyPackages().addOneTime(new DeviceId(777),
          List.of(bytes("kp")))).isInstanceOf(UnknownDeviceException.class);
      assertThatThrownBy(() -> store.keyPackages().setLastResort(new DeviceId(777), bytes("kp")))
          .isInstanceOf(UnknownDeviceException.class);
    }

    @Test
    void concurrentTakersNeverShareAOneTimeKeyPackage() throws Exception {
      DeviceId d = deviceOf("erin");
      int count = 40;
      for (int i = 0; i < count; i += 20) {
        int from = i;
        store.keyPackages().addOneTime(d,
            IntStream.range(from, from + 20).mapToObj(n -> bytes("kp" + n)).toList());
      }
      store.keyPackages().setLastResort(d, bytes("lr"));

      List<List<String>> perThread = runConcurrently(8, () -> {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          store.keyPackages().take(d).filter(k -> !k.lastResort())
              .ifPresent(k -> got.add(new String(k.keyPackage(), StandardCharsets.UTF_8)));
        }
        return got;
      });

      List<String> all = perThread.stream().flatMap(List::stream).toList();
      assertThat(all).hasSize(count).doesNotHaveDuplicates();
      assertThat(store.keyPackages().take(d)).hasValueSatisfying(k -> assertThat(k.lastResort())
          .isTrue());
    }

    @Test
    void hostileKeyPackagesAreRejectedBeforeTheDatabase() {
      DeviceId d = new DeviceId(1);
      store.close();
      assertThatThrownBy(() -> store.keyPackages().addOneTime(d, List.of()))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.keyPackages().addOneTime(d,
          List.of(new byte[limits().maxKeyPackageBytes() + 1])))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.keyPackages().addOneTime(d, Collections.nCopies(
          limits().maxKeyPackagesPerUpload() + 1, bytes("kp"))))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.keyPackages().setLastResort(d, new byte[0]))
          .isInstanceOf(InvalidValueException.class);
    }
  }

  // ---- delivery queue

  @Nested
  class Queue {
    @Test
    void fetchReturnsEntriesInEnqueueOrderWithIncreasingSeq() {
      DeviceId d = deviceOf("alice");
      for (int i = 1; i <= 5; i++) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(enqueue(i, List.of(d), "m" + i).queued()).containsExactly(d);
      }

      List<QueuedMessage> all = store.queue().fetch(d, 0, 100);

      assertThat(all).extracting(QueuedMessage::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(all).extracting(QueuedMessage::id)
          .containsExactly(messageId(1), messageId(2), messageId(3), messageId(4), messageId(5));
      assertThat(all.get(0).payload()).isEqualTo(bytes("m1"));
      assertThat(all.get(0).enqueuedAt()).isEqualTo(START.plusSeconds(1));
      assertThat(all.get(0).expiresAt()).isEmpty();
      assertThat(store.queue().length(d)).isEqualTo(5);
      assertThat(store.queue().fetch(d, 2, 2)).extracting(QueuedMessage::seq)
          .containsExactly(3L, 4L);
      assertThat(store.queue().fetch(d, 5, 10)).isEmpty();
      // fetching removes nothing
      assertThat(store.queue().fetch(d, 0, 100)).isEqualTo(all);
    }

    @Test
    void enqueueingTheSameIdAgainIsANoOp() {
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      enqueue(7, List.of(a), "first");

      Enqueued again = enqueue(7, List.of(a, b), "second");

      assertThat(again.duplicates()).containsExactly(a);
      assertThat(again.queued()).containsExactly(b);
      assertThat(payloads(a)).containsExactly("first");
      assertThat(payloads(b)).containsExactly("second");
      assertThat(store.queue().length(a)).isEqualTo(1);
    }

    @Test
    void enqueueReportsTheQueueLengthOfEachRecipientThatGotIt() {
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      enqueue(1, List.of(a), "one");
      enqueue(2, List.of(a), "two");

      Enqueued third = enqueue(3, List.of(a, b), "three");
      Enqueued again = enqueue(3, List.of(a, b), "three");

      assertThat(third.lengths()).containsOnly(java.util.Map.entry(a, 3), java.util.Map.entry(b, 1));
      assertThat(third.lengths().get(a)).isEqualTo(store.queue().length(a));
      assertThat(again.lengths()).as("duplicates are not counted again").isEmpty();
    }

    @Test
    void anAcknowledgedIdIsRememberedForTheDedupeWindow() {
      DeviceId a = deviceOf("alice");
      enqueue(1, List.of(a), "m");
      assertThat(store.queue().ack(a, List.of(messageId(1)))).isEqualTo(1);

      assertThat(enqueue(1, List.of(a), "m").duplicates()).containsExactly(a);
      assertThat(store.queue().fetch(a, 0, 10)).isEmpty();

      clock.advance(limits().dedupeWindow().plusSeconds(1));
      store.queue().purgeExpired(clock.instant());
      assertThat(enqueue(1, List.of(a), "m").queued()).containsExactly(a);
      assertThat(store.queue().fetch(a, 0, 10)).extracting(QueuedMessage::seq)
          .containsExactly(2L);
    }

    @Test
    void ackDeletesOnlyTheCallersEntries() {
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      enqueue(1, List.of(a, b), "shared");
      enqueue(2, List.of(b), "only-b");

      assertThat(store.queue().ack(a, List.of(messageId(1), messageId(99)))).isEqualTo(1);

      assertThat(payloads(a)).isEmpty();
      assertThat(payloads(b)).containsExactly("shared", "only-b");
      assertThat(store.queue().length(a)).isZero();
      assertThat(store.queue().length(b)).isEqualTo(2);
      assertThat(store.queue().ack(b, List.of(messageId(2), messageId(2)))).isEqualTo(1);
      assertThat(store.queue().ack(b, List.of())).isZero();
      assertThat(payloads(b)).containsExactly("shared");
    }

    @Test
    void ackOfAnIdPendingOnlyForAnotherDeviceIsRefusedAndDeletesNothing() {
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      enqueue(1, List.of(a), "mine");
      enqueue(2, List.of(b), "bobs");

      assertThatThrownBy(() -> store.queue().ack(a, List.of(messageId(1), messageId(2))))
          .isInstanceOfSatisfying(NotRecipientException.class,
              e -> assertThat(e.message()).isEqualTo(messageId(2)));

      assertThat(payloads(a)).containsExactly("mine");
      assertThat(payloads(b)).containsExactly("bobs");
      assertThat(store.queue().length(a)).isEqualTo(1);
      // Once bob acknowledged it, nobody has it pending: alice's ack is a no-op like any unknown id.
      assertThat(store.queue().ack(b, List.of(messageId(2)))).isEqualTo(1);
      assertThat(store.queue().ack(a, List.of(messageId(1), messageId(2)))).isEqualTo(1);
    }

    @Test
    void aRepeatedAckOfASharedMessageIsANoOpWhileOthersStillHaveItPending() {
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      enqueue(1, List.of(a, b), "shared");
      store.queue().enqueue(messageId(2), List.of(a), bytes("expiring"),
          Optional.of(START.plusSeconds(60)));
      enqueue(2, List.of(b), "kept");

      assertThat(store.queue().ack(a, List.of(messageId(1)))).isEqualTo(1);
      // alice's client crashed before it saw the result and acks again: remembered, no error.
      assertThat(store.queue().ack(a, List.of(messageId(1)))).isZero();
      // An entry of alice's that expired and was purged is remembered the same way.
      clock.advance(Duration.ofSeconds(60));
      assertThat(store.queue().purgeExpired(clock.instant())).isEqualTo(1);
      assertThat(store.queue().ack(a, List.of(messageId(2)))).isZero();
      assertThat(payloads(b)).containsExactly("shared", "kept");
    }

    @Test
    void withoutADedupeWindowARepeatedAckOfASharedMessageIsRefused() {
      StoreLimits l = limits();
      reopen(new StoreLimits(l.maxPayloadBytes(), l.maxRecipients(), l.maxQueueLength(),
          l.maxFetch(), l.maxKeyPackageBytes(), l.maxKeyPackagesPerDevice(),
          l.maxKeyPackagesPerUpload(), l.maxGroupInfoBytes(), l.maxPublicKeyBytes(),
          l.maxCertificateBytes(), l.maxDevicesPerUser(), Duration.ZERO));
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      enqueue(1, List.of(a, b), "shared");
      assertThat(store.queue().ack(a, List.of(messageId(1)))).isEqualTo(1);
      // Nothing remembers that alice had it (docs/wire.md "Delivery").
      assertThatThrownBy(() -> store.queue().ack(a, List.of(messageId(1))))
          .isInstanceOf(NotRecipientException.class);
      assertThat(payloads(b)).containsExactly("shared");
    }

    @Test
    void aMultiRecipientEnqueueIsAllOrNothing() {
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      DeviceId unknown = new DeviceId(b.value() + 1000);

      assertThatThrownBy(() -> enqueue(1, List.of(a, unknown, b), "m"))
          .isInstanceOfSatisfying(UnknownDeviceException.class,
              e -> assertThat(e.device()).isEqualTo(unknown));

      assertThat(store.queue().fetch(a, 0, 10)).isEmpty();
      assertThat(store.queue().length(a)).isZero();
      assertThat(enqueue(1, List.of(a, b), "m").queued()).containsExactly(a, b);
      assertThat(store.queue().fetch(a, 0, 10)).extracting(QueuedMessage::seq)
          .containsExactly(1L);
    }

    @Test
    void aPayloadOfExactlyTheLimitIsStoredIntact() {
      DeviceId d = deviceOf("alice");
      byte[] payload = new byte[limits().maxPayloadBytes()];
      for (int i = 0; i < payload.length; i++) {
        payload[i] = (byte) (i * 31);
      }

      store.queue().enqueue(messageId(1), List.of(d), payload, Optional.empty());

      assertThat(store.queue().fetch(d, 0, 1).get(0).payload()).isEqualTo(payload);
    }

    @Test
    void fetchForAnUnknownDeviceIsEmpty() {
      assertThat(store.queue().fetch(new DeviceId(5555), 0, 10)).isEmpty();
      assertThat(store.queue().length(new DeviceId(5555))).isZero();
      assertThat(store.queue().ack(new DeviceId(5555), List.of(messageId(1)))).isZero();
    }

    @Test
    void expiredEntriesAreHiddenThenPurged() {
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      Instant soon = START.plusSeconds(60);
      store.queue().enqueue(messageId(1), List.of(a, b), bytes("gone"), Optional.of(soon));
      enqueue(2, List.of(a), "stays");
      store.queue().enqueue(messageId(3), List.of(a), bytes("later"),
          Optional.of(START.plusSeconds(3600)));
      assertThat(store.queue().fetch(a, 0, 10).get(0).expiresAt()).contains(soon);

      clock.advance(Duration.ofSeconds(60));

      assertThat(payloads(a)).containsExactly("stays", "later");
      assertThat(store.queue().purgeExpired(clock.instant())).isEqualTo(2);
      assertThat(store.queue().length(a)).isEqualTo(2);
      assertThat(store.queue().length(b)).isZero();
      assertThat(store.queue().purgeExpired(clock.instant())).isZero();
      // an expired id is remembered: a late retry does not bring the message back
      assertThat(store.queue().enqueue(messageId(1), List.of(a), bytes("gone"), Optional.of(soon))
          .duplicates()).containsExactly(a);
    }

    @Test
    void aFullQueueRefusesMoreAndNothingIsQueuedForTheOtherRecipients() {
      StoreLimits small = withQueueLength(3);
      reopen(small);
      DeviceId a = deviceOf("alice");
      DeviceId b = deviceOf("bob");
      for (int i = 1; i <= 3; i++) {
        enqueue(i, List.of(a), "m" + i);
      }

      assertThatThrownBy(() -> enqueue(4, List.of(b, a), "m4"))
          .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
            assertThat(e.quota()).isEqualTo(QuotaExceededException.Quota.QUEUE_LENGTH);
            assertThat(e.limit()).isEqualTo(3);
            assertThat(e).hasMessageContaining(a.toString());
          });
      assertThat(store.queue().length(b)).isZero();
      // a retry of something already queued is still a no-op, not a quota error
      assertThat(enqueue(3, List.of(a), "m3").duplicates()).containsExactly(a);
      store.queue().ack(a, List.of(messageId(1)));
      assertThat(enqueue(4, List.of(a), "m4").queued()).containsExactly(a);
    }

    @Test
    void hostileValuesAreRejectedBeforeTheDatabase() {
      DeviceId d = new DeviceId(1);
      store.close();
      assertThatThrownBy(() -> store.queue().enqueue(messageId(1), List.of(d),
          new byte[limits().maxPayloadBytes() + 1], Optional.empty()))
          .isInstanceOf(InvalidValueException.class).hasMessageContaining("payload");
      assertThatThrownBy(() -> enqueue(1, List.of(), "m"))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> enqueue(1, List.of(d, d), "m"))
          .isInstanceOf(InvalidValueException.class).hasMessageContaining("duplicates");
      List<DeviceId> many = deviceIds(limits().maxRecipients() + 1);
      assertThatThrownBy(() -> enqueue(1, many, "m")).isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.queue().enqueue(messageId(1), List.of(d), new byte[0],
          Optional.empty())).isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.queue().fetch(d, -1, 10))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.queue().fetch(d, 0, 0))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.queue().fetch(d, 0, limits().maxFetch() + 1))
          .isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.queue().ack(d, Collections.nCopies(limits().maxFetch() + 1,
          messageId(1)))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void readersRunningAlongsideWritersOnlyEverSeeAGapFreePrefix() throws Exception {
      // a client resumes with fetch(afterSeq); if it could see seq n+1 before n, it would skip n
      DeviceId d = deviceOf("alice");
      int total = 150;
      java.util.concurrent.atomic.AtomicInteger roles = new java.util.concurrent.atomic
          .AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic
          .AtomicInteger();
      List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
      runConcurrently(6, () -> {
        boolean writer = roles.getAndIncrement() < 3;
        if (writer) {
          int id;
          while ((id = ids.getAndIncrement()) < total) {
            enqueue(id, List.of(d), "m" + id);
          }
        } else {
          for (int round = 0; round < 60; round++) {
            List<QueuedMessage> seen = store.queue().fetch(d, 0, 1000);
            for (int i = 0; i < seen.size(); i++) {
              if (seen.get(i).seq() != i + 1) {
                problems.add("round " + round + ": position " + i + " has seq "
                    + seen.get(i).seq());
              }
            }
          }
        }
        return null;
      });

      assertThat(problems).isEmpty();
      assertThat(store.queue().length(d)).isEqualTo(total);
    }

    @Test
    void concurrentEnqueuesToOneDeviceGetDistinctConsecutiveSeqs() throws Exception {
      DeviceId d = deviceOf("alice");
      List<Integer> done = runConcurrently(6, () -> {
        int n = 0;
        for (int i = 0; i < 20; i++) {
          int id = (int) (Thread.currentThread().getId() * 1000 + i);
          n += enqueue(id, List.of(d), "m").queued().size();
        }
        return n;
      });

      assertThat(done.stream().mapToInt(Integer::intValue).sum()).isEqualTo(120);
      assertThat(store.queue().fetch(d, 0, 1000)).extracting(QueuedMessage::seq)
          .containsExactlyElementsOf(IntStream.rangeClosed(1, 120).mapToObj(i -> (long) i)
              .toList());
      assertThat(store.queue().length(d)).isEqualTo(120);
    }
  }

  // ---- groups

  @Nested
  class Groups {
    @Test
    void theFirstCommitOfAnEpochWinsAndLaterOnesLearnTheCurrentEpoch() {
      GroupId g = groupId("g1");
      assertThat(store.groups().currentEpoch(g)).isEmpty();

      assertThat(store.groups().acceptCommit(g, new Epoch(0), messageId(1)))
          .isEqualTo(new CommitDecision.Accepted(new Epoch(1)));
      assertThat(store.groups().acceptCommit(g, new Epoch(0), messageId(2)))
          .isEqualTo(new CommitDecision.Rejected(new Epoch(1)));
      assertThat(store.groups().acceptCommit(g, new Epoch(1), messageId(3)))
          .isEqualTo(new CommitDecision.Accepted(new Epoch(2)));
      assertThat(store.groups().acceptCommit(g, new Epoch(7), messageId(4)))
          .isEqualTo(new CommitDecision.Rejected(new Epoch(2)));
      assertThat(store.groups().currentEpoch(g)).contains(new Epoch(2));
    }

    @Test
    void aGroupFirstSeenLateStartsAtItsFirstCommit() {
      GroupId g = groupId("late");
      assertThat(store.groups().acceptCommit(g, new Epoch(41), messageId(1)))
          .isEqualTo(new CommitDecision.Accepted(new Epoch(42)));
      assertThat(store.groups().acceptCommit(groupId("other"), new Epoch(0), messageId(2)))
          .isEqualTo(new CommitDecision.Accepted(new Epoch(1)));
    }

    @Test
    void retryingTheWinningCommitIsAcceptedUntilTheNextCommit() {
      GroupId g = groupId("g");
      store.groups().acceptCommit(g, new Epoch(3), messageId(1));

      assertThat(store.groups().acceptCommit(g, new Epoch(3), messageId(1)))
          .isEqualTo(new CommitDecision.Accepted(new Epoch(4)));

      store.groups().acceptCommit(g, new Epoch(4), messageId(2));
      assertThat(store.groups().acceptCommit(g, new Epoch(3), messageId(1)))
          .isEqualTo(new CommitDecision.Rejected(new Epoch(5)));
    }

    @Test
    void exactlyOneConcurrentCommitWinsEachEpoch() throws Exception {
      GroupId g = groupId("race");
      int threads = 8;
      int epochs = 15;
      for (int e = 0; e < epochs; e++) {
        Epoch epoch = new Epoch(e);
        int base = e * 100;
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic
            .AtomicInteger();
        List<CommitDecision> decisions = runConcurrently(threads,
            () -> store.groups().acceptCommit(g, epoch, messageId(base + next.incrementAndGet())));

        assertThat(decisions).filteredOn(d -> d instanceof CommitDecision.Accepted)
            .as("winners of epoch %d", e).hasSize(1);
        assertThat(decisions).filteredOn(d -> d instanceof CommitDecision.Rejected)
            .allSatisfy(d -> assertThat(d).isEqualTo(new CommitDecision.Rejected(epoch.next())));
      }
      assertThat(store.groups().currentEpoch(g)).contains(new Epoch(epochs));
    }

    @Test
    void groupInfoKeepsTheLatestEpoch() {
      GroupId g = groupId("g");
      assertThat(store.groups().fetchGroupInfo(g)).isEmpty();

      assertThat(store.groups().publishGroupInfo(g, new Epoch(2), bytes("gi2"))).isTrue();
      clock.advance(Duration.ofSeconds(5));
      assertThat(store.groups().publishGroupInfo(g, new Epoch(3), bytes("gi3"))).isTrue();
      assertThat(store.groups().publishGroupInfo(g, new Epoch(2), bytes("old"))).isFalse();

      assertThat(store.groups().fetchGroupInfo(g)).contains(
          new PublishedGroupInfo(g, new Epoch(3), bytes("gi3"), START.plusSeconds(5)));
      assertThat(store.groups().publishGroupInfo(g, new Epoch(3), bytes("gi3b"))).isTrue();
      assertThat(store.groups().fetchGroupInfo(g).orElseThrow().groupInfo())
          .isEqualTo(bytes("gi3b"));
    }

    @Test
    void hostileGroupValuesAreRejectedBeforeTheDatabase() {
      store.close();
      assertThatThrownBy(() -> store.groups().publishGroupInfo(groupId("g"), new Epoch(1),
          new byte[limits().maxGroupInfoBytes() + 1])).isInstanceOf(InvalidValueException.class);
      assertThatThrownBy(() -> store.groups().acceptCommit(groupId("g"),
          new Epoch(Long.MAX_VALUE), messageId(1))).isInstanceOf(InvalidValueException.class);
    }
  }

  // ---- the store as a whole

  @Nested
  class Whole {
    @Test
    void atomicallyCommitsEverythingOrNothing() {
      DeviceId a = deviceOf("alice");
      GroupId g = groupId("g");

      assertThatThrownBy(() -> store.atomically(() -> {
        store.groups().acceptCommit(g, new Epoch(0), messageId(1));
        enqueue(1, List.of(a), "commit");
        throw new IllegalStateException("relay failed");
      })).isInstanceOf(IllegalStateException.class);

      assertThat(store.groups().currentEpoch(g)).isEmpty();
      assertThat(store.queue().fetch(a, 0, 10)).isEmpty();
      assertThat(store.queue().length(a)).isZero();

      CommitDecision d = store.atomically(() -> {
        CommitDecision decision = store.groups().acceptCommit(g, new Epoch(0), messageId(1));
        enqueue(1, List.of(a), "commit");
        // reads inside the transaction see its own writes
        assertThat(store.queue().length(a)).isEqualTo(1);
        return decision;
      });
      assertThat(d).isInstanceOf(CommitDecision.Accepted.class);
      assertThat(payloads(a)).containsExactly("commit");
    }

    @Test
    void reopeningKeepsEverything() {
      Registration reg = register("alice@example.org");
      DeviceId a = reg.device().id();
      enqueue(1, List.of(a), "m1");
      enqueue(2, List.of(a), "m2");
      store.queue().ack(a, List.of(messageId(1)));
      store.keyPackages().addOneTime(a, List.of(bytes("kp1"), bytes("kp2")));
      store.keyPackages().setLastResort(a, bytes("lr"));
      store.groups().acceptCommit(groupId("g"), new Epoch(0), messageId(3));
      store.groups().publishGroupInfo(groupId("g"), new Epoch(1), bytes("gi"));
      List<QueuedMessage> before = store.queue().fetch(a, 0, 10);

      reopen(limits());

      assertThat(store.accounts().findUser(reg.user().name())).contains(reg.user());
      assertThat(store.accounts().findDevice(a)).contains(reg.device());
      assertThat(store.queue().fetch(a, 0, 10)).isEqualTo(before);
      assertThat(enqueue(1, List.of(a), "m1").duplicates()).containsExactly(a);
      assertThat(enqueue(3, List.of(a), "m3").queued()).containsExactly(a);
      assertThat(store.queue().fetch(a, 2, 10)).extracting(QueuedMessage::seq)
          .containsExactly(3L);
      assertThat(store.keyPackages().countOneTime(a)).isEqualTo(2);
      assertThat(store.groups().currentEpoch(groupId("g"))).contains(new Epoch(1));
      assertThat(store.groups().fetchGroupInfo(groupId("g")).orElseThrow().groupInfo())
          .isEqualTo(bytes("gi"));
      assertThat(deviceOf("bob").value()).as("ids continue after reopen").isGreaterThan(a.value());
    }

    @Test
    void aClosedStoreRefusesWork() {
      store.close();
      assertThatThrownBy(() -> store.accounts().findUser(UserName.of("a")))
          .isInstanceOf(StorageFailureException.class);
      assertThatThrownBy(() -> register("a")).isInstanceOf(StorageFailureException.class);
      store.close();
    }
  }

  StoreLimits withQueueLength(int n) {
    StoreLimits l = limits();
    return new StoreLimits(l.maxPayloadBytes(), l.maxRecipients(), n, l.maxFetch(),
        l.maxKeyPackageBytes(), l.maxKeyPackagesPerDevice(), l.maxKeyPackagesPerUpload(),
        l.maxGroupInfoBytes(), l.maxPublicKeyBytes(), l.maxCertificateBytes(),
        l.maxDevicesPerUser(), l.dedupeWindow());
  }

  static List<DeviceId> deviceIds(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> new DeviceId(i)).toList();
  }
}
