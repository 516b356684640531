package org.quicproquo.cli;

import org.quicproquo.cli.ChatWorld.Chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /devices}, {@code /device link}, {@code /link CODE} and {@code /device revoke ID}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChatDevicesTest {
  private static final Pattern CODE = Pattern.compile("Link code: (\\w{4}-\\w{4}-\\w{4})  "
      + "\\(valid until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d; show it to no one else\\)");
  @TempDir Path root;
  private ChatWorld world;

  @BeforeEach
  void start() throws Exception {
    world = ChatWorld.start(root);
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private Chat chat(String user, String dir) {
    return world.chat(user, dir);
  }

  @Test
  void linkListAndRevokeADeviceFromTheRepl() {
    Chat desk = chat("alice", "alice");
    Chat bob = chat("bob", "bob");
    desk.run("/register");
    bob.run("/register");
    desk.run("/dm bob");
    assertThat(desk.run("/help")).anyMatch(l -> l.startsWith("  /devices "))
        .anyMatch(l -> l.startsWith("  /device link "))
        .anyMatch(l -> l.startsWith("  /device revoke ID "))
        .anyMatch(l -> l.startsWith("  /link CODE "));

    List<String> shown = desk.run("/device link");
    Matcher m = CODE.matcher(shown.get(0));
    assertThat(m.matches()).as(shown.get(0)).isTrue();
    assertThat(shown.get(1)).startsWith("On the new device run: qpq chat --user alice --link");

    Chat phone = chat("alice", "alice-phone");
    assertThat(phone.screen().all().get(0)).contains("/link CODE");
    assertThat(phone.run("/link nope")).last().asString()
        .isEqualTo("error: A link code is 12 letters and digits, like ABCD-EFGH-JKMN.");
    List<String> linked = phone.run("/link " + m.group(1));
    long phoneId = phone.messenger().deviceId();
    assertThat(linked).contains("Linked: this is device " + phoneId + " of alice; connected."
        + " Conversations appear as your other device adds this one.");
    desk.screen().await(l -> l.equals("Device " + phoneId
        + " joined your account and every conversation."));
    phone.screen().await(l -> l.endsWith("@bob * DM with bob started."));
    assertThat(phone.run("/link " + m.group(1))).containsExactly(
        "error: This state directory already holds the account alice.");

    List<String> devices = desk.run("/devices");
    assertThat(devices).hasSize(2);
    assertThat(devices.get(0)).matches("  device " + desk.messenger().deviceId()
        + "  added \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  \\(this device\\)");
    assertThat(devices.get(1)).matches("  device " + phoneId + "  added .*\\d\\d:\\d\\d");

    // bob must have processed the commit that added the phone: a message he encrypts before
    // that is in the previous epoch, which the phone never had (RFC 9420).
    bob.messenger().sync();
    bob.run("/switch @alice");
    bob.run("to both of you");
    desk.screen().await(l -> l.contains("@bob bob: to both of you"));
    phone.screen().await(l -> l.contains("@bob bob: to both of you"));

    assertThat(desk.run("/device revoke x")).containsExactly(
        "error: /device revoke takes a device id from /devices.");
    assertThat(desk.run("/device")).containsExactly(
        "error: Usage: /device link, or /device revoke ID.");
    assertThat(desk.run("/device revoke " + phoneId)).contains("Device " + phoneId
        + " is revoked: it can no longer connect, and it was removed from every conversation.");
    assertThat(desk.run("/devices")).anyMatch(l -> l.startsWith("  device " + phoneId)
        && l.endsWith("  revoked"));
    assertThat(desk.run("/group-info")).filteredOn(l -> l.startsWith("    alice")).hasSize(1);
  }
}
