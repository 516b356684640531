-- Blobs (docs/wire.md "Blobs"): the bytes live in files DATA/blobs/<hex id>; this table holds
-- what the server knows of them. received is a bitmap of the stored chunks (bit i mod 8 of byte
-- i div 8) and received_count its population count, kept so status needs no file access.
-- owner is the canonical user name: the per-user quota sums size over it.
CREATE TABLE blobs (
  id BLOB PRIMARY KEY,
  owner TEXT NOT NULL,
  size INTEGER NOT NULL,
  chunk_size INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  received BLOB NOT NULL,
  received_count INTEGER NOT NULL DEFAULT 0,
  finished INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX blobs_by_owner ON blobs (owner);
CREATE INDEX blobs_by_expiry ON blobs (expires_at);
