# quicproquo (qpq) wire schema: the single source of truth for every Cap'n Proto message qpq
# sends. Java is generated from it (scripts/regen-capnp); the generated classes live in package
# org.quicproquo.proto, outer class Qpq (mapping in qpq-proto/capnp-codegen.txt, not in here).
#
# Evolution rules (Cap'n Proto compatibility, enforced by review and SchemaDriftTest):
# - Ordinals (@N) of fields, enumerants and methods are never reused or renumbered.
# - New fields, enumerants and methods are appended at the end with the next ordinal.
# - A field's type never changes; deprecate by renaming to obsoleteXxx and stop using it.
# - Type ids (@0x...) are fixed here so renaming a type never changes its wire identity.

@0xf533980364ccec4d;

interface NodeService @0xfeefe7e3fa850ab2 {
  # The bootstrap capability of every qpq server (Cap'n Proto RPC level 0, one RPC
  # connection per QUIC bidirectional stream).
  #
  # Method ordinals are part of the wire protocol: never reuse or renumber one, and add new
  # methods only at the end.

  serverInfo @0 () -> (info :ServerInfo);
  # What the server is and the limits it enforces. Needs no authentication, so a client can
  # check compatibility before logging in.

  # Errors: every method below fails with an RPC exception whose reason starts with a stable code
  # ("CODE: detail", docs/wire.md "NodeService RPCs"). Codes common to all of them:
  #   INVALID_ARGUMENT (failed)   a parameter is missing, too long, or malformed
  #   RATE_LIMITED (overloaded)   too many calls by this identity; detail gives "retry after Nms"
  #   INTERNAL (failed)           the server failed in a way it does not disclose
  # Methods marked "needs login" also fail with
  #   UNAUTHENTICATED (failed)    this connection has not logged in
  #   DEVICE_REVOKED (failed)     the logged-in device was revoked since login
  #   NOT_AUTHORIZED (failed)     the call names a device that is not this connection's device

  register @1 (name :Text, identityKey :Data, deviceKey :Data, deviceCertificate :Data)
      -> (deviceId :UInt64);
  # Creates the account `name` with its Ed25519 identity key and first device (Ed25519 signature
  # key plus the identity key's signature over it, docs/wire.md "Device certificate").
  # No login needed. Errors: NAME_TAKEN, BAD_CERTIFICATE, INVALID_ARGUMENT.

  loginChallenge @2 (deviceId :UInt64) -> (nonce :Data);
  # A fresh 32-byte nonce for this connection; replaces any earlier one. No login needed.
  # Errors: INVALID_ARGUMENT.

  login @3 (deviceId :UInt64, signature :Data) -> ();
  # Authenticates this connection as the device: `signature` is the device key's Ed25519
  # signature over the login transcript (docs/wire.md "Login"). The nonce is single-use.
  # Errors: NO_CHALLENGE, UNKNOWN_DEVICE, DEVICE_REVOKED, BAD_SIGNATURE, ALREADY_LOGGED_IN.

  uploadKeyPackages @4 (deviceId :UInt64, oneTime :List(Data), lastResort :Data) -> (stored :UInt32);
  # Stores one-time KeyPackages (may be empty) and, when non-empty, replaces the last-resort one.
  # Returns how many one-time KeyPackages the device now holds; a call with neither only asks
  # that. Every KeyPackage is validated (docs/wire.md rules KP-1..KP-12: basic credential = user
  # name, signature key = device key, lifetime, signatures). Needs login (own device).
  # Errors: BAD_KEY_PACKAGE (detail names the KeyPackage and rule), QUOTA_EXCEEDED (overloaded),
  # INVALID_ARGUMENT.

  fetchKeyPackages @5 (user :Text) -> (keyPackages :List(DeviceKeyPackage));
  # One KeyPackage per active device of `user` (one-time ones are consumed). Needs login.
  # Errors: UNKNOWN_USER.

  resolveUser @6 (name :Text) -> (identityKey :Data, devices :List(DeviceEntry));
  # The user's identity key and active devices. Needs login. Errors: UNKNOWN_USER.

  enqueue @7 (messageId :Data, recipients :List(UInt64), payload :Data, commit :Bool,
      ttlSeconds :UInt32) -> (queued :UInt32, duplicates :UInt32);
  # Queues `payload` for every recipient device; idempotent per (messageId, recipient).
  # `ttlSeconds` > 0 (disappearing messages): the entry is never delivered after that many
  # seconds and is then deleted; 0 means no expiry. At most 31,536,000 (one year).
  # With `commit` set, `payload` must be an MLSMessage carrying a PublicMessage Commit: the
  # server reads its cleartext group id and epoch and relays it only if it is the first Commit of
  # the group's current epoch (RFC 9420 §14 sequencing). Needs login.
  # Errors: UNKNOWN_DEVICE (a recipient), QUOTA_EXCEEDED (overloaded), STALE_EPOCH (detail names
  # the current epoch: "current epoch N"), NOT_A_COMMIT, INVALID_ARGUMENT.

  fetch @8 (deviceId :UInt64, afterSeq :UInt64, limit :UInt32) -> (messages :List(Envelope));
  # Up to `limit` pending messages of the caller's queue with seq > afterSeq, in order.
  # Needs login (own device). Errors: INVALID_ARGUMENT.

  ack @9 (deviceId :UInt64, messageIds :List(Data)) -> (deleted :UInt32);
  # Deletes these messages from the caller's queue. Ids already acknowledged or unknown are
  # ignored (acks stay idempotent); an id queued only for other devices refuses the whole call.
  # Needs login (own device). Errors: NOT_AUTHORIZED, INVALID_ARGUMENT.

  publishGroupInfo @10 (groupId :Data, epoch :UInt64, groupInfo :Data) -> (stored :Bool);
  # Stores the group's GroupInfo unless a later epoch's is stored (then stored = false).
  # Needs login. Errors: INVALID_ARGUMENT.

  fetchGroupInfo @11 (groupId :Data) -> (epoch :UInt64, groupInfo :Data);
  # The latest published GroupInfo. Needs login. Errors: NOT_FOUND.

  # Blobs (docs/wire.md "Blobs"): opaque ciphertext uploaded in fixed-size chunks. A blob id is a
  # 16-byte random capability: any logged-in user who knows it may read the finished blob.

  createBlob @12 (size :UInt64, chunkSize :UInt32, expiresInSeconds :UInt32)
      -> (blobId :Data, expiresAtMillis :Int64);
  # Reserves a blob of exactly `size` bytes (>= 1) cut into chunks of `chunkSize` bytes (the last
  # one shorter). expiresInSeconds 0 means the server's maximum retention. Needs login.
  # Errors: QUOTA_EXCEEDED (overloaded; detail "BLOB_SIZE ..." or "BLOB_STORAGE ..."),
  # INVALID_ARGUMENT.

  putChunk @13 (blobId :Data, index :UInt32, data :Data) -> (received :UInt32);
  # Stores chunk `index` of an unfinished blob of the caller's; idempotent (a repeated chunk is
  # written again). Returns how many distinct chunks the server now holds. Needs login (owner).
  # Errors: NO_SUCH_BLOB, BLOB_FINISHED, INVALID_ARGUMENT (index or length wrong).

  blobStatus @14 (blobId :Data) -> (status :BlobStatus);
  # Where an upload stands, for resuming. Needs login (owner, or anyone once finished).
  # Errors: NO_SUCH_BLOB.

  finishBlob @15 (blobId :Data) -> ();
  # Seals the blob once every chunk is stored; idempotent. Needs login (owner).
  # Errors: NO_SUCH_BLOB, BLOB_INCOMPLETE (detail names the first missing chunk).

  getChunk @16 (blobId :Data, index :UInt32) -> (data :Data);
  # Chunk `index` of a finished blob. Needs login. Errors: NO_SUCH_BLOB, BLOB_INCOMPLETE,
  # INVALID_ARGUMENT.

  deleteBlob @17 (blobId :Data) -> (deleted :Bool);
  # Deletes a blob of the caller's (finished or not); false if it was gone already.
  # Needs login (owner). Errors: NOT_AUTHORIZED.

  deleteAccount @18 () -> ();
  # Deletes the logged-in user's account and every server-side trace of it: the user row,
  # identity key, all devices, their queues, remembered message ids and KeyPackages, and the
  # user's blobs (records and files). The key-transparency log keeps the name's public history and
  # appends a tombstone (it is append-only by design). The name is free to register again afterwards (policy in
  # docs/wire.md). Clients leave their groups first. Every connection of the user is refused
  # from then on (DEVICE_REVOKED). Needs login.

  # Devices (docs/wire.md "Devices and linking"): at most 5 active devices per user, each certified
  # by the identity key. A new device is linked through a one-time code shown on an existing
  # device; the server relays the exchange sealed under a key derived from the code, which it never
  # sees, so it can neither link a device nor read what the two devices exchange.

  registerDevice @19 (deviceKey :Data, deviceCertificate :Data) -> (deviceId :UInt64);
  # Adds a device to the logged-in user: `deviceKey` is its Ed25519 signature key and
  # `deviceCertificate` the user's identity key's signature over it (docs/wire.md "Device
  # certificate"), which the server verifies against the registered identity key. Needs login.
  # Errors: BAD_CERTIFICATE, TOO_MANY_DEVICES (5 active devices already), DEVICE_EXISTS (that key
  # is registered already), INVALID_ARGUMENT.

  listDevices @20 () -> (devices :List(DeviceInfo));
  # Every device of the logged-in user, revoked ones included, oldest first. Needs login.

  revokeDevice @21 (deviceId :UInt64) -> (revoked :Bool);
  # Revokes another device of the logged-in user: it can no longer log in or call anything, and
  # its queue and KeyPackages are deleted. revoked = false if it was revoked already. Removing its
  # MLS leaves from the groups is the calling client's job. Needs login.
  # Errors: NOT_AUTHORIZED (not a device of the caller's user, or unknown), INVALID_ARGUMENT (the
  # calling device itself: another device revokes it, or deleteAccount ends them all).

  openLink @22 (lookupId :Data, offer :Data, expiresInSeconds :UInt32) -> (expiresAtMillis :Int64);
  # Opens the link mailbox `lookupId` (32 bytes, derived from the link code) holding `offer` (the
  # sealed name and identity key, at most 4096 bytes) until it expires (0: the server's default
  # of 10 minutes; at most its maximum). A user has at most one open link: opening another closes
  # the earlier one. Needs login. Errors: LINK_USED (the id exists already), QUOTA_EXCEEDED,
  # INVALID_ARGUMENT.

  answerLink @23 (lookupId :Data, reply :Data) -> (request :Data);
  # The device that opened the link: with an empty `reply`, returns the new device's sealed
  # request (empty while none was posted). With a reply (at most 4096 bytes), stores it for the
  # new device once (the same reply again is accepted) and returns the request. Needs login (the
  # link's owner). Errors: LINK_NOT_FOUND, LINK_EXPIRED, LINK_USED (another reply was stored, or
  # a reply before any request), NOT_AUTHORIZED (another user's link), INVALID_ARGUMENT.

  joinLink @24 (lookupId :Data, request :Data) -> (offer :Data, reply :Data);
  # The new device, not logged in (rate-limited per address). Returns the sealed offer and, once
  # the owner answered this request, the sealed reply (empty until then). A non-empty `request`
  # (at most 4096 bytes) is posted once: the first one wins; calling again with the same bytes
  # polls for the reply, any other call after that fails with LINK_USED.
  # Errors: LINK_NOT_FOUND (wrong code), LINK_EXPIRED, LINK_USED, INVALID_ARGUMENT.

  # Key transparency (docs/wire.md "Key transparency"): every registration, device change and
  # deletion is appended to an append-only Merkle log (RFC 9162 hashing) before it takes effect.
  # Entries, tree heads and proofs travel in the strict binary forms of qpq-kt (LogEntry,
  # SignedTreeHead, InclusionProof, ConsistencyProof); tree heads are signed with the key in
  # ServerInfo.ktPublicKey.

  ktTreeHead @25 () -> (treeHead :Data);
  # The latest signed tree head. No login needed. Errors: INTERNAL.

  ktConsistencyProof @26 (oldSize :UInt64, newSize :UInt64) -> (proof :Data);
  # The RFC 9162 consistency proof from tree size oldSize to newSize (oldSize <= newSize <= the
  # current size). No login needed. Errors: INVALID_ARGUMENT (sizes out of range).

  ktInclusionProof @27 (name :Text) -> (entry :Data, proof :Data, treeHead :Data);
  # The latest identity entry of `name` (REGISTER, KEY_CHANGED or DELETED) with its inclusion
  # proof in `treeHead`, the latest signed tree head. Needs login. Errors: UNKNOWN_USER (the name
  # was never in the log), INVALID_ARGUMENT.

  ktKeyHistory @28 (name :Text) -> (entries :List(Data), proofs :List(Data), treeHead :Data);
  # Every entry of `name` in sequence order, each with its inclusion proof in `treeHead`.
  # At most 1,000 entries (the oldest are dropped first). Needs login.
  # Errors: UNKNOWN_USER, INVALID_ARGUMENT.

  enqueueBatch @29 (items :List(EnqueueItem)) -> (results :List(EnqueueOutcome));
  # Queues 1..256 application messages in order, in one store transaction: each item as one
  # `enqueue` without `commit` (same validation, quotas, idempotency per (messageId, recipient)
  # and push events). All or nothing: every item is validated first, and if one fails nothing
  # is queued and the error's detail starts with "item N: " (N counts from 0). `results[i]` is
  # the outcome of `items[i]`. Commits are never batched (epoch sequencing): they go through
  # `enqueue` alone. Needs login.
  # Errors: UNKNOWN_DEVICE, QUOTA_EXCEEDED, INVALID_ARGUMENT (also: no items, more than 256
  # items, more than 4,096 recipients summed over the items).
}

struct EnqueueItem @0xe88be2885e392301 {
  # One message of `enqueueBatch`: the parameters of `enqueue` without `commit`.
  messageId @0 :Data;
  recipients @1 :List(UInt64);
  payload @2 :Data;
  ttlSeconds @3 :UInt32;
}

struct EnqueueOutcome @0x8b23d638173f4a11 {
  # The answer of `enqueue` for one item of `enqueueBatch`.
  queued @0 :UInt32;
  duplicates @1 :UInt32;
}

struct DeviceKeyPackage @0xd2a6a0c3f1e4b701 {
  deviceId @0 :UInt64;
  keyPackage @1 :Data;
  # The bytes as uploaded: an MLSMessage carrying a KeyPackage, validated on upload.
  lastResort @2 :Bool;
}

struct DeviceEntry @0xd2a6a0c3f1e4b702 {
  deviceId @0 :UInt64;
  signatureKey @1 :Data;
  # Ed25519 public key, 32 bytes.
  certificate @2 :Data;
  # The identity key's signature over the device (docs/wire.md "Device certificate").
}

struct DeviceInfo @0xd2a6a0c3f1e4b704 {
  deviceId @0 :UInt64;
  createdAtMillis @1 :Int64;
  revoked @2 :Bool;
  current @3 :Bool;
  # True for the device of the connection that asked.
  signatureKey @4 :Data;
  # Ed25519 public key, 32 bytes.
}

struct Envelope @0xd2a6a0c3f1e4b703 {
  seq @0 :UInt64;
  # Position in the device's queue; starts at 1, never goes back.
  messageId @1 :Data;
  payload @2 :Data;
  enqueuedAtMillis @3 :Int64;
}

struct ServerInfo @0xa154f593dc206655 {
  version @0 :Text;
  # Server software version, e.g. "0.1.0".

  cipherSuites @1 :List(UInt16);
  # MLS ciphersuites (RFC 9420 §17.1 codes) the server accepts in KeyPackages.

  limits @2 :Limits;

  ktPublicKey @3 :Data;
  # The Ed25519 key (32 bytes) that signs the key-transparency log's tree heads. Clients pin it
  # on first use, like the server certificate.
}

struct Limits @0xbf3d1eb952ce596c {
  # Limits the server enforces on each connection. Exceeding one yields a typed error.

  maxMessageBytes @0 :UInt32;
  # Largest serialized Cap'n Proto message (all segments plus segment table) accepted.

  maxTraversalWords @1 :UInt64;
  # Cap'n Proto traversal limit per message, in 8-byte words.

  maxNestingDepth @2 :UInt16;
  # Cap'n Proto nesting limit per message.

  maxCallsInFlight @3 :UInt32;
  # Calls a connection may have outstanding before new ones are refused.

  idleTimeoutMillis @4 :UInt32;
  # A connection without traffic for this long is closed.
}

struct Event @0xbf713272ab22349d {
  # Server-to-client push, written framed on a server-opened unidirectional QUIC stream.
  # Only a hint: the client always fetches and acks through RPC, so a lost event can delay
  # but never lose a message.

  union {
    notice @0 :Text;
    # Human-readable notice from the operator (maintenance, shutdown).

    newMessages @1 :NewMessages;
    # Messages are waiting in this device's queue.
  }
}

struct NewMessages @0xc7e11a1ec70673cb {
  count @0 :UInt32;
  # How many messages were waiting when the event was sent (a hint; may be stale).

  messages @1 :List(Envelope);
  # The entries this event announces, in queue order, as fetch would return them, when they are
  # small (empty otherwise, and from servers older than this field). A client that has processed
  # its queue up to the first entry's seq - 1 may process them without a fetch; it still acks
  # them, only after they are durably stored. Events of concurrent enqueues may arrive out of
  # seq order: a client that sees a gap fetches instead.
}

struct BlobStatus @0xe4b1d2c3a5f60701 {
  size @0 :UInt64;
  # Total bytes, as declared in createBlob.
  chunkSize @1 :UInt32;
  chunkCount @2 :UInt32;
  chunksReceived @3 :UInt32;
  # Distinct chunks stored.
  received @4 :Data;
  # Bitmap of stored chunks: bit (i mod 8) of byte (i div 8), least significant bit first.
  finished @5 :Bool;
  expiresAtMillis @6 :Int64;
}
