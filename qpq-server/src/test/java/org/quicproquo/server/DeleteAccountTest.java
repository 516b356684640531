package org.quicproquo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quicproquo.proto.Qpq.NodeService;

/**
 * deleteAccount leaves nothing on the server keyed by the account but its public history in the
 * append-only key-transparency log, which ends in a tombstone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeleteAccountTest {
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  @Test
  void aScanOfTheDatabaseAndBlobDirectoryFindsNothingOfTheDeletedAccount() throws Exception {
    TestAccount alice = TestAccount.generate("alice", random);
    TestAccount bob = TestAccount.generate("bob", random);
    byte[] blobId;
    try (QpqServer server = ServerFixture.start(dir);
        TestNode a = TestNode.connect(server); TestNode b = TestNode.connect(server)) {
      a.register(alice);
      a.login(alice);
      b.register(bob);
      b.login(bob);
      a.call(NodeService.METHOD_UPLOAD_KEY_PACKAGES,
          TestNode.upload(alice.deviceId, alice.keyPackages(3), alice.keyPackage()), r -> null);
      blobId = BlobRpcTest.createCall(a, 10, 65_536);
      a.call(NodeService.METHOD_PUT_CHUNK, BlobRpcTest.put(blobId, 0, new byte[10]), r -> null);
      a.call(NodeService.METHOD_FINISH_BLOB, BlobRpcTest.id(blobId), r -> null);
      byte[] toAlice = new byte[16];
      random.nextBytes(toAlice);
      b.enqueueCall(toAlice, List.of(alice.deviceId), new byte[] {1, 2, 3}, false);
      byte[] acked = new byte[16];
      random.nextBytes(acked);
      b.enqueueCall(acked, List.of(alice.deviceId), new byte[] {4}, false);
      a.ackCall(alice.deviceId, List.of(acked)); // leaves a remembered id behind
      assertThat(Files.exists(dir.resolve("blobs").resolve(HexFormat.of().formatHex(blobId))))
          .isTrue();
      assertThat(traces(dir, alice)).as("before deletion the scan finds alice").isNotEmpty();

      a.call(NodeService.METHOD_DELETE_ACCOUNT,
          p -> p.initAs(NodeService.DeleteAccountParams.factory), r -> null);
      a.fails(NodeService.METHOD_FETCH, TestNode.fetch(alice.deviceId, 0, 10),
          NodeErrors.DEVICE_REVOKED);
      // bob is untouched
      assertThat(b.fetchCall(bob.deviceId)).isEmpty();
    }
    // Everything but the key-transparency log: it is append-only by design and keeps the public
    // history (name, public keys) ending in a tombstone (docs/architecture.md "Key transparency").
    assertThat(traces(dir, alice)).containsOnly("kt_entries.name", "kt_entries.entry");
    try (Stream<Path> blobs = Files.list(dir.resolve("blobs"))) {
      assertThat(blobs.map(p -> p.getFileName().toString()))
          .doesNotContain(HexFormat.of().formatHex(blobId));
    }
    // The name is free again (docs/wire.md policy).
    try (QpqServer server = ServerFixture.start(dir); TestNode n = TestNode.connect(server)) {
      n.register(TestAccount.generate("alice", random));
    }
  }

  /**
   * Every cell of every table that holds alice's name, identity key or device key, and every row
   * of a table with a device_id column naming alice's device.
   */
  private static List<String> traces(Path dir, TestAccount alice) throws Exception {
    byte[][] needles = {alice.name.getBytes(StandardCharsets.UTF_8), alice.identityKey(),
        alice.deviceKey()};
    List<String> found = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("qpq.db"))) {
      List<String> tables = new ArrayList<>();
      try (ResultSet r = c.createStatement().executeQuery(
          "SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet r = c.createStatement().executeQuery("SELECT * FROM \"" + t + "\"")) {
          ResultSetMetaData md = r.getMetaData();
          while (r.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              String col = md.getColumnName(i);
              Object v = r.getObject(i);
              if (v == null) {
                continue;
              }
              if (col.equals("device_id") && r.getLong(i) == alice.deviceId) {
                found.add(t + "." + col);
              }
              byte[] cell = v instanceof byte[] bytes ? bytes
                  : v.toString().getBytes(StandardCharsets.UTF_8);
              for (byte[] needle : needles) {
                if (contains(cell, needle, v instanceof byte[])) {
                  found.add(t + "." + col);
                }
              }
            }
          }
        }
      }
    }
    return found;
  }

  /** Binary cells: substring; text cells: whole-value match (so "alice" is not found in "malice"). */
  private static boolean contains(byte[] hay, byte[] needle, boolean binary) {
    if (!binary) {
      return java.util.Arrays.equals(hay, needle);
    }
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
