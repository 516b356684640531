package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.mls.crypto.CipherSuiteId;
import org.quicproquo.mls.crypto.SignatureKeyPair;
import org.quicproquo.mls.tree.Lifetime;
import org.quicproquo.proto.Qpq.NodeService;
import org.quicproquo.rpc.ExceptionType;
import org.quicproquo.rpc.RpcException;
import org.quicproquo.server.TestKeyPackages.Spec;
import org.quicproquo.server.store.StoreLimits;

/**
 * uploadKeyPackages over QUIC: real KeyPackages from qpq-mls are stored and handed out; a call
 * with any bad one fails with BAD_KEY_PACKAGE naming it and stores nothing at all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyPackageUploadIntegrationTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private QpqServer server;
  private TestNode alice;
  private TestNode bob;
  private TestAccount aliceAccount;
  private TestAccount bobAccount;

  @BeforeEach
  void start() throws Exception {
    server = ServerFixture.start(dir);
    alice = TestNode.connect(server);
    bob = TestNode.connect(server);
    aliceAccount = TestAccount.generate("alice", random);
    bobAccount = TestAccount.generate("bob", random);
    alice.register(aliceAccount);
    bob.register(bobAccount);
    alice.login(aliceAccount);
    bob.login(bobAccount);
  }

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
    server.close();
  }

  private int upload(List<byte[]> oneTime, byte[] lastResort) throws Exception {
    return alice.call(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
        TestNode.upload(aliceAccount.deviceId, oneTime, lastResort),
        r -> r.getAs(NodeService.UploadKeyPackagesResults.factory).getStored());
  }

  private RpcException refused(List<byte[]> oneTime, byte[] lastResort) {
    RpcException e = alice.fails(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
        TestNode.upload(aliceAccount.deviceId, oneTime, lastResort), NodeErrors.BAD_KEY_PACKAGE);
    assertThat(e.type()).isEqualTo(ExceptionType.FAILED);
    return e;
  }

  /** What bob gets for alice's device, drawing until the last-resort one repeats. */
  private List<byte[]> drain() throws Exception {
    List<byte[]> out = new ArrayList<>();
    while (true) {
      byte[][] kp = bob.call(NodeService.METHOD_FETCH_KEY_PACKAGES,
          p -> p.initAs(NodeService.FetchKeyPackagesParams.factory).setUser("alice"), r -> {
            var list = r.getAs(NodeService.FetchKeyPackagesResults.factory).getKeyPackages();
            if (list.size() == 0) {
              return null;
            }
            return new byte[][] {list.get(0).getKeyPackage().toArray(),
                list.get(0).getLastResort() ? new byte[] {1} : new byte[0]};
          });
      if (kp == null) {
        return out;
      }
      out.add(kp[0]);
      if (kp[1].length == 1) {
        return out;
      }
    }
  }

  private Spec spec() {
    return Spec.of("alice", aliceAccount.signer(), Instant.now());
  }

  @Test
  void validKeyPackagesAreStoredAndHandedOutUnchanged() throws Exception {
    List<byte[]> oneTime = aliceAccount.keyPackages(3);
    byte[] last = aliceAccount.keyPackage();
    assertThat(upload(oneTime, last)).isEqualTo(3);
    assertThat(drain()).containsExactly(oneTime.get(0), oneTime.get(1), oneTime.get(2), last);
  }

  @Test
  void anEmptyUploadOnlyReturnsTheCount() throws Exception {
    assertThat(upload(List.of(), null)).isZero();
    byte[] last = aliceAccount.keyPackage();
    assertThat(upload(aliceAccount.keyPackages(2), last)).isEqualTo(2);
    assertThat(upload(List.of(), null)).isEqualTo(2);
    assertThat(upload(List.of(), new byte[0])).as("empty lastResort keeps the current one")
        .isEqualTo(2);
    assertThat(drain()).hasSize(3).endsWith(last);
  }

  @Test
  void eachKindOfBadKeyPackageIsRefusedNamingItsIndexAndRule() throws Exception {
    SignatureKeyPair stranger = TestKeyPackages.suite(TestKeyPackages.SUITE_1)
        .generateSignatureKeyPair();
    SignatureKeyPair p256 = TestKeyPackages.suite(CipherSuiteId.MLS_128_DHKEMP256_AES128GCM_SHA256_P256)
        .generateSignatureKeyPair();
    long now = Instant.now().getEpochSecond();
    record Case(String name, byte[] kp, String rule) {}
    List<Case> cases = List.of(
        new Case("garbage bytes", new byte[] {0, 1, 0, 5, 42}, "KP-1"),
        new Case("unsupported suite (P-256)", TestKeyPackages.valid(
            CipherSuiteId.MLS_128_DHKEMP256_AES128GCM_SHA256_P256, "alice", p256,
            TestKeyPackages.around(Instant.now())), "KP-3"),
        new Case("wrong identity", Spec.of("bob", aliceAccount.signer(), Instant.now()).bytes(),
            "KP-5"),
        new Case("bob's own valid KeyPackage", bobAccount.keyPackage(), "KP-5"),
        new Case("another signature key", TestKeyPackages.valid(TestKeyPackages.SUITE_1,
            "alice", stranger, TestKeyPackages.around(Instant.now())), "KP-7"),
        new Case("expired lifetime",
            spec().withLifetime(new Lifetime(now - 7200, now - 60)).bytes(), "KP-8"),
        new Case("leaf signed by another key",
            spec().withSigners(stranger.privateKey(), aliceAccount.signer().privateKey()).bytes(),
            "KP-11"),
        new Case("package signed by another key",
            spec().withSigners(aliceAccount.signer().privateKey(), stranger.privateKey()).bytes(),
            "KP-12"));
    for (Case c : cases) {
      // The bad one sits between good ones: nothing of the call may be stored.
      RpcException e = refused(List.of(aliceAccount.keyPackage(), c.kp(),
          aliceAccount.keyPackage()), aliceAccount.keyPackage());
      assertThat(e.detail()).as(c.name()).startsWith("oneTime[1]: " + c.rule() + " ");
      RpcException last = refused(aliceAccount.keyPackages(2), c.kp());
      assertThat(last.detail()).as(c.name()).startsWith("lastResort: " + c.rule() + " ");
    }
    assertThat(drain()).as("nothing was stored by the refused calls").isEmpty();
    assertThat(upload(aliceAccount.keyPackages(1), null)).isEqualTo(1);
  }

  @Test
  void aRefusedUploadLeavesEarlierKeyPackagesAndTheLastResortAlone() throws Exception {
    byte[] kp = aliceAccount.keyPackage();
    byte[] last = aliceAccount.keyPackage();
    assertThat(upload(List.of(kp), last)).isEqualTo(1);
    refused(List.of(), new byte[] {7, 7, 7});
    byte[] dup = aliceAccount.keyPackage();
    RpcException e = refused(List.of(dup, dup), null);
    assertThat(e.detail()).startsWith("oneTime[1]: KP-10 ");
    assertThat(drain()).containsExactly(kp, last);
  }

  @Test
  void countAndSizeLimitsAreCheckedBeforeDecoding() throws Exception {
    int max = StoreLimits.defaults().maxKeyPackagesPerUpload();
    List<byte[]> many = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      many.add(new byte[] {1});
    }
    RpcException tooMany = alice.fails(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
        TestNode.upload(aliceAccount.deviceId, many, null), NodeErrors.INVALID_ARGUMENT);
    assertThat(tooMany.detail()).contains("at most " + max);
    RpcException tooBig = alice.fails(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
        TestNode.upload(aliceAccount.deviceId, List.of(aliceAccount.keyPackage()),
            new byte[StoreLimits.defaults().maxKeyPackageBytes() + 1]),
        NodeErrors.INVALID_ARGUMENT);
    assertThat(tooBig.detail()).startsWith("lastResort: ");
    assertThat(drain()).isEmpty();
  }
}
