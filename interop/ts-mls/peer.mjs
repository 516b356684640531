#!/usr/bin/env node
// ts-mls interop peer: a long-running process that plays one or more MLS (RFC 9420) group members
// with the independent TypeScript implementation ts-mls, driven over newline-delimited JSON.
//
// One request line on stdin -> exactly one response line on stdout, in request order.
// All binary values are lower-case hex. The full protocol is documented in ../README.md.
// Nothing but protocol lines is ever written to stdout (console output is redirected to stderr),
// and no request, however malformed, ends the process: only end of input does.

import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import {
  ciphersuites,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  generateKeyPackage,
  generateKeyPackageWithKey,
  createGroup,
  createCommit,
  createProposal,
  createApplicationMessage,
  joinGroup,
  joinGroupExternal,
  createGroupInfoWithExternalPub,
  createGroupInfoWithExternalPubAndRatchetTree,
  processPrivateMessage,
  processPublicMessage,
  makePskIndex,
  encodeMlsMessage,
  decodeMlsMessage,
  mlsExporter,
  defaultLifetime,
  defaultCapabilities,
  defaultExtensionTypes,
} from "ts-mls";
import { encodeRatchetTree, decodeRatchetTree } from "ts-mls/ratchetTree.js";
import { makeKeyPackageRef } from "ts-mls/keyPackage.js";
import { encodeGroupContext } from "ts-mls/groupContext.js";
import { createGroupInfo } from "ts-mls/createCommit.js";
import { varLenDataEncoder, decodeVarLenData } from "ts-mls/codec/variableLength.js";
import { encode } from "ts-mls/codec/tlsEncoder.js";
import { p256, p384, p521 } from "@noble/curves/nist.js";

// Protocol lines own stdout; anything a library prints goes to stderr instead.
const protocolOut = process.stdout;
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

const TS_MLS_VERSION = JSON.parse(
  readFileSync(new URL("./node_modules/ts-mls/package.json", import.meta.url), "utf8"),
).version;

/** An error whose kind is reported to the driver as-is (bad requests, unknown members, ...). */
class PeerError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

const bad = (message) => new PeerError("BadRequest", message);

// ---------------------------------------------------------------------------------------------
// Value conversion (JSON <-> ts-mls)

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function fromHex(value, field) {
  if (typeof value !== "string" || !HEX.test(value)) throw bad(`${field} must be a hex string of whole bytes`);
  return new Uint8Array(Buffer.from(value, "hex"));
}

function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

function optionalHex(value, field) {
  return value === undefined || value === null ? undefined : fromHex(value, field);
}

function requireString(value, field) {
  if (typeof value !== "string" || value.length === 0) throw bad(`${field} must be a non-empty string`);
  return value;
}

function requireInt(value, field, min = 0, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw bad(`${field} must be an integer in [${min}, ${max}]`);
  }
  return value;
}

function optionalBool(value, field, dflt) {
  if (value === undefined || value === null) return dflt;
  if (typeof value !== "boolean") throw bad(`${field} must be a boolean`);
  return value;
}

function optionalArray(value, field) {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(`${field} must be an array`);
  return value;
}

/** Epochs are uint64 in MLS; they go out as JSON numbers while exact, as decimal strings beyond. */
function epochOut(epoch) {
  return epoch <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(epoch) : epoch.toString();
}

const SUITE_NAME_BY_ID = new Map(Object.entries(ciphersuites).map(([name, id]) => [id, name]));
const EXT_NAME_BY_CODE = new Map(Object.entries(defaultExtensionTypes).map(([name, code]) => [code, name]));

function suiteName(value) {
  if (typeof value === "number") {
    const name = SUITE_NAME_BY_ID.get(value);
    if (name === undefined) throw new PeerError("UnsupportedSuite", `ts-mls does not know ciphersuite ${value}`);
    return name;
  }
  if (typeof value === "string" && Object.hasOwn(ciphersuites, value)) return value;
  throw bad("suite must be a ciphersuite id (number) or ts-mls ciphersuite name");
}

const suiteImpls = new Map();

/** Loads (once) the ts-mls implementation of a suite; failures mean a missing optional package. */
async function suiteImpl(value) {
  const name = suiteName(value);
  if (!suiteImpls.has(name)) {
    try {
      suiteImpls.set(name, await getCiphersuiteImpl(getCiphersuiteFromName(name)));
    } catch (e) {
      throw new PeerError("UnsupportedSuite", `ciphersuite ${name} cannot be loaded: ${e.message}`);
    }
  }
  return suiteImpls.get(name);
}

/** Extension type code -> the value ts-mls uses (a name for the five RFC 9420 types, else the number). */
function extensionTypeIn(code) {
  return EXT_NAME_BY_CODE.get(code) ?? code;
}

function extensionTypeOut(type) {
  return typeof type === "number" ? type : defaultExtensionTypes[type];
}

function extensionsIn(list, field) {
  return optionalArray(list, field).map((e, i) => ({
    extensionType: extensionTypeIn(requireInt(e?.type, `${field}[${i}].type`, 0, 0xffff)),
    extensionData: fromHex(e.data ?? "", `${field}[${i}].data`),
  }));
}

function extensionsOut(list) {
  return list.map((e) => ({ type: extensionTypeOut(e.extensionType), data: toHex(e.extensionData) }));
}

/** Decodes one MLSMessage and insists that it covers the whole input. */
function decodeMessage(hex, field, wireformat) {
  const bytes = fromHex(hex, field);
  let decoded;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (e) {
    throw new PeerError("CodecError", `${field}: ${e.message}`);
  }
  if (decoded === undefined) throw new PeerError("CodecError", `${field} is not a decodable MLSMessage`);
  const [message, used] = decoded;
  if (used !== bytes.length) {
    throw new PeerError("CodecError", `${field}: ${bytes.length - used} trailing bytes after the MLSMessage`);
  }
  if (wireformat !== undefined && message.wireformat !== wireformat) {
    throw new PeerError("CodecError", `${field} is a ${message.wireformat}, expected ${wireformat}`);
  }
  return message;
}

function decodeTree(hex, field) {
  const bytes = fromHex(hex, field);
  let decoded;
  try {
    decoded = decodeRatchetTree(bytes, 0);
  } catch (e) {
    throw new PeerError("CodecError", `${field}: ${e.message}`);
  }
  if (decoded === undefined || decoded[1] !== bytes.length) {
    throw new PeerError("CodecError", `${field} is not exactly one encoded ratchet_tree`);
  }
  return decoded[0];
}

const encodeMessage = (m) => toHex(encodeMlsMessage(m));

// ---------------------------------------------------------------------------------------------
// Members

/**
 * A member is one MLS client: a credential, its unused KeyPackages (with private keys), external
 * PSKs it knows, and — once it is in a group — the ts-mls ClientState.
 */
const members = new Map();

function getMember(name) {
  const m = members.get(requireString(name, "member"));
  if (m === undefined) throw new PeerError("UnknownMember", `no member named ${name}`);
  return m;
}

function inGroup(name) {
  const m = getMember(name);
  if (m.state === undefined) throw new PeerError("NotInGroup", `member ${name} is not in a group`);
  return m;
}

async function ensureMember(req) {
  const name = requireString(req.member, "member");
  const existing = members.get(name);
  if (existing !== undefined) {
    if (req.suite !== undefined && suiteName(req.suite) !== existing.suite) {
      throw bad(`member ${name} already exists with suite ${existing.suite}`);
    }
    if (req.identity !== undefined && req.identity !== toHex(existing.identity)) {
      throw bad(`member ${name} already exists with another identity`);
    }
    return existing;
  }
  if (req.suite === undefined) throw bad("suite is required to create a member");
  const suite = suiteName(req.suite);
  const cs = await suiteImpl(suite);
  const identity = req.identity === undefined ? new TextEncoder().encode(name) : fromHex(req.identity, "identity");
  const m = {
    name,
    suite,
    cs,
    identity,
    keyPackages: [],
    psks: {},
    state: undefined,
    pending: undefined,
  };
  members.set(name, m);
  return m;
}

/**
 * Capabilities for a new leaf. ts-mls' own defaultCapabilities() adds random GREASE values, which
 * makes runs irreproducible, so GREASE is opt-in here ("grease": true).
 */
function capabilitiesFor(req) {
  const caps = req.capabilities ?? {};
  const base = {
    versions: ["mls10"],
    ciphersuites: Object.keys(ciphersuites),
    extensions: optionalArray(caps.extensions, "capabilities.extensions").map((c, i) =>
      requireInt(c, `capabilities.extensions[${i}]`, 0, 0xffff),
    ),
    proposals: optionalArray(caps.proposals, "capabilities.proposals").map((c, i) =>
      requireInt(c, `capabilities.proposals[${i}]`, 0, 0xffff),
    ),
    credentials: ["basic", "x509"],
  };
  if (!optionalBool(req.grease, "grease", false)) return base;
  const greased = defaultCapabilities();
  const extra = (xs) => xs.filter((x) => typeof x === "number" && (x & 0x0f0f) === 0x0a0a);
  return {
    ...base,
    ciphersuites: greased.ciphersuites,
    credentials: greased.credentials,
    extensions: [...base.extensions, ...extra(greased.extensions)],
    proposals: [...base.proposals, ...extra(greased.proposals)],
  };
}

const ECDSA_CURVES = { P256: p256, P384: p384, P521: p521 };

/**
 * A fresh KeyPackage with the member's credential. ts-mls' own key generation gives ECDSA
 * signature keys in compressed SEC1 form, which RFC 9420 §5.1.1 does not allow
 * (UncompressedPointRepresentation); unless "compressedSignatureKeys" is set, ECDSA keys are made
 * here in uncompressed form and handed to ts-mls' generateKeyPackageWithKey.
 */
async function makeKeyPackage(cs, suite, identity, req) {
  const credential = { credentialType: "basic", identity };
  const capabilities = capabilitiesFor(req);
  const kpExtensions = extensionsIn(req.keyPackageExtensions, "keyPackageExtensions");
  const leafExtensions = extensionsIn(req.leafNodeExtensions, "leafNodeExtensions");
  const curve = ECDSA_CURVES[getCiphersuiteFromName(suite).signature];
  if (curve === undefined || optionalBool(req.compressedSignatureKeys, "compressedSignatureKeys", false)) {
    return generateKeyPackage(credential, capabilities, defaultLifetime, kpExtensions, cs, leafExtensions);
  }
  const signKey = curve.utils.randomSecretKey();
  const keyPair = { signKey, publicKey: curve.getPublicKey(signKey, false) };
  return generateKeyPackageWithKey(credential, capabilities, defaultLifetime, kpExtensions, keyPair, cs, leafExtensions);
}

function newKeyPackage(m, req) {
  return makeKeyPackage(m.cs, m.suite, m.identity, req);
}

function pskIndexFor(m, state) {
  return makePskIndex(state, m.psks);
}

function ratchetTreeHex(state) {
  return toHex(encodeRatchetTree(state.ratchetTree));
}

function ownLeafIndex(state) {
  return state.privatePath.leafIndex;
}

function summary(m) {
  const s = m.state;
  return {
    epoch: epochOut(s.groupContext.epoch),
    epochAuthenticator: toHex(s.keySchedule.epochAuthenticator),
    leafIndex: ownLeafIndex(s),
    active: s.groupActiveState.kind === "active",
  };
}

function membersOf(state) {
  const out = [];
  state.ratchetTree.forEach((node, nodeIndex) => {
    if (nodeIndex % 2 === 0 && node !== undefined && node.nodeType === "leaf") {
      const cred = node.leaf.credential;
      out.push({
        leafIndex: nodeIndex / 2,
        credentialType: cred.credentialType,
        identity: cred.credentialType === "basic" ? toHex(cred.identity) : undefined,
        signatureKey: toHex(node.leaf.signaturePublicKey),
        encryptionKey: toHex(node.leaf.hpkePublicKey),
      });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// external_pub (RFC 9420 §12.4.3.2): struct { HPKEPublicKey external_pub; } ExternalPub, where
// HPKEPublicKey is opaque<V>. ts-mls 1.6.4 writes and reads the bare key without the length
// prefix; the peer writes the RFC form unless asked otherwise and reads both.

/** Npk of each suite's KEM (RFC 9180 §7.1), to tell the two external_pub encodings apart. */
const KEM_PUBLIC_KEY_LENGTH = {
  "DHKEM-X25519-HKDF-SHA256": 32,
  "DHKEM-P256-HKDF-SHA256": 65,
  "DHKEM-X448-HKDF-SHA512": 56,
  "DHKEM-P521-HKDF-SHA512": 133,
  "DHKEM-P384-HKDF-SHA384": 97,
};

async function externalPublicKey(state, cs) {
  const pair = await cs.hpke.deriveKeyPair(state.keySchedule.externalSecret);
  return cs.hpke.exportPublicKey(pair.publicKey);
}

/** The GroupInfo of the member's epoch for external joiners, signed by the member. */
async function groupInfoForExternalJoin(m, withTree, extra, encoding) {
  const key = await externalPublicKey(m.state, m.cs);
  const data = encoding === "rfc" ? encode(varLenDataEncoder)(key) : key;
  const extensions = [...extra, { extensionType: "external_pub", extensionData: data }];
  if (withTree) extensions.push({ extensionType: "ratchet_tree", extensionData: encodeRatchetTree(m.state.ratchetTree) });
  return createGroupInfo(m.state.groupContext, m.state.confirmationTag, m.state, extensions, m.cs);
}

/**
 * How a GroupInfo encodes external_pub ("rfc" or "ts-mls"), and a view of the suite for
 * joinGroupExternal that imports the RFC form correctly: ts-mls hands the extension body straight
 * to HPKE, so that one byte string is swapped for the key it contains.
 */
function externalJoinSuite(gi, cs) {
  const ext = gi.extensions.find((e) => e.extensionType === "external_pub");
  if (ext === undefined) throw new PeerError("ValidationError", "GroupInfo has no external_pub extension");
  const npk = KEM_PUBLIC_KEY_LENGTH[getCiphersuiteFromName(cs.name).hpke.kem];
  const wire = ext.extensionData;
  if (wire.length === npk) return { encoding: "ts-mls", cs };
  const decoded = decodeVarLenData(wire, 0);
  if (decoded === undefined || decoded[1] !== wire.length || decoded[0].length !== npk) {
    throw new PeerError("CodecError", `external_pub is neither an ExternalPub struct nor a bare ${npk}-byte key`);
  }
  const key = decoded[0];
  const hpke = new Proxy(cs.hpke, {
    get(target, prop) {
      if (prop === "importPublicKey") {
        return (k) => target.importPublicKey(Buffer.compare(Buffer.from(k), Buffer.from(wire)) === 0 ? key : k);
      }
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { encoding: "rfc", cs: { ...cs, hpke } };
}

function externalPubEncodingIn(value) {
  if (value === undefined || value === null) return "rfc";
  if (value === "rfc" || value === "ts-mls") return value;
  throw bad('externalPubEncoding must be "rfc" or "ts-mls"');
}

// ---------------------------------------------------------------------------------------------
// Proposals described in JSON

function proposalIn(p, field, cs) {
  if (p === null || typeof p !== "object") throw bad(`${field} must be an object`);
  switch (p.type) {
    case "add": {
      const msg = decodeMessage(p.keyPackage, `${field}.keyPackage`, "mls_key_package");
      return { proposalType: "add", add: { keyPackage: msg.keyPackage } };
    }
    case "remove":
      return { proposalType: "remove", remove: { removed: requireInt(p.leafIndex, `${field}.leafIndex`, 0, 0xffffffff) } };
    case "psk": {
      // An external PSK (RFC 9420 §8.4); the nonce is fresh and KDF-sized unless given.
      const nonce = optionalHex(p.pskNonce, `${field}.pskNonce`) ?? new Uint8Array(randomBytes(cs.kdf.size));
      return {
        proposalType: "psk",
        psk: { preSharedKeyId: { psktype: "external", pskId: fromHex(p.pskId, `${field}.pskId`), pskNonce: nonce } },
      };
    }
    case "groupContextExtensions":
      return {
        proposalType: "group_context_extensions",
        groupContextExtensions: { extensions: extensionsIn(p.extensions, `${field}.extensions`) },
      };
    case "update":
      throw new PeerError(
        "Unsupported",
        "ts-mls 1.6.4 has no API to create an Update proposal (it can only receive and commit others' Updates); use the update command (a commit with path) instead",
      );
    default:
      throw bad(`${field}.type must be one of add, remove, psk, groupContextExtensions`);
  }
}

function proposalOut(p) {
  switch (p.proposalType) {
    case "add":
      return { type: "add", identity: toHex(p.add.keyPackage.leafNode.credential.identity ?? new Uint8Array()) };
    case "remove":
      return { type: "remove", leafIndex: p.remove.removed };
    case "update":
      return { type: "update" };
    case "psk":
      return { type: "psk", pskType: p.psk.preSharedKeyId.psktype, pskId: p.psk.preSharedKeyId.pskId ? toHex(p.psk.preSharedKeyId.pskId) : undefined };
    case "group_context_extensions":
      return { type: "groupContextExtensions", extensions: extensionsOut(p.groupContextExtensions.extensions) };
    case "external_init":
      return { type: "externalInit" };
    case "reinit":
      return { type: "reinit" };
    default:
      return { type: "custom", proposalType: p.proposalType };
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

/** Creates a commit over `proposals` plus every pending proposal (ts-mls always commits those). */
async function commitWith(m, req, proposals) {
  const apply = optionalBool(req.apply, "apply", true);
  if (m.pending !== undefined) throw new PeerError("PendingCommit", `member ${m.name} has an unmerged commit`);
  const result = await createCommit(
    { state: m.state, cipherSuite: m.cs, pskIndex: pskIndexFor(m, m.state) },
    {
      extraProposals: proposals,
      ratchetTreeExtension: optionalBool(req.ratchetTreeExtension, "ratchetTreeExtension", false),
      wireAsPublicMessage: optionalBool(req.publicMessage, "publicMessage", false),
      authenticatedData: optionalHex(req.authenticatedData, "authenticatedData"),
      groupInfoExtensions: extensionsIn(req.groupInfoExtensions, "groupInfoExtensions"),
    },
  );
  const newState = result.newState;
  if (apply) m.state = newState;
  else m.pending = newState;
  return {
    commit: encodeMessage(result.commit),
    welcome: result.welcome === undefined ? undefined : encodeMessage({ version: "mls10", wireformat: "mls_welcome", welcome: result.welcome }),
    ratchetTree: toHex(encodeRatchetTree(newState.ratchetTree)),
    epoch: epochOut(newState.groupContext.epoch),
    epochAuthenticator: toHex(newState.keySchedule.epochAuthenticator),
    applied: apply,
  };
}

/** Finds the member's KeyPackage that a Welcome is addressed to (by KeyPackageRef). */
async function keyPackageForWelcome(m, welcome) {
  for (const kp of m.keyPackages) {
    const ref = await makeKeyPackageRef(kp.publicPackage, m.cs.hash);
    if (welcome.secrets.some((s) => Buffer.compare(Buffer.from(s.newMember), Buffer.from(ref)) === 0)) return kp;
  }
  throw new PeerError("NoMatchingKeyPackage", `the Welcome has no secrets for any KeyPackage of ${m.name}`);
}

function probeResult(name, ok, error) {
  return { id: ciphersuites[name], name, supported: ok, error };
}

const commands = {
  async hello() {
    const suites = [];
    for (const name of Object.keys(ciphersuites)) {
      try {
        await suiteImpl(name);
        suites.push(probeResult(name, true));
      } catch (e) {
        suites.push(probeResult(name, false, e.message));
      }
    }
    return {
      implementation: "ts-mls",
      version: TS_MLS_VERSION,
      node: process.versions.node,
      suites,
      features: {
        createUpdateProposal: false,
        // ts-mls' own encodings deviate; the peer supplies RFC 9420 ones (see README.md).
        nativeRfcEcdsaSignatureKeys: false,
        nativeRfcExternalPub: false,
        processUpdateProposal: true,
        proposalsByReference: true,
        externalJoin: true,
        externalPsk: true,
        commitGroupContextExtensions: false,
        processGroupContextExtensions: true,
        greaseOptIn: true,
      },
    };
  },

  async generateKeyPackage(req) {
    const m = await ensureMember(req);
    const kp = await newKeyPackage(m, req);
    m.keyPackages.push(kp);
    return {
      keyPackage: encodeMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: kp.publicPackage }),
      keyPackageRef: toHex(await makeKeyPackageRef(kp.publicPackage, m.cs.hash)),
      signatureKey: toHex(kp.publicPackage.leafNode.signaturePublicKey),
    };
  },

  async createGroup(req) {
    const m = await ensureMember(req);
    if (m.state !== undefined) throw bad(`member ${m.name} is already in a group`);
    const kp = await newKeyPackage(m, req);
    const groupId = req.groupId === undefined ? new Uint8Array(randomBytes(16)) : fromHex(req.groupId, "groupId");
    m.state = await createGroup(groupId, kp.publicPackage, kp.privatePackage, extensionsIn(req.extensions, "extensions"), m.cs);
    return { groupId: toHex(groupId), ...summary(m) };
  },

  async addMembers(req) {
    const m = inGroup(req.member);
    const kps = optionalArray(req.keyPackages, "keyPackages");
    if (kps.length === 0) throw bad("keyPackages must not be empty");
    return commitWith(m, req, kps.map((k, i) => proposalIn({ type: "add", keyPackage: k }, `keyPackages[${i}]`, m.cs)));
  },

  async removeMembers(req) {
    const m = inGroup(req.member);
    const leaves = optionalArray(req.leafIndices, "leafIndices");
    if (leaves.length === 0) throw bad("leafIndices must not be empty");
    return commitWith(m, req, leaves.map((l, i) => proposalIn({ type: "remove", leafIndex: l }, `leafIndices[${i}]`, m.cs)));
  },

  async update(req) {
    // With no new proposals ts-mls always sends an UpdatePath: a full self-update of the committer.
    const m = inGroup(req.member);
    return commitWith(m, req, []);
  },

  async commit(req) {
    const m = inGroup(req.member);
    const proposals = optionalArray(req.proposals, "proposals").map((p, i) => proposalIn(p, `proposals[${i}]`, m.cs));
    return commitWith(m, req, proposals);
  },

  async commitPending(req) {
    const m = inGroup(req.member);
    return commitWith(m, req, []);
  },

  async propose(req) {
    const m = inGroup(req.member);
    const proposal = proposalIn(req.proposal, "proposal", m.cs);
    const result = await createProposal(
      m.state,
      optionalBool(req.publicMessage, "publicMessage", false),
      proposal,
      m.cs,
      optionalHex(req.authenticatedData, "authenticatedData"),
    );
    m.state = result.newState;
    return { proposal: encodeMessage(result.message), pendingProposals: Object.keys(m.state.unappliedProposals).length };
  },

  async mergePendingCommit(req) {
    const m = inGroup(req.member);
    if (m.pending === undefined) throw new PeerError("NoPendingCommit", `member ${m.name} has no unmerged commit`);
    m.state = m.pending;
    m.pending = undefined;
    return summary(m);
  },

  async discardPendingCommit(req) {
    const m = inGroup(req.member);
    const had = m.pending !== undefined;
    m.pending = undefined;
    return { discarded: had };
  },

  async joinFromWelcome(req) {
    const m = getMember(req.member);
    if (m.state !== undefined) throw bad(`member ${m.name} is already in a group`);
    const welcome = decodeMessage(req.welcome, "welcome", "mls_welcome").welcome;
    const tree = req.ratchetTree === undefined || req.ratchetTree === null ? undefined : decodeTree(req.ratchetTree, "ratchetTree");
    const kp = await keyPackageForWelcome(m, welcome);
    m.state = await joinGroup(welcome, kp.publicPackage, kp.privatePackage, pskIndexFor(m, undefined), m.cs, tree);
    m.keyPackages = m.keyPackages.filter((k) => k !== kp);
    return { groupId: toHex(m.state.groupContext.groupId), ...summary(m) };
  },

  async exportRatchetTree(req) {
    return { ratchetTree: ratchetTreeHex(inGroup(req.member).state) };
  },

  async exportGroupInfo(req) {
    const m = inGroup(req.member);
    const withTree = optionalBool(req.ratchetTree, "ratchetTree", false);
    const extra = extensionsIn(req.extensions, "extensions");
    const encoding = externalPubEncodingIn(req.externalPubEncoding);
    // ts-mls' own builders (createGroupInfoWithExternalPub[AndRatchetTree]) write the bare key;
    // with "ts-mls" encoding the result is byte-identical to theirs.
    const gi = encoding === "ts-mls" && extra.length === 0
      ? withTree
        ? await createGroupInfoWithExternalPubAndRatchetTree(m.state, extra, m.cs)
        : await createGroupInfoWithExternalPub(m.state, extra, m.cs)
      : await groupInfoForExternalJoin(m, withTree, extra, encoding);
    return {
      externalPubEncoding: encoding,
      groupInfo: encodeMessage({ version: "mls10", wireformat: "mls_group_info", groupInfo: gi }),
      ratchetTree: ratchetTreeHex(m.state),
    };
  },

  async externalJoin(req) {
    const m = await ensureMember(req);
    if (m.state !== undefined) throw bad(`member ${m.name} is already in a group`);
    const gi = decodeMessage(req.groupInfo, "groupInfo", "mls_group_info").groupInfo;
    if (gi.groupContext.cipherSuite !== m.suite) throw bad(`GroupInfo is for ${gi.groupContext.cipherSuite}, member uses ${m.suite}`);
    const tree = req.ratchetTree === undefined || req.ratchetTree === null ? undefined : decodeTree(req.ratchetTree, "ratchetTree");
    const kp = await newKeyPackage(m, req);
    const view = externalJoinSuite(gi, m.cs);
    const result = await joinGroupExternal(
      gi,
      kp.publicPackage,
      kp.privatePackage,
      false,
      view.cs,
      tree,
      undefined,
      optionalHex(req.authenticatedData, "authenticatedData"),
    );
    m.state = result.newState;
    return {
      commit: encodeMessage({ version: "mls10", wireformat: "mls_public_message", publicMessage: result.publicMessage }),
      externalPubEncoding: view.encoding,
      groupId: toHex(m.state.groupContext.groupId),
      ...summary(m),
    };
  },

  async processMessage(req) {
    const m = inGroup(req.member);
    const msg = decodeMessage(req.message, "message");
    const seen = [];
    // Record what the message carried; every proposal and commit is accepted.
    const callback = (incoming) => {
      seen.push(incoming);
      return "accept";
    };
    const before = m.state.groupContext.epoch;
    const pskIndex = pskIndexFor(m, m.state);
    let result;
    if (msg.wireformat === "mls_private_message") {
      // ts-mls' own processMessage() drops the PSK index for PrivateMessages, so call this directly.
      result = await processPrivateMessage(m.state, msg.privateMessage, pskIndex, m.cs, callback);
    } else if (msg.wireformat === "mls_public_message") {
      result = { kind: "newState", ...(await processPublicMessage(m.state, msg.publicMessage, pskIndex, m.cs, callback)) };
    } else {
      throw bad(`processMessage takes PublicMessage or PrivateMessage, not ${msg.wireformat}`);
    }
    m.state = result.newState;
    if (result.kind === "applicationMessage") {
      return { kind: "application", data: toHex(result.message), epoch: epochOut(m.state.groupContext.epoch) };
    }
    const event = seen.at(-1);
    if (event?.kind === "commit") {
      // Another member's commit won the epoch: an unmerged commit of this member is now void.
      const discardedPendingCommit = m.pending !== undefined;
      m.pending = undefined;
      return {
        discardedPendingCommit,
        kind: "commit",
        sender: event.senderLeafIndex ?? null,
        proposals: event.proposals.map((p) => ({ ...proposalOut(p.proposal), sender: p.senderLeafIndex ?? null })),
        previousEpoch: epochOut(before),
        ...summary(m),
      };
    }
    if (event?.kind === "proposal") {
      return {
        kind: "proposal",
        proposal: { ...proposalOut(event.proposal.proposal), sender: event.proposal.senderLeafIndex ?? null },
        pendingProposals: Object.keys(m.state.unappliedProposals).length,
        epoch: epochOut(m.state.groupContext.epoch),
      };
    }
    throw new PeerError("InternalError", "ts-mls processed the message without reporting a commit or proposal");
  },

  async encrypt(req) {
    const m = inGroup(req.member);
    const result = await createApplicationMessage(
      m.state,
      fromHex(req.data, "data"),
      m.cs,
      optionalHex(req.authenticatedData, "authenticatedData"),
    );
    m.state = result.newState;
    return {
      message: encodeMessage({ version: "mls10", wireformat: "mls_private_message", privateMessage: result.privateMessage }),
    };
  },

  async epoch(req) {
    return { epoch: epochOut(inGroup(req.member).state.groupContext.epoch) };
  },

  async epochAuthenticator(req) {
    const s = inGroup(req.member).state;
    return { epoch: epochOut(s.groupContext.epoch), epochAuthenticator: toHex(s.keySchedule.epochAuthenticator) };
  },

  async members(req) {
    return { members: membersOf(inGroup(req.member).state) };
  },

  async groupState(req) {
    const m = inGroup(req.member);
    const gc = m.state.groupContext;
    return {
      ...summary(m),
      groupId: toHex(gc.groupId),
      suite: ciphersuites[gc.cipherSuite],
      treeHash: toHex(gc.treeHash),
      confirmedTranscriptHash: toHex(gc.confirmedTranscriptHash),
      extensions: extensionsOut(gc.extensions),
      groupContext: toHex(encodeGroupContext(gc)),
      pendingProposals: Object.keys(m.state.unappliedProposals).length,
      members: membersOf(m.state),
    };
  },

  async exportSecret(req) {
    const m = inGroup(req.member);
    const secret = await mlsExporter(
      m.state.keySchedule.exporterSecret,
      typeof req.label === "string" ? req.label : "",
      fromHex(req.context ?? "", "context"),
      requireInt(req.length, "length", 0, 0xffff),
      m.cs,
    );
    return { secret: toHex(secret) };
  },

  async addExternalPsk(req) {
    const m = await ensureMember(req);
    const id = fromHex(req.pskId, "pskId");
    m.psks[Buffer.from(id).toString("base64")] = fromHex(req.secret, "secret");
    return { known: Object.keys(m.psks).length };
  },

  async deleteMember(req) {
    const name = requireString(req.member, "member");
    return { deleted: members.delete(name) };
  },

  async listMembers() {
    return {
      members: [...members.values()].map((m) => ({
        member: m.name,
        suite: ciphersuites[m.suite],
        inGroup: m.state !== undefined,
        keyPackages: m.keyPackages.length,
      })),
    };
  },

  async bench(req) {
    return runBench(req);
  },
};

// ---------------------------------------------------------------------------------------------
// Benchmark

const BENCH_OPS = [
  "createAddCommit",
  "processAddCommit",
  "createRemoveCommit",
  "processRemoveCommit",
  "createUpdateCommit",
  "processUpdateCommit",
  "joinFromWelcome",
  "encrypt",
  "decrypt",
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function freshKeyPackage(cs, identity) {
  return makeKeyPackage(cs, cs.name, identity, {});
}

const enc = (s) => new TextEncoder().encode(s);

/**
 * Builds the benchmark group exactly as documented in README.md ("bench"): member 0 creates it,
 * adds members 1..size-1 by add-only commits of `batchSize` KeyPackages each; member 1 joins from
 * the first Welcome (ratchet_tree extension) and processes the later commits; optionally member 0
 * then commits once with an UpdatePath ("selfUpdate").
 */
async function buildBenchGroup(cs, size, batchSize, selfUpdate) {
  const groupId = enc("qpq-bench-group");
  const kp0 = await freshKeyPackage(cs, enc("member-0"));
  let creator = await createGroup(groupId, kp0.publicPackage, kp0.privatePackage, [], cs);
  let observer;
  let observerKp;
  for (let next = 1; next < size; ) {
    const count = Math.min(batchSize, size - next);
    const proposals = [];
    for (let i = 0; i < count; i++) {
      const kp = await freshKeyPackage(cs, enc(`member-${next + i}`));
      if (next + i === 1) observerKp = kp;
      proposals.push({ proposalType: "add", add: { keyPackage: kp.publicPackage } });
    }
    const r = await createCommit({ state: creator, cipherSuite: cs }, { extraProposals: proposals, ratchetTreeExtension: true });
    creator = r.newState;
    if (observer === undefined) {
      observer = await joinGroup(r.welcome, observerKp.publicPackage, observerKp.privatePackage, makePskIndex(undefined, {}), cs);
    } else {
      observer = (await processPrivateMessage(observer, r.commit.privateMessage, makePskIndex(observer, {}), cs)).newState;
    }
    next += count;
  }
  if (selfUpdate) {
    const r = await createCommit({ state: creator, cipherSuite: cs }, {});
    creator = r.newState;
    if (observer !== undefined) {
      observer = (await processPrivateMessage(observer, r.commit.privateMessage, makePskIndex(observer, {}), cs)).newState;
    }
  }
  return { creator, observer };
}

async function timed(f) {
  const t0 = performance.now();
  const value = await f();
  return [performance.now() - t0, value];
}

async function runBench(req) {
  const single = req.ops === undefined || req.ops === null;
  const ops = single ? [requireString(req.op, "op")] : optionalArray(req.ops, "ops");
  if (ops.length === 0) throw bad("ops must not be empty");
  for (const op of ops) if (!BENCH_OPS.includes(op)) throw bad(`op must be one of ${BENCH_OPS.join(", ")}`);
  const cs = await suiteImpl(req.suite ?? 1);
  const size = requireInt(req.groupSize, "groupSize", 2, 100000);
  const params = {
    iterations: requireInt(req.iterations ?? 5, "iterations", 1, 100000),
    warmup: requireInt(req.warmup ?? 1, "warmup", 0, 100000),
    warmupMs: requireInt(req.warmupMs ?? 0, "warmupMs", 0, 600000),
    messageSize: requireInt(req.messageSize ?? 100, "messageSize", 0, 1 << 24),
    publicMessage: optionalBool(req.publicMessage, "publicMessage", false),
  };
  const batchSize = requireInt(req.batchSize ?? size - 1, "batchSize", 1, 100000);
  const selfUpdate = optionalBool(req.selfUpdate, "selfUpdate", false);
  if (size < 3 && ops.includes("processRemoveCommit")) {
    throw bad("processRemoveCommit needs groupSize >= 3 (the observer is leaf 1, the removed member the last leaf)");
  }

  const tBuild = performance.now();
  const group = await buildBenchGroup(cs, size, batchSize, selfUpdate);
  const buildMs = performance.now() - tBuild;

  const results = [];
  for (const op of ops) {
    const timesMs = await benchOp(cs, size, group, op, params);
    results.push({ op, timesMs, medianMs: median(timesMs) });
  }
  const common = {
    suite: ciphersuites[cs.name],
    groupSize: size,
    batchSize,
    selfUpdate,
    iterations: params.iterations,
    warmup: params.warmup,
    warmupMs: params.warmupMs,
    buildMs,
  };
  return single ? { ...common, ...results[0] } : { ...common, results };
}

/**
 * Times `iterations` runs of one operation after untimed warm-up runs: at least `warmup` of them
 * and at least `warmupMs` milliseconds of them (the Java side of `qpq bench mls --peer` uses the
 * same rule); returns milliseconds each.
 */
async function benchOp(cs, size, { creator, observer }, op, { iterations, warmup, warmupMs, messageSize, publicMessage }) {
  const commitOpts = (extra) => ({ extraProposals: extra, wireAsPublicMessage: publicMessage, ratchetTreeExtension: true });
  const processCommit = (state, commit) =>
    commit.wireformat === "mls_public_message"
      ? processPublicMessage(state, commit.publicMessage, makePskIndex(state, {}), cs)
      : processPrivateMessage(state, commit.privateMessage, makePskIndex(state, {}), cs);
  const lastLeaf = size - 1;
  // Every iteration starts from the same group state: ts-mls states are immutable values.
  const addProposal = (kp) => [{ proposalType: "add", add: { keyPackage: kp.publicPackage } }];
  const addCommit = async (i) => {
    const kp = await freshKeyPackage(cs, enc(`bench-new-${i}`));
    return { kp, ...(await createCommit({ state: creator, cipherSuite: cs }, commitOpts(addProposal(kp)))) };
  };
  const removeCommit = () =>
    createCommit({ state: creator, cipherSuite: cs }, commitOpts([{ proposalType: "remove", remove: { removed: lastLeaf } }]));
  const updateCommit = () => createCommit({ state: creator, cipherSuite: cs }, commitOpts([]));

  const once = {
    async createAddCommit(i) {
      const kp = await freshKeyPackage(cs, enc(`bench-new-${i}`));
      return (await timed(() => createCommit({ state: creator, cipherSuite: cs }, commitOpts(addProposal(kp)))))[0];
    },
    async processAddCommit(i) {
      const r = await addCommit(i);
      return (await timed(() => processCommit(observer, r.commit)))[0];
    },
    async createRemoveCommit() {
      return (await timed(removeCommit))[0];
    },
    async processRemoveCommit() {
      const r = await removeCommit();
      return (await timed(() => processCommit(observer, r.commit)))[0];
    },
    async createUpdateCommit() {
      return (await timed(updateCommit))[0];
    },
    async processUpdateCommit() {
      const r = await updateCommit();
      return (await timed(() => processCommit(observer, r.commit)))[0];
    },
    async joinFromWelcome(i) {
      const r = await addCommit(i);
      return (await timed(() => joinGroup(r.welcome, r.kp.publicPackage, r.kp.privatePackage, makePskIndex(undefined, {}), cs)))[0];
    },
  };

  let run;
  if (op === "encrypt" || op === "decrypt") {
    // The sender and receiver states move on with every message, as in a conversation; for
    // decrypt, each message is encrypted (untimed) just before it is decrypted.
    const payload = new Uint8Array(randomBytes(messageSize));
    let sender = creator;
    let receiver = observer;
    run = async () => {
      const [encMs, r] = await timed(() => createApplicationMessage(sender, payload, cs));
      sender = r.newState;
      if (op === "encrypt") return encMs;
      const [ms, d] = await timed(() => processPrivateMessage(receiver, r.privateMessage, makePskIndex(receiver, {}), cs));
      if (d.kind !== "applicationMessage" || Buffer.compare(Buffer.from(d.message), Buffer.from(payload)) !== 0) {
        throw new PeerError("InternalError", "bench decrypt returned the wrong plaintext");
      }
      receiver = d.newState;
      return ms;
    };
  } else {
    run = (i) => once[op](i);
  }
  let i = 0;
  const warmStart = performance.now();
  while (i < warmup || performance.now() - warmStart < warmupMs) await run(i++);
  const times = [];
  for (let k = 0; k < iterations; k++) times.push(await run(i++));
  return times;
}

// ---------------------------------------------------------------------------------------------
// Request loop: strictly sequential, so member states never race.

function errorKind(e) {
  if (e instanceof PeerError) return e.kind;
  const name = e?.constructor?.name;
  return typeof name === "string" && name !== "Error" ? name : "Error";
}

async function handle(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { id: null, error: { kind: "BadJson", message: e.message } };
  }
  const id = req !== null && typeof req === "object" && "id" in req ? req.id : null;
  if (req === null || typeof req !== "object" || Array.isArray(req)) {
    return { id, error: { kind: "BadRequest", message: "a request must be a JSON object" } };
  }
  const command = req.cmd;
  if (typeof command !== "string" || !Object.hasOwn(commands, command)) {
    return { id, error: { kind: "UnknownCommand", message: `unknown cmd ${JSON.stringify(command)}` } };
  }
  try {
    const result = await commands[command](req);
    return { id, ok: true, ...result };
  } catch (e) {
    return { id, error: { kind: errorKind(e), message: String(e?.message ?? e) } };
  }
}

function write(response) {
  protocolOut.write(JSON.stringify(response) + "\n");
}

process.on("uncaughtException", (e) => console.error("peer: uncaught", e));
process.on("unhandledRejection", (e) => console.error("peer: unhandled rejection", e));

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
rl.on("line", (line) => {
  if (line.trim().length === 0) return;
  queue = queue.then(async () => write(await handle(line)));
});
rl.on("close", () => {
  queue.then(() => process.exit(0));
});
