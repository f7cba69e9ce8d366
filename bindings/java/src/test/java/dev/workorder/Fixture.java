// SPDX-License-Identifier: MIT
package dev.workorder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh database on the run's backend ({@link TestDb}: a file in the test's temp directory,
 * or a PostgreSQL schema) with one org, its first admin and helpers to create catalog records.
 * {@link #close()} closes everything it opened and removes the database.
 */
final class Fixture implements AutoCloseable {
  static final String ORG_NAME = "阳光物业管理有限公司";
  static final String ADMIN_PHONE = "13800000000";

  final TestDb testDb;
  /** The database's location, for opening more handles on it. */
  final String location;
  final Database db;
  final Actor system;
  final Actor admin;
  final long orgId;
  final long adminId;
  private final List<Handle> owned = new ArrayList<>();

  private Fixture(TestDb testDb, Database db, Actor system, Database.NewOrg org) {
    this.testDb = testDb;
    this.location = testDb.location;
    this.db = db;
    this.system = system;
    this.orgId = org.orgId();
    this.adminId = org.adminId();
    this.admin = own(Actor.staff(org.adminId()));
  }

  static Fixture create(Path dir) {
    return create(TestDb.create(dir), false);
  }

  /** A fixture on {@code testDb}, opened with synchronous=NORMAL if {@code syncNormal} (benchmarks). */
  static Fixture create(TestDb testDb, boolean syncNormal) {
    Database db = Database.open(testDb.location, syncNormal, 0);
    Actor system = Actor.system();
    try (Input org = Input.from(map("name", ORG_NAME, "time_zone", "Asia/Shanghai"));
        Input admin = Input.from(map("name", "管理员", "phone", ADMIN_PHONE))) {
      return new Fixture(testDb, db, system, db.orgCreate(system, org, admin));
    }
  }

  /** An ordered map from alternating keys and values. */
  static LinkedHashMap<String, Object> map(Object... kv) {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  <T extends Handle> T own(T resource) {
    owned.add(resource);
    return resource;
  }

  /** Creates a record of {@code kind} as the admin. */
  long create(String kind, Map<String, ?> fields) {
    return create(kind, admin, fields);
  }

  long create(String kind, Actor actor, Map<String, ?> fields) {
    try (Input in = Input.from(fields)) {
      return db.create(kind, actor, in);
    }
  }

  void update(String kind, long id, Map<String, ?> fields) {
    try (Input in = Input.from(fields)) {
      db.update(kind, admin, id, in);
    }
  }

  Record get(String kind, long id) {
    return db.get(kind, admin, id);
  }

  List<Record> list(String kind) {
    return db.list(kind, admin).toList();
  }

  List<Record> list(String kind, Map<String, ?> filter) {
    try (Input in = Input.from(filter)) {
      return db.list(kind, admin, in).toList();
    }
  }

  /** A staff member with the given roles (and a fresh phone), as an Actor. */
  Actor staffActor(Role... roles) {
    long id = create("staff", map("name", "员工", "phone", "1390000" + String.format("%04d", ++phones), "roles", List.of(roles)));
    return own(Actor.staff(id));
  }

  private int phones;

  long department(String name) {
    return create("department", map("name", name));
  }

  long position(String name) {
    return create("position", map("name", name));
  }

  long orderType(String name) {
    return create("order_type", map("name", name, "department_id", department(name + "部"), "position_id", position(name + "岗")));
  }

  long subtype(String name, ChargeMode chargeMode) {
    return create("subtype", map("order_type_id", orderType(name + "类"), "name", name, "charge_mode", chargeMode));
  }

  /** Everything the admin and the system actor can read: compared before and after a failed call. */
  List<Record> snapshot() {
    List<Record> all = new ArrayList<>(db.orgList(system).toList());
    for (String kind : Database.kinds()) all.addAll(list(kind));
    all.add(db.settingsGet(admin));
    all.addAll(db.channelList(admin).toList());
    return all;
  }

  /** Closes every handle it opened but keeps the database, for a test that reopens it. Idempotent. */
  void closeHandles() {
    for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
    system.close();
    db.close();
  }

  /** Closes every handle and removes the database. Idempotent. */
  @Override
  public void close() {
    closeHandles();
    testDb.close();
  }
}
