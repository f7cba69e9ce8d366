// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Orgs, work-order settings and payment channels on a real database. */
class OrgTest extends FixtureTest {
  @Test
  void orgCreationMakesTheOrgAndItsFirstAdmin() {
    Record org = f.db.orgGet(f.system, f.orgId);
    assertEquals("org", org.kind());
    assertEquals(List.of("id", "name", "time_zone", "currency", "created_at"), List.copyOf(org.fieldNames()));
    assertEquals(f.orgId, org.id());
    assertEquals(Fixture.ORG_NAME, org.getString("name"));
    assertEquals("Asia/Shanghai", org.getString("time_zone"));
    assertEquals("CNY", org.getString("currency"));
    assertTrue(Math.abs(org.getLong("created_at") - System.currentTimeMillis()) < 60_000);

    Record admin = f.get("staff", f.adminId);
    assertEquals(Fixture.ADMIN_PHONE, admin.getString("phone"));
    assertEquals(f.orgId, admin.getLong("org_id"));
    assertTrue(admin.getRoles("roles").contains(Role.ADMIN), "the admin role is always added");
    assertEquals(1, admin.getLong("active"));
    assertTrue(admin.isNull("department_id"));
    // The admin sees their own org.
    assertEquals(org, f.db.orgGet(f.admin, f.orgId));
  }

  @Test
  void orgsAreListedByIdForTheSystemActorOnly() {
    Database.NewOrg second;
    try (Input org = Input.from(map("name", "第二物业", "time_zone", "Europe/Berlin", "currency", "EUR"));
        Input admin = Input.from(map("name", "Admin", "phone", "+49 30 1234567", "roles", Role.DISPATCHER))) {
      second = f.db.orgCreate(f.system, org, admin);
    }
    assertTrue(second.orgId() > f.orgId && second.adminId() > f.adminId);
    List<Record> orgs = f.db.orgList(f.system).toList();
    assertEquals(List.of(f.orgId, second.orgId()), orgs.stream().map(Record::id).collect(Collectors.toList()));
    assertEquals("EUR", orgs.get(1).getString("currency"));
    try (Actor admin2 = Actor.staff(second.adminId())) {
      assertEquals(EnumSet.of(Role.ADMIN, Role.DISPATCHER), f.db.get("staff", admin2, second.adminId()).getRoles("roles"));
      assertEquals(Role.mask(EnumSet.of(Role.ADMIN, Role.DISPATCHER)), f.db.get("staff", admin2, second.adminId()).getLong("roles"));
      assertEquals("+49301234567", f.db.get("staff", admin2, second.adminId()).getString("phone"));
      // Orgs do not see each other.
      assertThrows(NotFoundException.class, () -> f.db.orgGet(admin2, f.orgId));
      assertThrows(NotFoundException.class, () -> f.db.get("staff", admin2, f.adminId));
    }
    ForbiddenException e = assertThrows(ForbiddenException.class, () -> f.db.orgList(f.admin));
    assertTrue(e.getMessage().contains("system actor"), e.getMessage());
  }

  @Test
  void onlyTheSystemActorCreatesOrgs() {
    List<Record> before = f.snapshot();
    try (Input org = Input.from(map("name", "X", "time_zone", "Asia/Shanghai"));
        Input admin = Input.from(map("name", "A", "phone", "13900000000"))) {
      ForbiddenException e = assertThrows(ForbiddenException.class, () -> f.db.orgCreate(f.admin, org, admin));
      assertEquals(WorkOrderNative.WO_EFORBIDDEN, e.code());
      assertTrue(e.getMessage().contains("system actor"), e.getMessage());
    }
    assertEquals(before, f.snapshot());
  }

  @Test
  void anAdminUpdatesTheOrgButNotItsCurrency() {
    try (Input in = Input.from(map("name", "阳光物业（新）", "time_zone", "Asia/Hong_Kong"))) {
      f.db.orgUpdate(f.admin, f.orgId, in);
    }
    Record org = f.db.orgGet(f.admin, f.orgId);
    assertEquals("阳光物业（新）", org.getString("name"));
    assertEquals("Asia/Hong_Kong", org.getString("time_zone"));

    try (Input in = Input.from(map("currency", "USD"))) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> f.db.orgUpdate(f.admin, f.orgId, in));
      assertTrue(e.getMessage().contains("currency"), e.getMessage());
    }
    try (Input in = Input.from(map("time_zone", "Mars/Olympus"))) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> f.db.orgUpdate(f.admin, f.orgId, in));
      assertTrue(e.getMessage().contains("time_zone"), e.getMessage());
    }
    assertEquals(org, f.db.orgGet(f.admin, f.orgId));
  }

  @Test
  void settingsHaveDefaultsAndUpdate() {
    Record s = f.db.settingsGet(f.admin);
    assertEquals("order_settings", s.kind());
    assertEquals(f.orgId, s.id());
    assertEquals(1, s.getLong("grab_enabled"));
    assertEquals(0, s.getLong("grab_limit"));
    assertEquals(30, s.getLong("prepay_timeout_min"));
    assertEquals(5, s.getLong("auto_rating_score"));

    try (Input in = new Input().set("grab_limit", 3).set("grab_enabled", false).set("auto_rating_score", 4)) {
      f.db.settingsUpdate(f.admin, in);
    }
    Record after = f.db.settingsGet(f.admin);
    assertEquals(3, after.getLong("grab_limit"));
    assertEquals(0, after.getLong("grab_enabled"));
    assertEquals(4, after.getLong("auto_rating_score"));
    assertEquals(s.getLong("accept_timeout_min"), after.getLong("accept_timeout_min"), "untouched fields keep their value");

    try (Input in = new Input().set("auto_rating_score", 6)) {
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> f.db.settingsUpdate(f.admin, in));
      assertTrue(e.getMessage().contains("auto_rating_score"), e.getMessage());
    }
    try (Actor tech = f.staffActor(Role.TECHNICIAN); Input in = new Input().set("grab_limit", 9)) {
      assertEquals(after, f.db.settingsGet(tech), "anyone of the org reads the settings");
      assertThrows(ForbiddenException.class, () -> f.db.settingsUpdate(tech, in));
    }
    assertThrows(ForbiddenException.class, () -> f.db.settingsGet(f.system));
    assertEquals(after, f.db.settingsGet(f.admin));
  }

  @Test
  void paymentChannelsStartDisabledAndToggle() {
    List<Record> channels = f.db.channelList(f.admin).toList();
    assertEquals(6, channels.size());
    for (int i = 0; i < channels.size(); i++) {
      assertEquals("payment_channel", channels.get(i).kind());
      assertEquals(Channel.of(i), channels.get(i).getEnum("channel", Channel.class));
      assertEquals(0, channels.get(i).getLong("enabled"));
    }
    f.db.channelSetEnabled(f.admin, Channel.WECHAT, true);
    f.db.channelSetEnabled(f.admin, Channel.CASH, true);
    f.db.channelSetEnabled(f.admin, Channel.CASH, false);
    List<Channel> enabled = f.db.channelList(f.admin).stream()
        .filter(c -> c.getLong("enabled") == 1).map(c -> c.getEnum("channel", Channel.class)).collect(Collectors.toList());
    assertEquals(List.of(Channel.WECHAT), enabled);

    assertThrows(IllegalArgumentException.class, () -> f.db.channelSetEnabled(f.admin, null, true));
    // A value no Channel has can only come through the raw layer; C refuses it.
    assertEquals(WorkOrderNative.WO_EINVALID,
        WorkOrderNative.wo_channel_set_enabled(f.db.pointer(), Handle.of(f.admin), 42, 1));
    assertTrue(WorkOrderNative.wo_errmsg().contains("channel 42"), WorkOrderNative.wo_errmsg());
  }

  @Test
  void theSchemaVersionIsSetAndDataSurvivesReopening() throws Exception {
    int version = f.db.schemaVersion();
    assertTrue(version >= 1, "schema version " + version);
    long dep = f.department("工程部");
    f.closeHandles(); // FixtureTest removes the database after the test
    try (Database db = Database.open(f.location, true, 1000); Actor admin = Actor.staff(f.adminId)) {
      assertEquals(version, db.schemaVersion());
      assertEquals("工程部", db.get("department", admin, dep).getString("name"));
      assertEquals(Fixture.ORG_NAME, db.orgGet(admin, f.orgId).getString("name"));
    }
  }
}
