// SPDX-License-Identifier: MIT
package dev.workorder.examples;

import dev.workorder.Actor;
import dev.workorder.ChargeMode;
import dev.workorder.Channel;
import dev.workorder.Database;
import dev.workorder.Input;
import dev.workorder.LineKind;
import dev.workorder.OrderStatus;
import dev.workorder.Record; // explicitly: java.lang.Record has the same simple name
import dev.workorder.Role;
import dev.workorder.SourceChannel;
import dev.workorder.TenantKind;
import dev.workorder.WorkOrderException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;

/**
 * One repair order (在线报修) from submission to the bill, through the Java binding.
 *
 * <p>A tenant reports a leaking pipe, pays the deposit, a technician is assigned and works 1.5
 * hours, the tenant pays the rest and rates the work. The same story is told in C, C++ and
 * Python beside this project, and all four print examples/expected-output.txt.
 */
public final class Repair {
  private Repair() {}

  /** The ids of what the admin sets up and the story uses. */
  private record Setup(long technician, long contact, long subtype, long spec, long labor) {}

  public static void main(String[] args) {
    // A private in-memory SQLite database: nothing is left behind. Handles are AutoCloseable.
    try (Database db = Database.open(":memory:")) {
      long adminId = createOrg(db);
      try (Actor admin = Actor.staff(adminId)) {
        Setup setup = setUp(db, admin);
        try (Actor tech = Actor.staff(setup.technician());
            Actor contact = Actor.contact(setup.contact())) {
          repair(db, admin, tech, contact, setup);
        }
      }
    } catch (WorkOrderException e) {
      // Every failed call throws and changes nothing; the message names the field and value.
      System.err.println("repair: " + e.getMessage());
      System.exit(1);
    }
  }

  /** 1. The system actor creates the org and its first admin; returns the admin's id. */
  private static long createOrg(Database db) {
    try (Actor system = Actor.system();
        Input org = new Input().set("name", "Sunshine Property (阳光物业)").set("time_zone", "Asia/Shanghai");
        Input admin = new Input().set("name", "Wang Li (王丽)").set("phone", "13800000001")) {
      return db.orgCreate(system, org, admin).adminId();
    }
  }

  /** Creates a catalog record of {@code kind} from field name → value pairs; returns its id. */
  private static long create(Database db, Actor admin, String kind, Map<String, ?> fields) {
    try (Input in = Input.from(fields)) {
      return db.create(kind, admin, in);
    }
  }

  /**
   * 2. The admin sets up what the story needs. An order type is handled by the staff of one
   * department and position; its subtype asks for a 30.00 deposit on a 50.00 service spec, and
   * allows labor lines (consumables_enabled).
   */
  private static Setup setUp(Database db, Actor admin) {
    long maintenance = create(db, admin, "department", Map.of("name", "Maintenance (维修部)"));
    long plumber = create(db, admin, "position", Map.of("name", "Plumber (水工)"));
    long household = create(db, admin, "order_type", Map.of(
        "name", "Household repair (室内报修)", "department_id", maintenance, "position_id", plumber));
    long leakingPipe = create(db, admin, "subtype", Map.of(
        "order_type_id", household,
        "name", "Leaking pipe (水管漏水)",
        "charge_mode", ChargeMode.PREPAY_DEPOSIT,
        "deposit_fixed", 3000,
        "consumables_enabled", true));
    long fixALeak = create(db, admin, "service_spec", Map.of(
        "subtype_id", leakingPipe, "name", "Fix a leak", "price", 5000));

    // The technician belongs to the order type's department and position: that makes them
    // eligible, and the department's labor rate (80.00 an hour) prices their work.
    long tech = create(db, admin, "staff", Map.of(
        "name", "Li Qiang (李强)",
        "phone", "13900000002",
        "department_id", maintenance,
        "position_id", plumber,
        "roles", EnumSet.of(Role.TECHNICIAN)));
    long labor = create(db, admin, "labor_item", Map.of("name", "Plumbing labor"));
    create(db, admin, "labor_rate", Map.of("labor_item_id", labor, "department_id", maintenance, "rate", 8000));

    // Payment channels start disabled.
    db.channelSetEnabled(admin, Channel.WECHAT, true);

    // The tenant and the contact who reports and pays.
    long tenant = create(db, admin, "tenant", Map.of(
        "name", "Zhang Wei (张伟)", "tenant_kind", TenantKind.PERSON));
    long contact = create(db, admin, "contact", Map.of(
        "tenant_id", tenant, "name", "Zhang Wei (张伟)", "phone", "13700000001"));
    return new Setup(tech, contact, leakingPipe, fixALeak, labor);
  }

  private static void repair(Database db, Actor admin, Actor tech, Actor contact, Setup setup) {
    // 3. The contact submits the order: a deposit is due, so it awaits the prepayment.
    long order;
    try (Input draft = new Input()
        .set("subtype_id", setup.subtype())
        .set("spec_id", setup.spec())
        .set("description", "The pipe under the kitchen sink is leaking (厨房水槽下水管漏水)")
        .set("address", "Building 3, Room 1502 (3栋1502)")
        .set("source_channel", SourceChannel.MINI_PROGRAM)) {
      order = db.orderSubmit(contact, draft);
    }
    step(db, contact, order, "submitted");

    // 4. The contact pays exactly the deposit due. The library only records payments: the host
    //    talks to the provider, whose transaction id makes a repeated report harmless.
    long due = db.orderGet(contact, order).getLong("prepay_due");
    db.orderPayPrepayment(contact, order, Channel.WECHAT, due, "wx-0001");
    step(db, contact, order, "deposit paid");

    // 5. The admin (also a dispatcher) assigns the technician, who accepts.
    db.orderAssign(admin, order, setup.technician(), false);
    step(db, admin, order, "assigned");
    db.orderAccept(tech, order);
    step(db, tech, order, "accepted");

    // 6. 1.5 hours of labor: quantities are thousandths.
    db.orderAddLine(tech, order, LineKind.LABOR, setup.labor(), 1500);
    step(db, tech, order, "labor added");

    // 7. Finishing fixes the bill; the tenant still owes the balance.
    db.orderFinish(tech, order);
    step(db, tech, order, "finished");

    // 8. The contact pays the balance, then rates the work.
    long balance = db.orderGet(contact, order).getLong("balance");
    db.orderPay(contact, order, Channel.WECHAT, balance, "wx-0002");
    step(db, contact, order, "balance paid");
    db.orderRate(contact, order, 5, "很快");
    step(db, contact, order, "rated");

    // 9. The bill as the tenant sees it: the spec's price, the charge lines, what was paid.
    Record o = db.orderGet(contact, order);
    System.out.println("bill:");
    billRow("spec", db.get("service_spec", contact, o.getLong("spec_id")).getString("name"), "",
        o.getLong("spec_price"));
    for (Record line : db.orderLines(contact, order).toList()) { // toList() closes the cursor
      if (line.getLong("removed") == 0)
        billRow(name(line.getEnum("line_kind", LineKind.class)), line.getString("name"),
            decimal(line.getLong("qty"), 1000, 3), line.getLong("amount"));
    }
    billRow("total", "", "", o.getLong("total"));
    billRow("paid", "", "", o.getLong("paid"));
    billRow("balance", "", "", o.getLong("balance"));
    System.out.println("status: " + name(o.getEnum("status", OrderStatus.class)));
  }

  private static void step(Database db, Actor who, long order, String what) {
    System.out.println(what + ": " + name(db.orderGet(who, order).getEnum("status", OrderStatus.class)));
  }

  /** An enumeration's value as docs/records.md spells it: OrderStatus.IN_PROGRESS is "in_progress". */
  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Money is long fen and quantities long thousandths: format them with integer arithmetic. */
  private static String decimal(long value, long scale, int digits) {
    String sign = value < 0 ? "-" : "";
    long abs = Math.abs(value);
    return sign + abs / scale + "." + String.format("%0" + digits + "d", abs % scale);
  }

  private static void billRow(String kind, String name, String qty, long amount) {
    System.out.printf("  %-7s %-16s %6s %8s%n", kind, name, qty, decimal(amount, 100, 2));
  }
}
