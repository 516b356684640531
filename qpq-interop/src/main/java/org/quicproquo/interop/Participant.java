package org.quicproquo.interop;

/**
 * One MLS client in an interop group, on either side: qpq-mls ({@link JavaParticipant}) or a
 * ts-mls member of the peer ({@link TsParticipant}). Messages travel as MLSMessage bytes.
 */
sealed interface Participant permits JavaParticipant, TsParticipant {

  /** Name for output, with the implementation, e.g. {@code java:alice}. */
  String label();

  /** Own leaf index in the group. */
  int leafIndex() throws InteropException;

  /** Current epoch. */
  long epoch() throws InteropException;

  /** epoch_authenticator of the current epoch (RFC 9420 §8.7). */
  byte[] epochAuthenticator() throws InteropException;

  /** MLS-Exporter (§8.5) of the current epoch. */
  byte[] exportSecret(String label, byte[] context, int length) throws InteropException;

  /** Processes a PublicMessage or PrivateMessage. */
  Received process(byte[] message) throws InteropException;

  /** Encrypts application data as a PrivateMessage. */
  byte[] encrypt(byte[] data) throws InteropException;

  /** A commit's wire bytes and, when it added members, the Welcome and the new tree. */
  record Committed(byte[] commit, byte[] welcome, byte[] ratchetTree) {
    public Committed {
      commit = commit.clone();
      welcome = welcome == null ? null : welcome.clone();
      ratchetTree = ratchetTree.clone();
    }

    @Override
    public byte[] commit() {
      return commit.clone();
    }

    @Override
    public byte[] welcome() {
      return welcome == null ? null : welcome.clone();
    }

    @Override
    public byte[] ratchetTree() {
      return ratchetTree.clone();
    }
  }

  /**
   * What processing one message did: {@code kind} is application, proposal or commit;
   * {@code data} the application data (empty otherwise); {@code active} false once removed.
   */
  record Received(String kind, byte[] data, boolean active) {
    public Received {
      data = data.clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }
  }
}
