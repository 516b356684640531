package org.quicproquo.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.quicproquo.client.messenger.Conversation;
import org.quicproquo.client.store.StoredMessage;

/**
 * How {@code qpq chat} shows things: one line per history entry, {@code [HH:mm] #conv sender: text}
 * for messages and {@code [HH:mm] #conv * text} for system lines (joins, removals, renames).
 *
 * <p>Everything that came from the network (bodies, names) passes through {@link #clean} first:
 * another member controls those bytes, and a raw escape sequence printed to a terminal could move
 * the cursor, rewrite earlier lines or change the window title.
 */
final class ChatFormat {
  private final DateTimeFormatter time;
  private final DateTimeFormatter dateTime;

  ChatFormat(ZoneId zone) {
    this.time = DateTimeFormatter.ofPattern("HH:mm").withZone(zone);
    this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
  }

  /** A moment as {@code yyyy-MM-dd HH:mm} in this format's zone (device lists, expiries). */
  String dateTime(Instant t) {
    return dateTime.format(t);
  }

  /** One row of {@code /devices}: id, when added, and whether revoked or this device. */
  String deviceRow(org.quicproquo.client.DeviceInfo d) {
    return "  device " + d.deviceId() + "  added " + dateTime(Instant.ofEpochMilli(
        d.createdAtMillis())) + (d.current() ? "  (this device)" : "")
        + (d.revoked() ? "  revoked" : "");
  }

  /** One history line of the conversation labelled {@code label}, live or by {@code /history}. */
  String message(String label, StoredMessage m) {
    String when = "[" + time.format(Instant.ofEpochMilli(m.sentAtMillis())) + "] ";
    String where = clean(label) + " ";
    return switch (m.kind()) {
      case SYSTEM -> when + where + "* " + clean(m.body());
      case TEXT -> when + where + clean(m.sender()) + ": "
          + (m.deleted() ? "(deleted)" : clean(m.body()) + (m.edited() ? " (edited)" : ""))
          + (m.replyTo() == null ? "" : "  [re " + shortId(m.replyTo()) + "]")
          + "  [" + m.shortId() + "]";
      case UNSUPPORTED -> when + where + clean(m.sender()) + ": (" + clean(m.body()) + ")";
      case FILE -> when + where + clean(m.sender()) + ": "
          + (m.deleted() ? "(deleted)" : "[file] " + clean(m.body())) + "  [" + m.shortId() + "]";
    };
  }

  /** A status line about a message (edited, deleted, reacted to, read); not stored history. */
  String status(String label, String text) {
    return "[" + time.format(Instant.now()) + "] " + clean(label) + " * " + clean(text);
  }

  /** A progress line: bytes done of total, percent, rate and time left. */
  static String progress(String what, long done, long total, double rate) {
    double pct = total == 0 ? 100 : 100.0 * done / total;
    long eta = rate <= 0 ? -1 : (long) ((total - done) / rate);
    int bar = (int) (pct / 5);
    return String.format("%s [%s%s] %5.1f%%  %s / %s  %s/s  ETA %s", clean(what),
        "#".repeat(bar), ".".repeat(20 - bar), pct, bytes(done), bytes(total), bytes((long) rate),
        eta < 0 ? "?" : String.format("%d:%02d", eta / 60, eta % 60));
  }

  static String bytes(long n) {
    return n < 1024 ? n + " B" : n < 1 << 20 ? String.format("%.1f KiB", n / 1024.0)
        : n < 1L << 30 ? String.format("%.1f MiB", n / 1048576.0)
        : String.format("%.2f GiB", n / 1073741824.0);
  }

  static String shortId(byte[] id) {
    return java.util.HexFormat.of().formatHex(id, 0, Math.min(4, id.length));
  }

  /**
   * One row of {@code /groups}: marker for the current one, short id, label (padded to
   * {@code labelWidth} code points so the member lists line up), members.
   */
  static String conversationRow(Conversation c, String label, boolean current, int labelWidth) {
    label = clean(label);
    String pad = " ".repeat(Math.max(0, labelWidth - label.codePointCount(0, label.length())));
    String members = c.left() ? "(left)" : clean(String.join(", ", c.members()));
    return (current ? "* " : "  ") + c.shortId() + "  " + label + pad + "  " + members;
  }

  /**
   * The prompt: {@code alice> } with no conversation, {@code alice@#team> } with one
   * ({@code label} null for none).
   */
  static String prompt(String user, String label, boolean left) {
    return label == null ? clean(user) + "> "
        : clean(user) + "@" + clean(label) + (left ? "(left)" : "") + "> ";
  }

  /**
   * {@code text} with every control character (C0, DEL, C1: escape sequences, carriage returns,
   * newlines) and every bidirectional override replaced by U+FFFD, so a line shows as one line and
   * reads in the order it was written.
   */
  static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      boolean bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
      out.appendCodePoint(Character.isISOControl(cp) || bidi ? 0xFFFD : cp);
    });
    return out.toString();
  }
}
