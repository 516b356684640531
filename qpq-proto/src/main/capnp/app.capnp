# qpq application messages: what members of an MLS group send each other inside MLS
# application data (RFC 9420 §6.3.1 PrivateMessage content). The server never sees these.
# Java is generated from it (scripts/regen-capnp) into org.quicproquo.proto.App; qpq-core's
# AppMessageCodec is the only code that should read or write them.
#
# Framing (outside this schema): one type byte, then one standard (unpacked) Cap'n Proto
# message whose root is the struct for that type:
#
#   0x01 TextMessage       0x06 ReadReceipt
#   0x02 Reply             0x07 Typing
#   0x03 Reaction          0x08 FileRef
#   0x04 Edit              0x09 DisappearingTimer
#   0x05 Delete            0x0A-0x0D reserved for call signalling
#
# (The text struct is TextMessage, not Text: a struct named Text would shadow the built-in
# Text type inside this file.)
#
# Every struct starts with the same two fields, so all bodies share one layout for them:
#   messageId @0 :Data      16 bytes chosen by the sender (random), unique per message;
#                           receivers use it to drop re-deliveries and to refer to the message
#   sentAtMillis @1 :UInt64 sender's clock, milliseconds since the Unix epoch (display only)
#
# Evolution rules (Cap'n Proto compatibility):
# - Ordinals (@N) are never reused or renumbered; new fields are appended.
# - A field's type never changes; type codes are never reused.
# - Type ids (@0x...) are fixed here.
# Limits (text and name lengths, list sizes) are enforced by the decoder in qpq-core, see
# AppMessageCodec.

@0x8e13b820381e755f;

struct TextMessage @0x82b575e8a8e3f592 {
  # 0x01: a plain text message.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  body @2 :Text;
}

struct Reply @0xefd8dc3ecbf7cbaf {
  # 0x02: a text message that quotes an earlier message.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  inReplyTo @2 :Data;
  # messageId of the quoted message.
  body @3 :Text;
}

struct Reaction @0x918e04fff3b348a5 {
  # 0x03: adds or removes the sender's emoji reaction to a message.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  target @2 :Data;
  # messageId of the message reacted to.
  emoji @3 :Text;
  remove @4 :Bool;
  # true: withdraw this emoji reaction; false: add it.
}

struct Edit @0xf9d2b898bcf6ac6d {
  # 0x04: replaces the text of one of the sender's own earlier messages.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  target @2 :Data;
  body @3 :Text;
}

struct Delete @0xb8fd59a6c298c2bf {
  # 0x05: deletes one of the sender's own earlier messages for everyone.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  target @2 :Data;
}

struct ReadReceipt @0x8565fa8ebff8d1ce {
  # 0x06: the sender has read these messages.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  read @2 :List(Data);
  # messageIds of the messages read.
}

struct Typing @0xad2ea541cd6edb79 {
  # 0x07: typing indicator.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  typing @2 :Bool;
  # true: started typing; false: stopped.
}

struct FileRef @0x90628f0a5d234777 {
  # 0x08: a file stored encrypted as a blob on the server.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  blobId @2 :Data;
  # The server's identifier of the encrypted blob.
  key @3 :Data;
  # 32-byte symmetric key that decrypts the blob.
  sha256 @4 :Data;
  # SHA-256 of the encrypted blob, checked after download.
  size @5 :UInt64;
  # Plaintext size in bytes.
  name @6 :Text;
  # File name shown to the user (no path).
  mediaType @7 :Text;
  # RFC 6838 media type, e.g. "image/png".
}

struct DisappearingTimer @0xa762a724b8ac0c22 {
  # 0x09: sets how long messages in this conversation live after being read; 0 turns it off.
  messageId @0 :Data;
  sentAtMillis @1 :UInt64;
  seconds @2 :UInt32;
}
