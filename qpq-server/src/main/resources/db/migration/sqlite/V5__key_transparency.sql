-- Key transparency (docs/architecture.md "Key transparency"): the leaves of the append-only
-- Merkle log. seq is the leaf index (dense, from 0) and entry the leaf data: the LogEntry
-- encoding of qpq-kt, which carries seq, kind and name itself; name and kind are repeated here
-- only to find a user's entries. Rows are never updated or deleted, not even when the account
-- is deleted (the tombstone is one more row). The tree's inner nodes are rebuilt from here on start.
CREATE TABLE kt_entries (
  seq INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind INTEGER NOT NULL,
  entry BLOB NOT NULL
);
CREATE INDEX kt_entries_by_name ON kt_entries (name, seq);
