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
}

struct ServerInfo @0xa154f593dc206655 {
  version @0 :Text;
  # Server software version, e.g. "0.1.0".

  cipherSuites @1 :List(UInt16);
  # MLS ciphersuites (RFC 9420 §17.1 codes) the server accepts in KeyPackages.

  limits @2 :Limits;
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
}
