package org.quicproquo.client.messenger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.quicproquo.mls.message.Extension;

/**
 * qpq's GroupContext extension (RFC 9420 §13.3, private-use type {@link #TYPE}): what kind of
 * conversation the group is and its name. Being in the GroupContext, every member agrees on it,
 * joiners read it from the Welcome, and renaming is a GroupContextExtensions commit.
 *
 * <p>{@code extension_data}: {@code u8 version (1) || u8 kind (1 = DM, 2 = group) ||
 * u16 name length || name (UTF-8, at most 64 bytes)}.
 */
record GroupProfile(boolean dm, String name) {
  /** Extension type, from the private-use range 0xF000-0xFFFF. */
  static final int TYPE = 0xF0A1;
  static final int MAX_NAME_BYTES = 64;

  GroupProfile {
    if (name == null || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new MessengerException("A group name is at most " + MAX_NAME_BYTES
          + " bytes of UTF-8 without control characters.");
    }
  }

  Extension toExtension() {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    return new Extension(TYPE, ByteBuffer.allocate(4 + n.length).put((byte) 1)
        .put((byte) (dm ? 1 : 2)).putShort((short) n.length).put(n).array());
  }

  /** The profile among {@code extensions}, if present and well-formed. */
  static Optional<GroupProfile> from(List<Extension> extensions) {
    for (Extension e : extensions) {
      if (e.extensionType() == TYPE) {
        return decode(e.extensionData());
      }
    }
    return Optional.empty();
  }

  private static Optional<GroupProfile> decode(byte[] d) {
    if (d.length < 4 || d[0] != 1 || (d[1] != 1 && d[1] != 2)) {
      return Optional.empty();
    }
    int n = ((d[2] & 0xff) << 8) | (d[3] & 0xff);
    if (n > MAX_NAME_BYTES || d.length != 4 + n) {
      return Optional.empty();
    }
    try {
      String name = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(d, 4, n)).toString();
      return Optional.of(new GroupProfile(d[1] == 1, name));
    } catch (CharacterCodingException | MessengerException e) {
      return Optional.empty();
    }
  }

  /** {@code extensions} with this profile in place of any earlier one. */
  List<Extension> replaceIn(List<Extension> extensions) {
    List<Extension> out = new java.util.ArrayList<>();
    for (Extension e : extensions) {
      if (e.extensionType() != TYPE) {
        out.add(e);
      }
    }
    out.add(toExtension());
    return out;
  }
}
