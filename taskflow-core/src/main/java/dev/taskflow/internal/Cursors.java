package dev.taskflow.internal;

import dev.taskflow.InvalidJobException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** Opaque keyset cursors for job listings: {@code base64url("j1:" + lastId)}. */
public final class Cursors {
  private static final String PREFIX = "j1:";

  private Cursors() {}

  public static String encode(UUID lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws InvalidJobException field {@code cursor}, rule {@code invalid_cursor}
   */
  public static UUID decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) return null;
    try {
      if (cursor.length() > 128) throw new IllegalArgumentException();
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!s.startsWith(PREFIX)) throw new IllegalArgumentException();
      String id = s.substring(PREFIX.length());
      UUID uuid = UUID.fromString(id);
      if (!uuid.toString().equals(id)) throw new IllegalArgumentException();
      return uuid;
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException(
          "cursor",
          "invalid_cursor",
          null,
          "cursor is not one this server issued; pass the nextCursor of a previous page");
    }
  }
}
