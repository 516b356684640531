-- qpq server schema, version 1. Times are milliseconds since the Unix epoch (UTC).
-- Booleans are 0/1 (SQLite has no BOOLEAN type); queries use TRUE/FALSE.

-- A user: the binding of a canonical name to an identity public key.
-- AUTOINCREMENT (here and below) so ids are never reused after a deletion.
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  identity_key BLOB NOT NULL,
  created_at INTEGER NOT NULL
);

-- A device of a user. next_seq is the seq of the newest entry ever queued for it and queued
-- the number of entries waiting: kept here so enqueue checks the quota and numbers the entry
-- without scanning the queue.
CREATE TABLE devices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  signature_key BLOB NOT NULL,
  identity_certificate BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  next_seq INTEGER NOT NULL DEFAULT 0,
  queued INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_by_user ON devices (user_id, id);

-- KeyPackages: one-time ones are handed out oldest first (by id); at most one last-resort one.
CREATE TABLE key_packages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  last_resort INTEGER NOT NULL,
  key_package BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX key_packages_by_device ON key_packages (device_id, last_resort, id);
CREATE UNIQUE INDEX key_packages_one_last_resort ON key_packages (device_id) WHERE last_resort;

-- Delivery queues: one per device, ordered by seq. (device_id, message_id) is unique, which
-- makes enqueue idempotent.
CREATE TABLE queue (
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  message_id BLOB NOT NULL,
  payload BLOB NOT NULL,
  enqueued_at INTEGER NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (device_id, seq)
);
CREATE UNIQUE INDEX queue_by_message ON queue (device_id, message_id);
CREATE INDEX queue_by_expiry ON queue (expires_at) WHERE expires_at IS NOT NULL;

-- Ids of acknowledged (or expired) entries, remembered for the dedupe window so a late retry
-- of the enqueue does not deliver them again.
CREATE TABLE delivered (
  device_id INTEGER NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  message_id BLOB NOT NULL,
  done_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, message_id)
) WITHOUT ROWID;
CREATE INDEX delivered_by_time ON delivered (done_at);

-- Handshake sequencing: epoch is the group's current epoch, last_commit_id the message id of
-- the Commit that produced it (so its sender may retry).
CREATE TABLE mls_groups (
  group_id BLOB PRIMARY KEY,
  epoch INTEGER NOT NULL,
  last_commit_id BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The latest GroupInfo published per group.
CREATE TABLE group_infos (
  group_id BLOB PRIMARY KEY,
  epoch INTEGER NOT NULL,
  group_info BLOB NOT NULL,
  published_at INTEGER NOT NULL
);
