// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Fixture} with what orders need: an electrical order type whose eligible staff are two
 * technicians (t1, t2; an outsider of another department is not eligible), a dispatcher, two
 * tenants with a contact each, a prepaid subtype (deposit 30.00 on a 100.00 spec, consumables,
 * a 20.00 call-out service item), a free public-repair subtype (with a 15.00 service item), a
 * labor item (60.00 default, 80.00 for the electricians), a material (5.00, 10 in stock), WeChat
 * and cash enabled, and an injected clock starting Monday 2024-06-03 09:00 Asia/Shanghai.
 *
 * <p>Every order submitted through {@link #submit} and every subtype given a schedule through
 * {@link #schedule} is part of {@link #snapshot()}, which failure tests compare before and after.
 */
final class Shop implements AutoCloseable {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final long MINUTE = 60_000L;
  static final long HOUR = 60 * MINUTE;
  static final long DAY = 24 * HOUR;
  /** Monday 2024-06-03 00:00 in Asia/Shanghai. */
  static final long MON0 = 1_717_344_000_000L;
  static final LocalDate MONDAY = LocalDate.of(2024, 6, 3);

  final Fixture f;
  final Database db;
  final Actor admin;
  final AtomicLong clock = new AtomicLong(MON0 + 9 * HOUR);

  final long dept, otherDept, pos;
  final long t1, t2, outsider, disp;
  final Actor t1a, t2a, outsiderA, dispA;
  final long tenant, contact, tenant2, contact2;
  final Actor ca, c2a;
  final long orderType, publicType, prepaid, freeSub, spec, serviceItem, freeServiceItem, laborItem, material;

  private final Set<Long> orders = new LinkedHashSet<>();
  private final Set<Long> scheduled = new LinkedHashSet<>();

  Shop(Path dir) {
    f = Fixture.create(dir);
    try {
      db = f.db;
      admin = f.admin;
      db.setClock(clock::get);
      dept = f.department("电工班");
      otherDept = f.department("保洁部");
      pos = f.position("电工");
      t1 = staff("技术员甲", "13100000001", dept, Role.TECHNICIAN);
      t2 = staff("技术员乙", "13100000002", dept, Role.TECHNICIAN);
      outsider = staff("外部门技术员", "13100000003", otherDept, Role.TECHNICIAN);
      disp = staff("调度员", "13100000004", otherDept, Role.DISPATCHER);
      t1a = f.own(Actor.staff(t1));
      t2a = f.own(Actor.staff(t2));
      outsiderA = f.own(Actor.staff(outsider));
      dispA = f.own(Actor.staff(disp));

      tenant = f.create("tenant", map("name", "张三"));
      tenant2 = f.create("tenant", map("name", "李四"));
      contact = f.create("contact", map("tenant_id", tenant, "name", "张三", "phone", "13900000001"));
      contact2 = f.create("contact", map("tenant_id", tenant2, "name", "李四", "phone", "13900000002"));
      ca = f.own(Actor.contact(contact));
      c2a = f.own(Actor.contact(contact2));

      orderType = f.create("order_type", map("name", "电路维修", "department_id", dept, "position_id", pos));
      publicType = f.create("order_type", map("name", "公共报修", "department_id", dept, "position_id", pos));
      prepaid = f.create("subtype", map("order_type_id", orderType, "name", "插座", "charge_mode",
          ChargeMode.PREPAY_DEPOSIT, "deposit_fixed", 3000, "consumables_enabled", 1));
      freeSub = f.create("subtype", map("order_type_id", publicType, "name", "楼道照明", "charge_mode", ChargeMode.FREE));
      spec = f.create("service_spec", map("subtype_id", prepaid, "name", "更换插座", "price", 10000));
      serviceItem = f.create("service_item", map("subtype_id", prepaid, "name", "上门费", "price", 2000));
      freeServiceItem = f.create("service_item", map("subtype_id", freeSub, "name", "登高作业", "price", 1500));
      laborItem = f.create("labor_item", map("name", "电工工时", "default_rate", 6000));
      f.create("labor_rate", map("labor_item_id", laborItem, "department_id", dept, "position_id", pos, "rate", 8000));
      material = f.create("material", map("sku", "SOCK-1", "name", "五孔插座", "unit", "个", "unit_price", 500));
      try (Input in = Input.from(map("material_id", material, "movement_kind", MovementKind.REQUISITION, "qty", 10000))) {
        db.stockMovementCreate(admin, in);
      }
      db.channelSetEnabled(admin, Channel.WECHAT, true);
      db.channelSetEnabled(admin, Channel.CASH, true);
    } catch (RuntimeException | Error e) {
      f.close(); // a test that never started has no @AfterEach to remove its database
      throw e;
    }
  }

  private long staff(String name, String phone, long department, Role roles) {
    return f.create("staff", map("name", name, "phone", phone, "department_id", department, "position_id", pos, "roles", roles));
  }

  long now() {
    return clock.get();
  }

  /** Moves the injected clock on by {@code ms}; returns the new time. */
  long advance(long ms) {
    return clock.addAndGet(ms);
  }

  /** A draft for {@code subtype} with a description, an address and the source channel. */
  static Input draft(long subtype, SourceChannel source) {
    return new Input()
        .set("subtype_id", subtype)
        .set("description", "厨房插座冒火花 The socket sparks")
        .set("address", "B座 1201")
        .set("source_channel", source);
  }

  /** Submits {@code draft} as {@code actor} and remembers the order for snapshots. */
  long submit(Actor actor, Input draft) {
    long id = db.orderSubmit(actor, draft);
    orders.add(id);
    return id;
  }

  /** The contact's prepaid order (spec 100.00, deposit 30.00 due), awaiting prepayment. */
  long submitPrepaid() {
    try (Input in = draft(prepaid, SourceChannel.TENANT_APP).set("spec_id", spec)) {
      return submit(ca, in);
    }
  }

  /** A free order reported by {@code actor} (a contact: for their tenant; staff: for the org). */
  long submitFree(Actor actor) {
    try (Input in = draft(freeSub, SourceChannel.MINI_PROGRAM)) {
      return submit(actor, in);
    }
  }

  /** A prepaid order, prepaid, assigned to t1 and accepted: in progress. */
  long inProgress() {
    long o = submitPrepaid();
    db.orderPayPrepayment(ca, o, Channel.WECHAT, 3000, null);
    db.orderAssign(dispA, o, t1, false);
    db.orderAccept(t1a, o);
    return o;
  }

  /** Gives {@code subtype} a schedule and includes it in snapshots. */
  void schedule(long subtype, Input fields) {
    db.scheduleSet(admin, subtype, fields);
    scheduled.add(subtype);
  }

  Record order(long id) {
    return db.orderGet(admin, id);
  }

  OrderStatus status(long id) {
    return order(id).getEnum("status", OrderStatus.class);
  }

  List<Record> timeline(long id) {
    return db.orderTimeline(admin, id).toList();
  }

  long stock() {
    return f.get("material", material).getLong("stock");
  }

  static LocalDate localDate(long ms) {
    return Instant.ofEpochMilli(ms).atZone(ZONE).toLocalDate();
  }

  /**
   * Everything a failed call must leave as it was: the catalog, settings and channels
   * ({@link Fixture#snapshot()}), each known order with its attachments, lines, payments and
   * history, and each known schedule with two weeks of slot availability.
   */
  List<Object> snapshot() {
    List<Object> all = new ArrayList<>(f.snapshot());
    for (long o : orders) {
      all.add(order(o));
      all.add(db.orderAttachments(admin, o).toList());
      all.add(db.orderLines(admin, o).toList());
      all.add(db.orderPayments(admin, o).toList());
      all.add(timeline(o));
    }
    for (long s : scheduled) {
      all.add(db.scheduleGet(admin, s));
      all.add(db.slotAvailability(admin, s, localDate(now()), localDate(now()).plusDays(13)).toList());
    }
    return all;
  }

  @Override
  public void close() {
    f.close();
  }
}
