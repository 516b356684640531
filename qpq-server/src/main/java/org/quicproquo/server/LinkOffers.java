package org.quicproquo.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.quicproquo.server.store.UserName;

/**
 * The link mailbox of device linking (docs/wire.md "Devices and linking"): short-lived slots keyed
 * by a 32-byte lookup id that both devices derive from the link code. The server only relays
 * ciphertext sealed under a key derived from the same code; it never sees the code, the keys or
 * what they protect, so nothing in here is secret.
 *
 * <pre>
 *   open(owner, offer) --joinLink(request)--> REQUESTED --answerLink(reply)--> ANSWERED
 *        |                  (first request wins;            (the same reply again is accepted)
 *        |                   a different one: LINK_USED)
 *        '-- expiry: every call LINK_EXPIRED, then forgotten (LINK_NOT_FOUND)
 * </pre>
 *
 * <p>Kept in memory: a link lives minutes, and a server restart only means opening a new one.
 * At most one open link per user (opening another closes the earlier) and at most
 * {@code maxLinks} in all. Thread-safe (every method holds this object's lock; all are short).
 */
final class LinkOffers {
  /** Bytes of a lookup id (derived with Argon2id from the code, docs/wire.md). */
  static final int LOOKUP_ID_BYTES = 32;
  /** Largest offer, request or reply. */
  static final int MAX_SEALED_BYTES = 4096;
  /** How long an expired link still answers LINK_EXPIRED before it is forgotten. */
  static final Duration EXPIRED_GRACE = Duration.ofHours(1);

  private final Clock clock;
  private final Duration defaultLifetime;
  private final Duration maxLifetime;
  private final int maxLinks;
  private final Map<String, Link> links = new HashMap<>();
  private final Map<UserName, String> openByUser = new HashMap<>();

  /** Why a link call failed; {@link #code} is the RPC error code. */
  static final class LinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    LinkException(String code, String detail) {
      super(detail);
      this.code = code;
    }

    String code() {
      return code;
    }
  }

  /** What the new device gets: the offer, and the reply once the owner answered (else empty). */
  record Joined(byte[] offer, byte[] reply) {
    Joined {
      offer = offer.clone();
      reply = reply.clone();
    }

    @Override
    public byte[] offer() {
      return offer.clone();
    }

    @Override
    public byte[] reply() {
      return reply.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Joined j && Arrays.equals(offer, j.offer)
          && Arrays.equals(reply, j.reply);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(offer) + Arrays.hashCode(reply);
    }
  }

  private static final class Link {
    final UserName owner;
    final byte[] offer;
    final Instant expiresAt;
    byte[] request;
    byte[] reply;

    Link(UserName owner, byte[] offer, Instant expiresAt) {
      this.owner = owner;
      this.offer = offer;
      this.expiresAt = expiresAt;
    }
  }

  LinkOffers(Clock clock, Duration defaultLifetime, Duration maxLifetime, int maxLinks) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (defaultLifetime.isNegative() || defaultLifetime.isZero()
        || maxLifetime.compareTo(defaultLifetime) < 0 || maxLinks < 1) {
      throw new IllegalArgumentException("link lifetimes must be positive, default <= max");
    }
    this.defaultLifetime = defaultLifetime;
    this.maxLifetime = maxLifetime;
    this.maxLinks = maxLinks;
  }

  /** Defaults: 10 minutes, at most one hour, 10,000 links at once. */
  static LinkOffers defaults(Clock clock) {
    return new LinkOffers(clock, Duration.ofMinutes(10), Duration.ofHours(1), 10_000);
  }

  /**
   * Opens a link for {@code owner}, closing the owner's earlier one.
   *
   * @param seconds lifetime asked for; 0 means the default, more than the maximum is cut to it
   * @return when it expires
   * @throws LinkException LINK_USED if the id exists (a collision or a replay), QUOTA_EXCEEDED
   */
  synchronized Instant open(UserName owner, byte[] lookupId, byte[] offer, long seconds) {
    String id = checkId(lookupId);
    checkSealed("offer", offer, false);
    Instant now = clock.instant();
    purge(now);
    if (links.containsKey(id)) {
      throw new LinkException(NodeErrors.LINK_USED, "that link id is taken; make a new code");
    }
    String earlier = openByUser.remove(owner);
    if (earlier != null) {
      links.remove(earlier);
    }
    if (links.size() >= maxLinks) {
      throw new LinkException(NodeErrors.QUOTA_EXCEEDED,
          "LINKS quota of " + maxLinks + " open links reached; try again later");
    }
    Duration life = seconds == 0 ? defaultLifetime
        : Duration.ofSeconds(Math.min(seconds, maxLifetime.toSeconds()));
    Instant expires = now.plus(life);
    links.put(id, new Link(owner, offer.clone(), expires));
    openByUser.put(owner, id);
    return expires;
  }

  /**
   * The new device's call: returns the offer (and the reply to this request, once stored). A
   * non-empty request is posted if none was; the same bytes again only poll.
   */
  synchronized Joined join(byte[] lookupId, byte[] request) {
    Link l = live(lookupId);
    checkSealed("request", request, true);
    if (request.length > 0) {
      if (l.request == null) {
        l.request = request.clone();
      } else if (!Arrays.equals(l.request, request)) {
        throw used();
      }
      return new Joined(l.offer, l.reply == null ? new byte[0] : l.reply);
    }
    if (l.request != null) {
      throw used();
    }
    return new Joined(l.offer, new byte[0]);
  }

  /**
   * The owner's call: returns the posted request (empty while none); a non-empty reply is stored
   * once (the same bytes again are accepted).
   */
  synchronized byte[] answer(UserName caller, byte[] lookupId, byte[] reply) {
    Link l = live(lookupId);
    if (!l.owner.equals(caller)) {
      throw new LinkException(NodeErrors.NOT_AUTHORIZED, "that link belongs to another user");
    }
    checkSealed("reply", reply, true);
    if (reply.length > 0) {
      if (l.request == null) {
        throw new LinkException(NodeErrors.LINK_USED, "no request to answer yet");
      }
      if (l.reply == null) {
        l.reply = reply.clone();
      } else if (!Arrays.equals(l.reply, reply)) {
        throw used();
      }
    }
    return l.request == null ? new byte[0] : l.request.clone();
  }

  /** Closes every link of {@code owner} (the account was deleted). */
  synchronized void closeAll(UserName owner) {
    String id = openByUser.remove(owner);
    if (id != null) {
      links.remove(id);
    }
  }

  /** Links held now, expired ones within their grace included. */
  synchronized int size() {
    return links.size();
  }

  private Link live(byte[] lookupId) {
    String id = checkId(lookupId);
    Instant now = clock.instant();
    purge(now);
    Link l = links.get(id);
    if (l == null) {
      throw new LinkException(NodeErrors.LINK_NOT_FOUND, "no such link; check the code");
    }
    if (!now.isBefore(l.expiresAt)) {
      throw new LinkException(NodeErrors.LINK_EXPIRED, "the link code expired; make a new one");
    }
    return l;
  }

  /** Forgets links expired longer than the grace period. */
  private void purge(Instant now) {
    Iterator<Map.Entry<String, Link>> it = links.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Link> e = it.next();
      if (!now.isBefore(e.getValue().expiresAt.plus(EXPIRED_GRACE))) {
        it.remove();
        openByUser.remove(e.getValue().owner, e.getKey());
      }
    }
  }

  private static LinkException used() {
    return new LinkException(NodeErrors.LINK_USED, "this link code was used already");
  }

  private static String checkId(byte[] lookupId) {
    if (lookupId == null || lookupId.length != LOOKUP_ID_BYTES) {
      throw new LinkException(NodeErrors.INVALID_ARGUMENT,
          "a link id has " + LOOKUP_ID_BYTES + " bytes");
    }
    return HexFormat.of().formatHex(lookupId);
  }

  private static void checkSealed(String what, byte[] bytes, boolean mayBeEmpty) {
    if (bytes == null || (!mayBeEmpty && bytes.length == 0) || bytes.length > MAX_SEALED_BYTES) {
      throw new LinkException(NodeErrors.INVALID_ARGUMENT, "the " + what + " must have "
          + (mayBeEmpty ? 0 : 1) + ".." + MAX_SEALED_BYTES + " bytes");
    }
  }
}
