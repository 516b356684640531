package org.quicproquo.client.store;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The account's SQLite database ({@code STATE/account.db}, DESIGN.md "Storage"): conversations
 * with their sealed MLS states, history, the outbox, processed message ids, KeyPackage private
 * parts, pinned contact identity keys and messages parked until their group's Welcome arrives.
 *
 * <p>WAL with {@code synchronous=NORMAL}: a transaction that returned is in the WAL file, so it
 * survives the process being killed at any point (SIGKILL, OOM, a crash of the JVM); it is not
 * fsynced at every commit, so after a power loss or OS crash the last transactions before it may
 * be gone (the database itself stays consistent: SQLite fsyncs at checkpoints). Exactly-once still
 * holds then: a lost transaction takes its processed-id marker with it (the message is fetched
 * and processed again) and a lost outbox entry takes its MLS state with it (nothing was sent
 * with keys the state does not remember, because sending starts only after the commit; a message
 * the server already holds is deduplicated by its id). docs/operations.md says this for users.
 *
 * <p>One connection, methods synchronized, prepared statements cached per SQL text;
 * {@link #inTransaction} groups writes so that, for example, a new MLS state, the history line it
 * produced and the processed-id marker become durable together or not at all.
 */
public final class LocalStore implements AutoCloseable {
  private static final int SCHEMA_VERSION = 9;
  /**
   * Commits between two checkpoints beside this connection (see {@link #checkpointLoop}). Small,
   * so each checkpoint's fsync has little to flush: in the e2e bench 250 left 150-350 ms flushes
   * that a server commit's fsync on the same disk waited behind (paced p99 26-350 ms over five
   * runs); 50 gave 29-106 ms.
   */
  static final int CHECKPOINT_EVERY = 50;
  /** Tries of {@link #checkpoint} while another checkpoint is running, 10 ms apart. */
  private static final int CHECKPOINT_ATTEMPTS = 300;
  /** WAL pages after which this connection checkpoints inside a commit itself (a backstop). */
  static final int BACKSTOP_PAGES = 10_000;
  /** New history lines after which the search index catches up without waiting for a search. */
  static final int INDEX_EVERY = 256;
  private final Connection db;
  private final Path file;
  /** Commits since the last background checkpoint was asked for; guarded by {@code this}. */
  private int commitsSinceCheckpoint;
  /** Guards the fields below (not {@code this}, which a long transaction may hold). */
  private final Object checkpointLock = new Object();
  private Thread checkpointer;
  private boolean checkpointWanted;
  private boolean checkpointerClosed;
  /** Prepared statements by SQL text; preparing costs more than running most of them. */
  private final java.util.Map<String, PreparedStatement> statements = new java.util.HashMap<>();
  private int depth;
  /**
   * {@link #conversationInfo} and {@link #ttlSeconds} by group (hex id), read for every message
   * sent and received; kept up to date by this class's writes to the conversations table and
   * cleared when a transaction rolls back.
   */
  private final java.util.Map<String, Optional<StoredConversation>> infos =
      new java.util.HashMap<>();
  private final java.util.Map<String, Long> ttls = new java.util.HashMap<>();
  /** History lines added since the search index last caught up (counted here, since opening). */
  private int unindexedLines;

  /** Work done inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run() throws Exception;
  }

  private LocalStore(Connection db, Path file) {
    this.db = db;
    this.file = file;
  }

  /**
   * Opens (creating if needed) the database file and applies migrations.
   *
   * @throws LocalStoreException if the file cannot be opened or was written by a newer version
   */
  public static LocalStore open(Path file) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL, not FULL: an fsync per transaction cost more than all the rest of a message's local
    // work (see the class comment for what it still guarantees).
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(5_000);
    config.enforceForeignKeys(true);
    // Deleted rows (expired or deleted messages) are overwritten with zeros, not left in free pages.
    config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
    // Ids come from last_insert_rowid(); the driver's generated-keys support would run a regular
    // expression over the SQL of every write.
    config.setGetGeneratedKeys(false);
    try {
      Connection c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
      LocalStore store = new LocalStore(c, file);
      store.migrate();
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_autocheckpoint = " + BACKSTOP_PAGES);
      }
      return store;
    } catch (SQLException e) {
      throw new LocalStoreException("cannot open local database " + file + ": " + e.getMessage(), e);
    }
  }

  private void migrate() throws SQLException {
    int version;
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
      version = r.next() ? r.getInt(1) : 0;
    }
    if (version > SCHEMA_VERSION) {
      throw new LocalStoreException("local database has schema version " + version
          + ", newer than this client's " + SCHEMA_VERSION + "; upgrade qpq");
    }
    applyMigration(version, 1, List.of(
        "CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB NOT NULL)",
        "CREATE TABLE conversations (group_id BLOB PRIMARY KEY, dm INTEGER NOT NULL, "
            + "name TEXT NOT NULL, created_at INTEGER NOT NULL, state BLOB, "
            + "left_group INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "group_id BLOB NOT NULL, message_id BLOB NOT NULL, sender TEXT NOT NULL, "
            + "sent_at INTEGER NOT NULL, received_at INTEGER NOT NULL, kind INTEGER NOT NULL, "
            + "body TEXT NOT NULL, outgoing INTEGER NOT NULL, UNIQUE (group_id, message_id))",
        "CREATE TABLE processed (message_id BLOB PRIMARY KEY, at INTEGER NOT NULL)",
        "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "group_id BLOB NOT NULL, message_id BLOB NOT NULL, recipients BLOB NOT NULL, "
            + "payload BLOB NOT NULL, is_commit INTEGER NOT NULL)",
        "CREATE TABLE key_packages (ref BLOB PRIMARY KEY, sealed BLOB NOT NULL, "
            + "last_resort INTEGER NOT NULL, created_at INTEGER NOT NULL)",
        "CREATE TABLE contacts (name TEXT PRIMARY KEY, identity_key BLOB NOT NULL)",
        "CREATE TABLE parked (message_id BLOB PRIMARY KEY, group_id BLOB NOT NULL, "
            + "payload BLOB NOT NULL, at INTEGER NOT NULL)"));
    // Rich messages: replies, edits, deletes, reactions, read receipts, and edits or deletes
    // that arrived before the message they change.
    applyMigration(version, 2, List.of(
        "ALTER TABLE messages ADD COLUMN reply_to BLOB",
        "ALTER TABLE messages ADD COLUMN edited INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
        "CREATE TABLE reactions (group_id BLOB NOT NULL, message_id BLOB NOT NULL, "
            + "sender TEXT NOT NULL, emoji TEXT NOT NULL, "
            + "PRIMARY KEY (group_id, message_id, sender, emoji))",
        "CREATE TABLE receipts (group_id BLOB NOT NULL, message_id BLOB NOT NULL, "
            + "reader TEXT NOT NULL, at INTEGER NOT NULL, "
            + "PRIMARY KEY (group_id, message_id, reader))",
        "CREATE TABLE pending_ops (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
            + "group_id BLOB NOT NULL, target_id BLOB NOT NULL, sender TEXT NOT NULL, "
            + "op INTEGER NOT NULL, body TEXT, sent_at INTEGER NOT NULL)"));
    // Disappearing messages: a timer per conversation, an expiry per line and per queued send.
    applyMigration(version, 3, List.of(
        "ALTER TABLE conversations ADD COLUMN ttl_seconds INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE messages ADD COLUMN expires_at INTEGER",
        "CREATE INDEX messages_by_expiry ON messages (expires_at) "
            + "WHERE expires_at IS NOT NULL",
        "ALTER TABLE outbox ADD COLUMN ttl_seconds INTEGER NOT NULL DEFAULT 0"));
    // A contact whose safety number the user compared out of band.
    applyMigration(version, 4, List.of(
        "ALTER TABLE contacts ADD COLUMN verified INTEGER NOT NULL DEFAULT 0"));
    // Shared files: the sealed link (blob id, file key, hash, size, name, type) per message.
    applyMigration(version, 5, List.of(
        "CREATE TABLE files (group_id BLOB NOT NULL, message_id BLOB NOT NULL, "
            + "sealed_link BLOB NOT NULL, PRIMARY KEY (group_id, message_id))"));
    // Key transparency: every signed tree head this client accepted, by tree size; the newest is
    // the one the next head must extend (org.quicproquo.client.kt).
    applyMigration(version, 6, List.of(
        "CREATE TABLE kt_tree_heads (tree_size INTEGER PRIMARY KEY, head BLOB NOT NULL, "
            + "accepted_at INTEGER NOT NULL)"));
    // (Version 7 belongs to another feature; a gap is harmless: each step runs once.)
    // Full-text search over what people wrote (text lines and file names), kept in step with
    // the messages table by triggers: an edit re-indexes, a delete for everyone or an expiry
    // removes the words. FTS5 'secure-delete' removes them from the index b-tree at once
    // instead of leaving them in old segments until a merge.
    applyMigration(version, 8, List.of(
        "CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', "
            + "content_rowid='seq', tokenize='unicode61 remove_diacritics 2')",
        "INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1)",
        "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages "
            + "WHEN new.kind IN (1, 4) AND new.body <> '' BEGIN "
            + "INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body); END",
        "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages "
            + "WHEN old.kind IN (1, 4) AND old.body <> '' BEGIN "
            + "INSERT INTO messages_fts (messages_fts, rowid, body) "
            + "VALUES ('delete', old.seq, old.body); END",
        "CREATE TRIGGER messages_fts_unindex AFTER UPDATE OF body ON messages "
            + "WHEN old.kind IN (1, 4) AND old.body <> '' BEGIN "
            + "INSERT INTO messages_fts (messages_fts, rowid, body) "
            + "VALUES ('delete', old.seq, old.body); END",
        "CREATE TRIGGER messages_fts_reindex AFTER UPDATE OF body ON messages "
            + "WHEN new.kind IN (1, 4) AND new.body <> '' BEGIN "
            + "INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body); END",
        "INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages "
            + "WHERE kind IN (1, 4) AND body <> ''"));
    // The search index is brought up to date in batches (see indexPending) instead of by an
    // insert trigger: FTS5 writes a new index segment at every commit that adds words, which
    // cost more than all the rest of storing a message (two commits per message, one on each
    // side). Lines up to fts_progress.indexed_upto are in the index; the triggers that take words
    // out of it or put edited words back act on those lines only. Deleted or edited lines above it
    // are indexed as they are when their turn comes (seq only grows: AUTOINCREMENT).
    String indexed = " AND %s.seq <= (SELECT indexed_upto FROM fts_progress)";
    applyMigration(version, 9, List.of(
        "CREATE TABLE fts_progress (id INTEGER PRIMARY KEY CHECK (id = 1), "
            + "indexed_upto INTEGER NOT NULL)",
        "INSERT INTO fts_progress (id, indexed_upto) "
            + "SELECT 1, COALESCE(MAX(seq), 0) FROM messages",
        "DROP TRIGGER messages_fts_insert",
        "DROP TRIGGER messages_fts_delete",
        "DROP TRIGGER messages_fts_unindex",
        "DROP TRIGGER messages_fts_reindex",
        "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages "
            + "WHEN old.kind IN (1, 4) AND old.body <> ''" + indexed.formatted("old") + " BEGIN "
            + "INSERT INTO messages_fts (messages_fts, rowid, body) "
            + "VALUES ('delete', old.seq, old.body); END",
        "CREATE TRIGGER messages_fts_unindex AFTER UPDATE OF body ON messages "
            + "WHEN old.kind IN (1, 4) AND old.body <> ''" + indexed.formatted("old") + " BEGIN "
            + "INSERT INTO messages_fts (messages_fts, rowid, body) "
            + "VALUES ('delete', old.seq, old.body); END",
        "CREATE TRIGGER messages_fts_reindex AFTER UPDATE OF body ON messages "
            + "WHEN new.kind IN (1, 4) AND new.body <> ''" + indexed.formatted("new") + " BEGIN "
            + "INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body); END"));
  }

  // ---------------------------------------------------------------- key transparency

  /** Records an accepted signed tree head (its wire form); a later head of the same size replaces it. */
  public synchronized void addTreeHead(long treeSize, byte[] head, long atMillis) {
    update("INSERT OR REPLACE INTO kt_tree_heads (tree_size, head, accepted_at) VALUES (?, ?, ?)",
        ps -> {
          ps.setLong(1, treeSize);
          ps.setBytes(2, head);
          ps.setLong(3, atMillis);
        });
  }

  /** The accepted tree head of the largest size, if any. */
  public synchronized Optional<byte[]> latestTreeHead() {
    return query("SELECT head FROM kt_tree_heads ORDER BY tree_size DESC LIMIT 1", ps -> { },
        r -> r.getBytes(1)).stream().findFirst();
  }

  /** How many tree heads this client has accepted (one per size). */
  public synchronized int treeHeadCount() {
    return query("SELECT COUNT(*) FROM kt_tree_heads", ps -> { }, r -> r.getInt(1)).get(0);
  }

  public synchronized void putFile(byte[] groupId, byte[] messageId, byte[] sealedLink) {
    update("INSERT OR REPLACE INTO files (group_id, message_id, sealed_link) VALUES (?, ?, ?)",
        ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
          ps.setBytes(3, sealedLink);
        });
  }

  public synchronized Optional<byte[]> file(byte[] groupId, byte[] messageId) {
    return query("SELECT sealed_link FROM files WHERE group_id = ? AND message_id = ?", ps -> {
      ps.setBytes(1, groupId);
      ps.setBytes(2, messageId);
    }, r -> r.getBytes(1)).stream().findFirst();
  }

  /** Marks a pinned contact as verified (or not). */
  public synchronized void setVerified(String name, boolean verified) {
    update("UPDATE contacts SET verified = ? WHERE name = ?", ps -> {
      ps.setBoolean(1, verified);
      ps.setString(2, name);
    });
  }

  /** Pinned contacts as (name, verified), by name. */
  public synchronized List<java.util.Map.Entry<String, Boolean>> contacts() {
    return query("SELECT name, verified FROM contacts ORDER BY name", ps -> { },
        r -> java.util.Map.entry(r.getString(1), r.getBoolean(2)));
  }

  // ---------------------------------------------------------------- disappearing messages

  /** The conversation's disappearing-message timer in seconds; 0 when off. */
  public synchronized long ttlSeconds(byte[] groupId) {
    return ttls.computeIfAbsent(key(groupId), k -> query(
        "SELECT ttl_seconds FROM conversations WHERE group_id = ?",
        ps -> ps.setBytes(1, groupId), r -> r.getLong(1)).stream().findFirst().orElse(0L));
  }

  public synchronized void setTtlSeconds(byte[] groupId, long seconds) {
    ttls.remove(key(groupId));
    update("UPDATE conversations SET ttl_seconds = ? WHERE group_id = ?", ps -> {
      ps.setLong(1, seconds);
      ps.setBytes(2, groupId);
    });
  }

  /** Makes a stored line disappear at {@code expiresAtMillis}. */
  public synchronized void setExpiry(byte[] groupId, byte[] messageId, long expiresAtMillis) {
    update("UPDATE messages SET expires_at = ? WHERE group_id = ? AND message_id = ?", ps -> {
      ps.setLong(1, expiresAtMillis);
      ps.setBytes(2, groupId);
      ps.setBytes(3, messageId);
    });
  }

  /**
   * Deletes every line that expired by {@code nowMillis}, with its reactions and receipts.
   * Nothing of it stays: the row goes, not just its text.
   *
   * @return how many lines were deleted
   */
  public synchronized int deleteExpired(long nowMillis) {
    return inTransaction(() -> {
      update("DELETE FROM reactions WHERE EXISTS (SELECT 1 FROM messages m WHERE "
          + "m.group_id = reactions.group_id AND m.message_id = reactions.message_id "
          + "AND m.expires_at <= ?)", ps -> ps.setLong(1, nowMillis));
      update("DELETE FROM receipts WHERE EXISTS (SELECT 1 FROM messages m WHERE "
          + "m.group_id = receipts.group_id AND m.message_id = receipts.message_id "
          + "AND m.expires_at <= ?)", ps -> ps.setLong(1, nowMillis));
      update("DELETE FROM files WHERE EXISTS (SELECT 1 FROM messages m WHERE "
          + "m.group_id = files.group_id AND m.message_id = files.message_id "
          + "AND m.expires_at <= ?)", ps -> ps.setLong(1, nowMillis));
      return update("DELETE FROM messages WHERE expires_at <= ?", ps -> ps.setLong(1, nowMillis));
    });
  }

  /**
   * Copies the WAL into the database file and empties it, so page images written before a
   * deletion (which still hold the deleted text) are gone from the WAL file too.
   */
  public synchronized void checkpoint() {
    try (Statement s = db.createStatement()) {
      // The background checkpointer may be running a checkpoint of its own: then this one
      // reports busy (first column) without copying everything, and is tried again.
      for (int attempt = 0; ; attempt++) {
        try (ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
          if (!r.next() || r.getInt(1) == 0) {
            return;
          }
        }
        if (attempt == CHECKPOINT_ATTEMPTS) {
          throw new LocalStoreException("local database checkpoint stayed busy");
        }
        Thread.sleep(10);
      }
    } catch (SQLException e) {
      throw new LocalStoreException("local database checkpoint failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStoreException("interrupted during a local database checkpoint", e);
    }
  }


  /**
   * Brings the schema from {@code version} to {@code target} with {@code statements}, in one
   * transaction together with the new {@code user_version}; nothing if it is there already.
   */
  private void applyMigration(int version, int target, List<String> statements)
      throws SQLException {
    if (version >= target) {
      return;
    }
    db.setAutoCommit(false);
    try (Statement s = db.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
      s.execute("PRAGMA user_version = " + target);
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  /** Runs {@code work} in one transaction (nested calls join the outer one). */
  public synchronized <T> T inTransaction(Work<T> work) {
    boolean outer = depth == 0;
    try {
      if (outer) {
        db.setAutoCommit(false);
      }
      depth++;
      T result;
      try {
        result = work.run();
      } finally {
        depth--;
      }
      if (outer) {
        db.commit();
        afterCommit();
      }
      return result;
    } catch (Exception e) {
      if (outer) {
        // They may hold what the transaction wrote.
        infos.clear();
        ttls.clear();
        try {
          db.rollback();
        } catch (SQLException ignored) {
          // the original failure is the one worth reporting
        }
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new LocalStoreException("local database write failed: " + e.getMessage(), e);
    } finally {
      if (outer) {
        try {
          db.setAutoCommit(true);
        } catch (SQLException ignored) {
          // connection is broken; the next call reports it
        }
      }
    }
  }

  // ---------------------------------------------------------------- meta

  public synchronized Optional<byte[]> meta(String key) {
    return query("SELECT v FROM meta WHERE k = ?", ps -> ps.setString(1, key),
        r -> r.getBytes(1)).stream().findFirst();
  }

  public synchronized void putMeta(String key, byte[] value) {
    update("INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
        ps -> {
          ps.setString(1, key);
          ps.setBytes(2, value);
        });
  }

  public Optional<Long> metaLong(String key) {
    return meta(key).map(b -> ByteBuffer.wrap(b).getLong());
  }

  public void putMetaLong(String key, long value) {
    putMeta(key, ByteBuffer.allocate(8).putLong(value).array());
  }

  // ---------------------------------------------------------------- conversations

  /** Inserts or replaces the conversation row. */
  public synchronized void putConversation(StoredConversation c) {
    infos.remove(key(c.groupId()));
    ttls.remove(key(c.groupId()));
    update("INSERT INTO conversations (group_id, dm, name, created_at, state, left_group) "
        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_id) DO UPDATE SET dm = excluded.dm, "
        + "name = excluded.name, state = excluded.state, left_group = excluded.left_group", ps -> {
          ps.setBytes(1, c.groupId());
          ps.setBoolean(2, c.dm());
          ps.setString(3, c.name());
          ps.setLong(4, c.createdAtMillis());
          ps.setBytes(5, c.sealedState());
          ps.setBoolean(6, c.left());
        });
  }

  /**
   * Replaces the sealed MLS state and the display name of an existing conversation; false if there
   * is no such conversation. Cheaper than {@link #putConversation} after every message, which
   * would first have to read the row back.
   */
  public synchronized boolean updateConversationState(byte[] groupId, String name,
      byte[] sealedState) {
    String k = key(groupId);
    Optional<StoredConversation> info = infos.remove(k);
    boolean updated = update("UPDATE conversations SET name = ?, state = ? WHERE group_id = ?",
        ps -> {
          ps.setString(1, name);
          ps.setBytes(2, sealedState);
          ps.setBytes(3, groupId);
        }) == 1;
    if (updated && info != null && info.isPresent()) {
      StoredConversation c = info.get();
      infos.put(k, Optional.of(new StoredConversation(groupId, c.dm(), name, c.createdAtMillis(),
          null, c.left())));
    }
    return updated;
  }

  /**
   * The conversation row without its sealed MLS state (null in the result): what a view or a
   * "left?" check needs, without reading the state (several KiB) for every message.
   */
  public synchronized Optional<StoredConversation> conversationInfo(byte[] groupId) {
    return infos.computeIfAbsent(key(groupId), k -> query(
        "SELECT group_id, dm, name, created_at, NULL, left_group FROM conversations "
        + "WHERE group_id = ?", ps -> ps.setBytes(1, groupId), LocalStore::conversationRow)
        .stream().findFirst());
  }

  private static String key(byte[] groupId) {
    return java.util.HexFormat.of().formatHex(groupId);
  }

  public synchronized Optional<StoredConversation> conversation(byte[] groupId) {
    return query("SELECT group_id, dm, name, created_at, state, left_group FROM conversations "
        + "WHERE group_id = ?", ps -> ps.setBytes(1, groupId), LocalStore::conversationRow)
        .stream().findFirst();
  }

  /** Every conversation, oldest first. */
  public synchronized List<StoredConversation> conversations() {
    return query("SELECT group_id, dm, name, created_at, state, left_group FROM conversations "
        + "ORDER BY created_at, rowid", ps -> { }, LocalStore::conversationRow);
  }

  private static StoredConversation conversationRow(ResultSet r) throws SQLException {
    return new StoredConversation(r.getBytes(1), r.getBoolean(2), r.getString(3), r.getLong(4),
        r.getBytes(5), r.getBoolean(6));
  }

  // ---------------------------------------------------------------- history

  /** Adds a history line; a line with the same (conversation, message id) is kept as it was. */
  public synchronized boolean addMessage(StoredMessage m) {
    boolean added = update("INSERT OR IGNORE INTO messages (group_id, message_id, sender, sent_at, "
        + "received_at, kind, body, outgoing, reply_to, edited, deleted) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", ps -> {
          ps.setBytes(1, m.conversation());
          ps.setBytes(2, m.messageId());
          ps.setString(3, m.sender());
          ps.setLong(4, m.sentAtMillis());
          ps.setLong(5, m.receivedAtMillis());
          ps.setInt(6, m.kind().code);
          ps.setString(7, m.body());
          ps.setBoolean(8, m.outgoing());
          ps.setBytes(9, m.replyTo());
          ps.setBoolean(10, m.edited());
          ps.setBoolean(11, m.deleted());
        }) == 1;
    if (added && (m.kind() == StoredMessage.Kind.TEXT || m.kind() == StoredMessage.Kind.FILE)) {
      unindexedLines++;
    }
    return added;
  }

  private static final String MESSAGE_COLUMNS = "group_id, message_id, sender, sent_at, "
      + "received_at, kind, body, outgoing, reply_to, edited, deleted";

  private static StoredMessage messageRow(ResultSet r) throws SQLException {
    return new StoredMessage(r.getBytes(1), r.getBytes(2), r.getString(3), r.getLong(4),
        r.getLong(5), StoredMessage.Kind.fromCode(r.getInt(6)), r.getString(7), r.getBoolean(8),
        r.getBytes(9), r.getBoolean(10), r.getBoolean(11));
  }

  /** The last {@code limit} lines of a conversation, oldest first. */
  public synchronized List<StoredMessage> history(byte[] groupId, int limit) {
    List<StoredMessage> newestFirst = query("SELECT " + MESSAGE_COLUMNS + " FROM messages "
        + "WHERE group_id = ? ORDER BY seq DESC LIMIT ?", ps -> {
          ps.setBytes(1, groupId);
          ps.setInt(2, limit);
        }, LocalStore::messageRow);
    List<StoredMessage> out = new ArrayList<>(newestFirst);
    java.util.Collections.reverse(out);
    return out;
  }

  /** One history line by its message id. */
  public synchronized Optional<StoredMessage> message(byte[] groupId, byte[] messageId) {
    return query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE group_id = ? "
        + "AND message_id = ?", ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
        }, LocalStore::messageRow).stream().findFirst();
  }

  /** Lines whose id starts with {@code prefix} (for short ids typed by a user), newest first. */
  public synchronized List<StoredMessage> messagesWithIdPrefix(byte[] groupId, byte[] prefix) {
    return query("SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE group_id = ? "
        + "AND substr(message_id, 1, ?) = ? ORDER BY seq DESC LIMIT 10", ps -> {
          ps.setBytes(1, groupId);
          ps.setInt(2, prefix.length);
          ps.setBytes(3, prefix);
        }, LocalStore::messageRow);
  }

  /**
   * Lines whose words match {@code words} (every word must occur; a word matches as a prefix),
   * newest first, in one conversation or, with a null {@code groupId}, in all of them. The
   * words are quoted, so FTS5 query syntax typed by a user is searched for, not interpreted.
   */
  public synchronized List<StoredMessage> search(byte[] groupId, String words, int limit) {
    String match = ftsQuery(words);
    if (match.isEmpty()) {
      return List.of();
    }
    indexPending();
    return query("SELECT " + "m." + MESSAGE_COLUMNS.replace(", ", ", m.")
        + " FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid "
        + "WHERE messages_fts MATCH ? AND (? IS NULL OR m.group_id = ?) "
        + "ORDER BY m.seq DESC LIMIT ?", ps -> {
          ps.setString(1, match);
          ps.setBytes(2, groupId);
          ps.setBytes(3, groupId);
          ps.setInt(4, limit);
        }, LocalStore::messageRow);
  }

  /**
   * Adds the lines written since the last call to the search index, in one transaction. Run
   * before every search, so results are complete, and after {@link #INDEX_EVERY} new lines, so
   * that wait stays short; one segment for a batch costs about what one line's segment did.
   */
  private void indexPending() {
    unindexedLines = 0;
    inTransaction(() -> {
      update("INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages "
          + "WHERE seq > (SELECT indexed_upto FROM fts_progress) AND kind IN (1, 4) "
          + "AND body <> ''", ps -> { });
      update("UPDATE fts_progress SET indexed_upto = "
          + "MAX(indexed_upto, (SELECT COALESCE(MAX(seq), 0) FROM messages))", ps -> { });
      return null;
    });
  }

  /**
   * {@link #indexPending} after a caller's commit: a failure there is not the caller's (its
   * writes are committed), so it is left for the next search or batch.
   */
  private void indexPendingQuietly() {
    try {
      indexPending();
    } catch (LocalStoreException e) {
      // rolled back; the lines stay above indexed_upto and are indexed next time
    }
  }

  /** Each whitespace-separated word as a quoted FTS5 prefix term; all must match. */
  static String ftsQuery(String words) {
    StringBuilder q = new StringBuilder();
    for (String w : words.trim().split("\\s+")) {
      if (w.isEmpty()) {
        continue;
      }
      if (q.length() > 0) {
        q.append(' ');
      }
      q.append('"').append(w.replace("\"", "\"\"")).append("\"*");
    }
    return q.toString();
  }

  /** Replaces a line's body and marks it edited. */
  public synchronized void editMessage(byte[] groupId, byte[] messageId, String body) {
    update("UPDATE messages SET body = ?, edited = 1 WHERE group_id = ? AND message_id = ?",
        ps -> {
          ps.setString(1, body);
          ps.setBytes(2, groupId);
          ps.setBytes(3, messageId);
        });
  }

  /** Deletes a line's content for good, keeping a tombstone so it cannot come back. */
  public synchronized void deleteMessage(byte[] groupId, byte[] messageId) {
    update("UPDATE messages SET body = '', deleted = 1 WHERE group_id = ? AND message_id = ?",
        ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
        });
    update("DELETE FROM reactions WHERE group_id = ? AND message_id = ?", ps -> {
      ps.setBytes(1, groupId);
      ps.setBytes(2, messageId);
    });
    update("DELETE FROM files WHERE group_id = ? AND message_id = ?", ps -> {
      ps.setBytes(1, groupId);
      ps.setBytes(2, messageId);
    });
  }

  // ---------------------------------------------------------------- reactions and receipts

  public synchronized void setReaction(byte[] groupId, byte[] messageId, String sender,
      String emoji, boolean present) {
    update(present
        ? "INSERT OR IGNORE INTO reactions (group_id, message_id, sender, emoji) VALUES (?, ?, ?, ?)"
        : "DELETE FROM reactions WHERE group_id = ? AND message_id = ? AND sender = ? AND emoji = ?",
        ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
          ps.setString(3, sender);
          ps.setString(4, emoji);
        });
  }

  /** Reactions to a message as "emoji sender" pairs, in a stable order. */
  public synchronized List<String[]> reactions(byte[] groupId, byte[] messageId) {
    return query("SELECT emoji, sender FROM reactions WHERE group_id = ? AND message_id = ? "
        + "ORDER BY emoji, sender", ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
        }, r -> new String[] {r.getString(1), r.getString(2)});
  }

  public synchronized void addReceipt(byte[] groupId, byte[] messageId, String reader, long at) {
    update("INSERT OR IGNORE INTO receipts (group_id, message_id, reader, at) VALUES (?, ?, ?, ?)",
        ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
          ps.setString(3, reader);
          ps.setLong(4, at);
        });
  }

  /** Who has read a message. */
  public synchronized List<String> readers(byte[] groupId, byte[] messageId) {
    return query("SELECT reader FROM receipts WHERE group_id = ? AND message_id = ? "
        + "ORDER BY at, reader", ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
        }, r -> r.getString(1));
  }

  // ---------------------------------------------------------------- ops waiting for their target

  /** An edit (op 1, with body) or delete (op 2) whose target has not arrived yet. */
  public synchronized void addPendingOp(byte[] groupId, byte[] targetId, String sender, int op,
      String body, long sentAt) {
    update("INSERT INTO pending_ops (group_id, target_id, sender, op, body, sent_at) "
        + "VALUES (?, ?, ?, ?, ?, ?)", ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, targetId);
          ps.setString(3, sender);
          ps.setInt(4, op);
          ps.setString(5, body);
          ps.setLong(6, sentAt);
        });
  }

  /** Pending (sender, op, body) for a target, oldest first by the author's clock. */
  public synchronized List<String[]> takePendingOps(byte[] groupId, byte[] targetId) {
    List<String[]> ops = query("SELECT sender, op, body FROM pending_ops WHERE group_id = ? "
        + "AND target_id = ? ORDER BY sent_at, seq", ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, targetId);
        }, r -> new String[] {r.getString(1), Integer.toString(r.getInt(2)), r.getString(3)});
    update("DELETE FROM pending_ops WHERE group_id = ? AND target_id = ?", ps -> {
      ps.setBytes(1, groupId);
      ps.setBytes(2, targetId);
    });
    return ops;
  }

  // ---------------------------------------------------------------- processed ids

  public synchronized boolean isProcessed(byte[] messageId) {
    return !query("SELECT 1 FROM processed WHERE message_id = ?", ps -> ps.setBytes(1, messageId),
        r -> 1).isEmpty();
  }

  public synchronized void markProcessed(byte[] messageId, long atMillis) {
    update("INSERT OR IGNORE INTO processed (message_id, at) VALUES (?, ?)", ps -> {
      ps.setBytes(1, messageId);
      ps.setLong(2, atMillis);
    });
  }

  // ---------------------------------------------------------------- outbox

  /** Queues an outgoing message; returns its local id. */
  public synchronized long addOutbox(byte[] groupId, byte[] messageId, List<Long> recipients,
      byte[] payload, boolean commit) {
    return addOutbox(groupId, messageId, recipients, payload, commit, 0);
  }

  /** As above, for a message the server must drop unread after {@code ttlSeconds} (0: never). */
  public synchronized long addOutbox(byte[] groupId, byte[] messageId, List<Long> recipients,
      byte[] payload, boolean commit, long ttlSeconds) {
    ByteBuffer r = ByteBuffer.allocate(8 * recipients.size());
    recipients.forEach(r::putLong);
    update("INSERT INTO outbox (group_id, message_id, recipients, payload, is_commit, "
        + "ttl_seconds) VALUES (?, ?, ?, ?, ?, ?)", ps -> {
          ps.setBytes(1, groupId);
          ps.setBytes(2, messageId);
          ps.setBytes(3, r.array());
          ps.setBytes(4, payload);
          ps.setBoolean(5, commit);
          ps.setLong(6, ttlSeconds);
        });
    return query("SELECT last_insert_rowid()", ps -> { }, rs -> rs.getLong(1)).get(0);
  }

  /** Pending outgoing messages in the order they were queued. */
  public synchronized List<OutboxEntry> outbox() {
    return query("SELECT id, group_id, message_id, recipients, payload, is_commit, ttl_seconds "
        + "FROM outbox ORDER BY id", ps -> { }, rs -> {
          ByteBuffer b = ByteBuffer.wrap(rs.getBytes(4));
          List<Long> recipients = new ArrayList<>();
          while (b.remaining() >= 8) {
            recipients.add(b.getLong());
          }
          return new OutboxEntry(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), recipients,
              rs.getBytes(5), rs.getBoolean(6), rs.getLong(7));
        });
  }

  public synchronized void removeOutbox(long id) {
    update("DELETE FROM outbox WHERE id = ?", ps -> ps.setLong(1, id));
  }

  // ---------------------------------------------------------------- key packages

  public synchronized void putKeyPackage(byte[] ref, byte[] sealed, boolean lastResort,
      long atMillis) {
    update("INSERT OR REPLACE INTO key_packages (ref, sealed, last_resort, created_at) "
        + "VALUES (?, ?, ?, ?)", ps -> {
          ps.setBytes(1, ref);
          ps.setBytes(2, sealed);
          ps.setBoolean(3, lastResort);
          ps.setLong(4, atMillis);
        });
  }

  /** (sealed bundle, last resort) for a KeyPackageRef. */
  public synchronized Optional<java.util.Map.Entry<byte[], Boolean>> keyPackage(byte[] ref) {
    return query("SELECT sealed, last_resort FROM key_packages WHERE ref = ?",
        ps -> ps.setBytes(1, ref),
        r -> java.util.Map.entry(r.getBytes(1), r.getBoolean(2))).stream().findFirst();
  }

  public synchronized void deleteKeyPackage(byte[] ref) {
    update("DELETE FROM key_packages WHERE ref = ?", ps -> ps.setBytes(1, ref));
  }

  public synchronized boolean hasLastResortKeyPackage() {
    return !query("SELECT 1 FROM key_packages WHERE last_resort = 1", ps -> { }, r -> 1).isEmpty();
  }

  // ---------------------------------------------------------------- contacts

  public synchronized Optional<byte[]> contactIdentityKey(String name) {
    return query("SELECT identity_key FROM contacts WHERE name = ?", ps -> ps.setString(1, name),
        r -> r.getBytes(1)).stream().findFirst();
  }

  public synchronized void pinContact(String name, byte[] identityKey) {
    update("INSERT OR IGNORE INTO contacts (name, identity_key) VALUES (?, ?)", ps -> {
      ps.setString(1, name);
      ps.setBytes(2, identityKey);
    });
  }

  // ---------------------------------------------------------------- parked

  /** Keeps a message for a group this device has not joined yet (its Welcome may be behind it). */
  public synchronized void park(byte[] messageId, byte[] groupId, byte[] payload, long atMillis) {
    update("INSERT OR IGNORE INTO parked (message_id, group_id, payload, at) VALUES (?, ?, ?, ?)",
        ps -> {
          ps.setBytes(1, messageId);
          ps.setBytes(2, groupId);
          ps.setBytes(3, payload);
          ps.setLong(4, atMillis);
        });
  }

  /** Parked (message id, payload) pairs of a group, oldest first. */
  public synchronized List<byte[][]> parked(byte[] groupId) {
    return query("SELECT message_id, payload FROM parked WHERE group_id = ? ORDER BY at, rowid",
        ps -> ps.setBytes(1, groupId), r -> new byte[][] {r.getBytes(1), r.getBytes(2)});
  }

  public synchronized void unpark(byte[] messageId) {
    update("DELETE FROM parked WHERE message_id = ?", ps -> ps.setBytes(1, messageId));
  }

  // ---------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet r) throws SQLException;
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = db.prepareStatement(sql);
      statements.put(sql, ps);
    } else {
      ps.clearParameters();
    }
    return ps;
  }

  private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    try {
      PreparedStatement ps = statement(sql);
      binder.bind(ps);
      List<T> out = new ArrayList<>();
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.add(mapper.map(r));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new LocalStoreException("local database read failed: " + e.getMessage(), e);
    }
  }

  private int update(String sql, Binder binder) {
    try {
      PreparedStatement ps = statement(sql);
      binder.bind(ps);
      int n = ps.executeUpdate();
      if (depth == 0) {
        afterCommit();
      }
      return n;
    } catch (SQLException e) {
      throw new LocalStoreException("local database write failed: " + e.getMessage(), e);
    }
  }

  /** What follows every commit: the checkpoint count, and the search index's catch-up when due. */
  private void afterCommit() {
    committed();
    if (unindexedLines >= INDEX_EVERY) {
      indexPendingQuietly();
    }
  }

  /**
   * Counts a commit; every {@link #CHECKPOINT_EVERY} asks the background checkpointer to copy the
   * WAL into the database file. SQLite's own automatic checkpoint runs inside the commit that
   * crosses its threshold (1,000 pages), on the caller's thread, and ends with an fsync: measured
   * 100-300 ms on a busy disk, during which the messenger thread processed nothing (and the
   * active messengers of one process, writing at the same pace, checkpointed at about the same
   * moment). Commits here do not fsync (synchronous=NORMAL), so they go on meanwhile.
   */
  private void committed() {
    if (++commitsSinceCheckpoint < CHECKPOINT_EVERY) {
      return;
    }
    commitsSinceCheckpoint = 0;
    synchronized (checkpointLock) {
      if (checkpointerClosed) {
        return;
      }
      checkpointWanted = true;
      if (checkpointer == null) {
        checkpointer = new Thread(this::checkpointLoop, "qpq-store-checkpoint");
        checkpointer.setDaemon(true);
        checkpointer.start();
      }
      checkpointLock.notifyAll();
    }
  }

  /**
   * Runs passive checkpoints on a connection of its own when asked: they copy what the WAL holds
   * into the database file without blocking this store's connection (what a reader still needs
   * is left for the next one). A failure only leaves the work to the next one, or to the
   * backstop ({@link #BACKSTOP_PAGES}).
   */
  private void checkpointLoop() {
    Connection c = null;
    try {
      while (true) {
        synchronized (checkpointLock) {
          while (!checkpointWanted && !checkpointerClosed) {
            checkpointLock.wait();
          }
          if (checkpointerClosed) {
            return;
          }
          checkpointWanted = false;
        }
        try {
          if (c == null) {
            SQLiteConfig config = new SQLiteConfig();
            config.setBusyTimeout(5_000);
            c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
          }
          try (Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
          }
        } catch (SQLException e) {
          // left to the next checkpoint or the backstop
        }
      }
    } catch (InterruptedException e) {
      // closing
    } finally {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // nothing was written through it
        }
      }
    }
  }

  /** Stops the background checkpointer after the checkpoint it may be running. */
  private void stopCheckpointer() {
    Thread t;
    synchronized (checkpointLock) {
      checkpointerClosed = true;
      checkpointLock.notifyAll();
      t = checkpointer;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(java.util.concurrent.TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public synchronized void close() {
    stopCheckpointer();
    for (PreparedStatement ps : statements.values()) {
      try {
        ps.close();
      } catch (SQLException ignored) {
        // closing the connection below releases it anyway
      }
    }
    statements.clear();
    try {
      db.close();
    } catch (SQLException e) {
      throw new LocalStoreException("cannot close local database: " + e.getMessage(), e);
    }
  }
}
