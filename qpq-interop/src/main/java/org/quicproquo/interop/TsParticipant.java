package org.quicproquo.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;

/** A ts-mls member held by the peer, addressed by its unique member name. */
final class TsParticipant implements Participant {
  private static final HexFormat HEX = HexFormat.of();

  private final TsMlsPeer peer;
  private final String member;
  private final int suite;
  private int leafIndex = -1;

  TsParticipant(TsMlsPeer peer, String member, int suite) {
    this.peer = peer;
    this.member = member;
    this.suite = suite;
  }

  static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  static byte[] unhex(JsonNode n) throws InteropException {
    if (n == null || !n.isTextual()) {
      throw new InteropException("expected a hex string, got " + n);
    }
    try {
      return HEX.parseHex(n.asText());
    } catch (IllegalArgumentException e) {
      throw new InteropException("bad hex from the peer: " + e.getMessage(), e);
    }
  }

  /** Request fields naming this member (and its suite, for commands that may create it). */
  ObjectNode req() {
    ObjectNode o = peer.object();
    o.put("member", member);
    o.put("suite", suite);
    return o;
  }

  JsonNode call(String cmd, ObjectNode fields) throws InteropException {
    return peer.call(cmd, fields);
  }

  @Override
  public String label() {
    return "ts-mls:" + member;
  }

  /** A fresh KeyPackage (MLSMessage bytes); {@code extensionTypes} are added to its capabilities. */
  byte[] keyPackage(int... extensionTypes) throws InteropException {
    ObjectNode o = req();
    withCapabilities(o, extensionTypes);
    return unhex(call("generateKeyPackage", o).get("keyPackage"));
  }

  private void withCapabilities(ObjectNode o, int... extensionTypes) {
    if (extensionTypes.length > 0) {
      ArrayNode ext = o.putObject("capabilities").putArray("extensions");
      for (int t : extensionTypes) {
        ext.add(t);
      }
    }
  }

  /** Creates a one-member group. */
  void createGroup(int... extensionTypes) throws InteropException {
    ObjectNode o = req();
    withCapabilities(o, extensionTypes);
    leafIndex = call("createGroup", o).get("leafIndex").asInt();
  }

  /** Joins from a Welcome, with the tree out of band when {@code ratchetTree} is not null. */
  void join(byte[] welcome, byte[] ratchetTree) throws InteropException {
    ObjectNode o = req();
    o.put("welcome", hex(welcome));
    if (ratchetTree != null) {
      o.put("ratchetTree", hex(ratchetTree));
    }
    leafIndex = call("joinFromWelcome", o).get("leafIndex").asInt();
  }

  /** Joins by external commit from a GroupInfo; returns the commit. */
  byte[] externalJoin(byte[] groupInfo) throws InteropException {
    ObjectNode o = req();
    o.put("groupInfo", hex(groupInfo));
    JsonNode r = call("externalJoin", o);
    leafIndex = r.get("leafIndex").asInt();
    return unhex(r.get("commit"));
  }

  /** A GroupInfo with external_pub (RFC encoding) and the ratchet_tree extension. */
  byte[] groupInfo() throws InteropException {
    ObjectNode o = req();
    o.put("ratchetTree", true);
    return unhex(call("exportGroupInfo", o).get("groupInfo"));
  }

  /** Commits {@code proposals} (peer JSON form) plus everything held by reference. */
  Committed commit(ArrayNode proposals, boolean publicMessage, boolean treeInWelcome)
      throws InteropException {
    ObjectNode o = req();
    o.set("proposals", proposals);
    o.put("publicMessage", publicMessage);
    o.put("ratchetTreeExtension", treeInWelcome);
    JsonNode r = call("commit", o);
    return new Committed(unhex(r.get("commit")),
        r.hasNonNull("welcome") ? unhex(r.get("welcome")) : null, unhex(r.get("ratchetTree")));
  }

  /** A full-path commit (ts-mls' only kind of self-update), also covering held proposals. */
  Committed update(boolean publicMessage) throws InteropException {
    return commit(peer.mapper().createArrayNode(), publicMessage, true);
  }

  /** An empty proposal list for {@link #commit}. */
  ArrayNode proposals() {
    return peer.mapper().createArrayNode();
  }

  /** Sends one proposal by reference; returns its MLSMessage. */
  byte[] propose(ObjectNode proposal) throws InteropException {
    ObjectNode o = req();
    o.set("proposal", proposal);
    return unhex(call("propose", o).get("proposal"));
  }

  void addExternalPsk(byte[] pskId, byte[] secret) throws InteropException {
    ObjectNode o = req();
    o.put("pskId", hex(pskId));
    o.put("secret", hex(secret));
    call("addExternalPsk", o);
  }

  /** The GroupContext extensions as the peer reports them. */
  JsonNode groupContextExtensions() throws InteropException {
    return call("groupState", req()).get("extensions");
  }

  void delete() throws InteropException {
    call("deleteMember", req());
  }

  @Override
  public int leafIndex() throws InteropException {
    if (leafIndex < 0) {
      leafIndex = call("groupState", req()).get("leafIndex").asInt();
    }
    return leafIndex;
  }

  @Override
  public long epoch() throws InteropException {
    return call("epoch", req()).get("epoch").asLong();
  }

  @Override
  public byte[] epochAuthenticator() throws InteropException {
    return unhex(call("epochAuthenticator", req()).get("epochAuthenticator"));
  }

  @Override
  public byte[] exportSecret(String label, byte[] context, int length) throws InteropException {
    ObjectNode o = req();
    o.put("label", label);
    o.put("context", hex(context));
    o.put("length", length);
    return unhex(call("exportSecret", o).get("secret"));
  }

  @Override
  public Received process(byte[] message) throws InteropException {
    ObjectNode o = req();
    o.put("message", hex(message));
    JsonNode r = call("processMessage", o);
    String kind = r.path("kind").asText();
    if (r.has("leafIndex")) {
      leafIndex = r.get("leafIndex").asInt();
    }
    return new Received(kind, kind.equals("application") ? unhex(r.get("data")) : new byte[0],
        !r.has("active") || r.get("active").asBoolean());
  }

  @Override
  public byte[] encrypt(byte[] data) throws InteropException {
    ObjectNode o = req();
    o.put("data", hex(data));
    return unhex(call("encrypt", o).get("message"));
  }
}
