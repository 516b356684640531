package org.quicproquo.server;

/**
 * The checks {@code uploadKeyPackages} makes on every KeyPackage before storing anything
 * (docs/wire.md "KeyPackages"). Each rule has a stable id that appears in the
 * {@code BAD_KEY_PACKAGE} detail, in the test that covers it and in the docs.
 */
enum KeyPackageRule {
  /** The bytes are exactly one MLSMessage (mls10) with wire_format mls_key_package. */
  FORMAT("KP-1"),
  /** KeyPackage.version is mls10 (RFC 9420 §10.1). */
  VERSION("KP-2"),
  /** cipher_suite is one the server lists in {@code serverInfo.cipherSuites}. */
  CIPHER_SUITE("KP-3"),
  /** leaf_node_source is key_package (§10.1). */
  LEAF_SOURCE("KP-4"),
  /** The credential is basic and its identity is the UTF-8 of the uploader's user name. */
  CREDENTIAL("KP-5"),
  /** The leaf lists its own credential type in its capabilities (§7.2). */
  CAPABILITIES("KP-6"),
  /** The leaf's signature_key is the uploading device's registered Ed25519 key. */
  SIGNATURE_KEY("KP-7"),
  /** The leaf's lifetime covers the server's current time (§7.2, bounds inclusive). */
  LIFETIME("KP-8"),
  /** init_key differs from the leaf's encryption_key (§10.1). */
  INIT_KEY("KP-9"),
  /** No two KeyPackages of one upload share an init_key (each must be usable once). */
  DISTINCT("KP-10"),
  /** The leaf node signature (LeafNodeTBS) verifies under signature_key (§7.2). */
  LEAF_SIGNATURE("KP-11"),
  /** The KeyPackage signature (KeyPackageTBS) verifies under signature_key (§10.1). */
  SIGNATURE("KP-12");

  private final String id;

  KeyPackageRule(String id) {
    this.id = id;
  }

  /** The stable id, {@code KP-n}. */
  String id() {
    return id;
  }
}
