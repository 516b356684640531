package org.quicproquo.client.messenger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.quicproquo.client.LinkMailbox;
import org.quicproquo.client.NodeClient;
import org.quicproquo.core.identity.AuthTranscripts;
import org.quicproquo.core.identity.DeviceKeyPair;
import org.quicproquo.core.identity.IdentityKey;
import org.quicproquo.core.identity.IdentityKeyPair;
import org.quicproquo.core.identity.InvalidIdentityException;
import org.quicproquo.core.identity.UserName;
import org.quicproquo.core.keystore.Argon2Params;
import org.quicproquo.core.keystore.UserSecrets;

/**
 * Both ends of device linking (docs/wire.md "Devices and linking").
 *
 * <pre>
 *  existing device                      server mailbox                  new device
 *  code = 12 random chars (shown)
 *  (id, k) = Argon2id(code)                                        (id, k) = Argon2id(code, typed)
 *  openLink(id, seal_k(name, identity key))  ------------------>   joinLink(id) -> offer
 *                                                                  new device key D
 *                       <------------------  joinLink(id, seal_k(D, sig_D(id, offer, D)))
 *  answerLink(id) -> request; check sig_D
 *  cert = sig_identity(name, D); registerDevice(D, cert) -> device id
 *  answerLink(id, seal_k(id, cert, identity private key)) ----->   joinLink(id, same) -> reply
 *  add D's leaf to every conversation                              check cert, keys; log in
 * </pre>
 *
 * Polling happens on a thread of this class's own (the messenger's thread only does the short
 * steps that touch its state), so the messenger keeps syncing while a link waits.
 */
final class DeviceLinker implements AutoCloseable {
  /** How often the mailbox is polled. */
  static final Duration POLL = Duration.ofMillis(300);
  /** How long the existing device keeps adding the new device to groups after certifying it. */
  static final Duration JOIN_WAIT = Duration.ofMinutes(2);

  private final Messenger messenger;
  private final NodeClient node;
  private final SecureRandom random;
  private final Clock clock;
  private volatile Argon2Params kdf = Argon2Params.DEFAULT;
  private volatile Duration lifetime = Duration.ofMinutes(10);
  private ScheduledExecutorService poller;
  private boolean closed;

  DeviceLinker(Messenger messenger, NodeClient node, SecureRandom random, Clock clock) {
    this.messenger = messenger;
    this.node = node;
    this.random = random;
    this.clock = clock;
  }

  /** Argon2id cost of deriving the code's keys (tests lower it; both ends must agree). */
  void kdf(Argon2Params params) {
    this.kdf = params;
  }

  /** How long a new code lives (the server caps it). */
  void lifetime(Duration d) {
    this.lifetime = d;
  }

  // ---------------------------------------------------------------- existing device

  /** Opens a link for {@code owner}'s account and starts waiting for the new device. */
  DeviceLink start(UserName owner, IdentityKeyPair identity) {
    LinkCode code = LinkCode.generate(random);
    LinkSecrets k = LinkSecrets.derive(code, kdf);
    LinkMessages.Offer offer = new LinkMessages.Offer(owner.value(),
        identity.publicKey().bytes());
    long expires = messenger.await(node.openLink(k.lookupId(),
        k.seal(LinkSecrets.OFFER, offer.encode(), random),
        (int) Math.min(Integer.MAX_VALUE, lifetime.toSeconds())), "open a device link");
    Instant expiresAt = Instant.ofEpochMilli(expires);
    CompletableFuture<Long> joined = new CompletableFuture<>();
    schedule(() -> awaitRequest(owner, identity, k, offer, expiresAt, joined));
    return new DeviceLink(code, expiresAt, joined);
  }

  private void awaitRequest(UserName owner, IdentityKeyPair identity, LinkSecrets k,
      LinkMessages.Offer offer, Instant expiresAt, CompletableFuture<Long> joined) {
    if (joined.isDone()) {
      return;
    }
    try {
      if (!clock.instant().isBefore(expiresAt)) {
        throw new DeviceLinkException(DeviceLinkException.Reason.TIMED_OUT,
            "No device used the link code before it expired.");
      }
      byte[] sealed = messenger.await(node.answerLink(k.lookupId(), new byte[0]),
          "check the device link");
      if (sealed.length == 0) {
        schedule(() -> awaitRequest(owner, identity, k, offer, expiresAt, joined));
        return;
      }
      try {
        certifyAndReply(owner, identity, k, offer, sealed, joined);
      } catch (RuntimeException e) {
        refuse(k, e);
        throw e;
      }
    } catch (RuntimeException e) {
      joined.completeExceptionally(linkFailure(e));
    }
  }

  private void certifyAndReply(UserName owner, IdentityKeyPair identity, LinkSecrets k,
      LinkMessages.Offer offer, byte[] sealed, CompletableFuture<Long> joined) {
    LinkMessages.Request request =
        LinkMessages.Request.decode(k.open(LinkSecrets.REQUEST, sealed));
    IdentityKey deviceKey;
    try {
      deviceKey = IdentityKey.of(request.deviceKey()); // an Ed25519 key check, nothing more
    } catch (InvalidIdentityException e) {
      throw LinkSecrets.tampered(e);
    }
    if (!deviceKey.verify(LinkMessages.Request.signedPart(k.lookupId(), offer,
        request.deviceKey()), request.signature())) {
      throw LinkSecrets.tampered(null);
    }
    byte[] certificate = identity.sign(
        AuthTranscripts.deviceCertificate(owner.value(), request.deviceKey()));
    long deviceId = messenger.registerLinkedDevice(request.deviceKey(), certificate);
    LinkMessages.Reply reply = new LinkMessages.Reply(deviceId, certificate,
        identity.privateKeyBytes());
    messenger.await(node.answerLink(k.lookupId(),
        k.seal(LinkSecrets.REPLY, reply.encode(), random)), "answer the new device");
    Instant until = clock.instant().plus(JOIN_WAIT);
    schedule(() -> addToConversations(deviceId, until, joined));
  }

  /** Tells the waiting new device that this device will not link it (best effort). */
  private void refuse(LinkSecrets k, RuntimeException why) {
    int reason = linkFailure(why) instanceof DeviceLinkException d
        && d.reason() == DeviceLinkException.Reason.TOO_MANY_DEVICES
        ? LinkMessages.Refusal.TOO_MANY_DEVICES : LinkMessages.Refusal.OTHER;
    try {
      messenger.await(node.answerLink(k.lookupId(), k.seal(LinkSecrets.REFUSAL,
          new LinkMessages.Refusal(reason).encode(), random)), "tell the new device");
    } catch (RuntimeException e) {
      // it learns from the code's expiry instead
    }
  }

  /** Adds the new device to every conversation once its KeyPackages are on the server. */
  private void addToConversations(long deviceId, Instant until,
      CompletableFuture<Long> joined) {
    if (joined.isDone()) {
      return;
    }
    try {
      Set<Long> waiting = messenger.reconcileDevices();
      if (!waiting.contains(deviceId)) {
        joined.complete(deviceId);
      } else if (clock.instant().isAfter(until)) {
        // Linked all the same: the next reconciliation (every connect) adds it.
        joined.complete(deviceId);
      } else {
        schedule(() -> addToConversations(deviceId, until, joined));
      }
    } catch (RuntimeException e) {
      joined.completeExceptionally(e);
    }
  }

  // ---------------------------------------------------------------- new device

  /** The keys and id a new device ends up with. */
  record Linked(UserSecrets secrets, long deviceId) {
  }

  /**
   * Runs the new device's side on the calling thread: fetches and opens the offer, posts the
   * request, waits for the reply (until the server says the code expired), and checks it.
   */
  Linked join(UserName user, String typedCode) {
    LinkCode code = LinkCode.parse(typedCode);
    LinkSecrets k = LinkSecrets.derive(code, kdf);
    LinkMailbox first = joinCall(k, new byte[0]);
    LinkMessages.Offer offer = LinkMessages.Offer.decode(k.open(LinkSecrets.OFFER, first.offer()));
    if (!offer.userName().equals(user.value())) {
      throw new DeviceLinkException(DeviceLinkException.Reason.WRONG_USER,
          "That link code is for another account, not " + user.value() + ".");
    }
    IdentityKey identity;
    try {
      identity = IdentityKey.of(offer.identityKey());
    } catch (InvalidIdentityException e) {
      throw LinkSecrets.tampered(e);
    }
    DeviceKeyPair device = DeviceKeyPair.generate(random);
    byte[] deviceKey = device.publicKey().bytes();
    byte[] signature = device.sign(LinkMessages.Request.signedPart(k.lookupId(), offer, deviceKey));
    byte[] request = k.seal(LinkSecrets.REQUEST,
        new LinkMessages.Request(deviceKey, signature).encode(), random);
    LinkMailbox box = joinCall(k, request);
    while (!box.answered()) {
      sleep(POLL);
      box = joinCall(k, request);
    }
    LinkMessages.Reply reply = LinkMessages.Reply.decode(openReply(k, box.reply()));
    IdentityKeyPair identityPair;
    try {
      identityPair = IdentityKeyPair.fromPrivateKey(reply.identityPrivateKey());
    } catch (InvalidIdentityException e) {
      throw LinkSecrets.tampered(e);
    }
    if (!Arrays.equals(identityPair.publicKey().bytes(), identity.bytes())
        || !identity.verify(AuthTranscripts.deviceCertificate(user.value(), deviceKey),
            reply.certificate())
        || reply.deviceId() <= 0) {
      throw LinkSecrets.tampered(null);
    }
    return new Linked(new UserSecrets(user, Optional.of(identityPair), device), reply.deviceId());
  }

  /** The reply's plaintext; a refusal from the other device becomes its exception. */
  private static byte[] openReply(LinkSecrets k, byte[] sealed) {
    try {
      return k.open(LinkSecrets.REPLY, sealed);
    } catch (DeviceLinkException notAReply) {
      LinkMessages.Refusal refusal;
      try {
        refusal = LinkMessages.Refusal.decode(k.open(LinkSecrets.REFUSAL, sealed));
      } catch (DeviceLinkException neither) {
        throw notAReply;
      }
      if (refusal.reason() == LinkMessages.Refusal.TOO_MANY_DEVICES) {
        throw new DeviceLinkException(DeviceLinkException.Reason.TOO_MANY_DEVICES,
            "The account has the most devices it may have; revoke one on another device "
                + "(/device revoke ID) and make a new code.");
      }
      throw new DeviceLinkException(DeviceLinkException.Reason.REFUSED,
          "Your other device refused to link this one (its screen says why); make a new code.");
    }
  }

  private LinkMailbox joinCall(LinkSecrets k, byte[] request) {
    return messenger.await(node.joinLink(k.lookupId(), request), "use the link code");
  }

  // ---------------------------------------------------------------- plumbing

  /** Turns the server's link errors into what a person can act on. */
  static RuntimeException linkFailure(RuntimeException e) {
    if (e instanceof DeviceLinkException) {
      return e;
    }
    if (e instanceof MessengerException m
        && m.getCause() instanceof org.quicproquo.rpc.RpcException r) {
      return switch (r.code()) {
        case "LINK_NOT_FOUND" -> new DeviceLinkException(DeviceLinkException.Reason.WRONG_CODE,
            "No device link has that code; check it, or make a new one on your other device.", e);
        case "LINK_EXPIRED" -> new DeviceLinkException(DeviceLinkException.Reason.EXPIRED_CODE,
            "That link code expired; make a new one on your other device.", e);
        case "LINK_USED" -> new DeviceLinkException(DeviceLinkException.Reason.USED_CODE,
            "That link code was used already; make a new one on your other device.", e);
        case "TOO_MANY_DEVICES" -> new DeviceLinkException(
            DeviceLinkException.Reason.TOO_MANY_DEVICES,
            "This account has the most devices it may have; revoke one with /device revoke ID.",
            e);
        default -> e;
      };
    }
    return e;
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessengerException("Interrupted while waiting for the other device.", e);
    }
  }

  private synchronized void schedule(Runnable step) {
    if (closed) {
      return;
    }
    if (poller == null) {
      poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "qpq-device-link");
        t.setDaemon(true);
        return t;
      });
    }
    poller.schedule(step, POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
