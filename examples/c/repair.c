/* SPDX-License-Identifier: MIT */
/*
 * repair.c — one repair order (在线报修) from submission to the bill, through the C ABI.
 *
 * A tenant reports a leaking pipe, pays the deposit, a technician is assigned and works
 * 1.5 hours, the tenant pays the rest and rates the work. The same story is told in C++,
 * Python and Java beside this file, and all four print examples/expected-output.txt.
 *
 *   cc -std=c99 repair.c $(pkg-config --cflags --libs workorder) -o repair && ./repair
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <workorder.h>

/* Every wo_* call returns a status; on failure wo_errmsg() names the field and the value. */
static void check(int rc) {
  if (rc != WO_OK) {
    const char* msg = wo_errmsg();
    fprintf(stderr, "repair: %s\n", *msg ? msg : wo_strerror(rc));
    exit(1);
  }
}

/* Inputs are built field by field; the call that uses one checks the names and values. */
static wo_input* input(void) {
  wo_input* in = NULL;
  check(wo_input_new(&in));
  return in;
}
static void set_text(wo_input* in, const char* field, const char* value) { check(wo_input_set_text(in, field, value)); }
static void set_int(wo_input* in, const char* field, int64_t value) { check(wo_input_set_int(in, field, value)); }

/* Every catalog kind has a wo_<kind>_create of this shape. The input is freed here. */
typedef int (*create_fn)(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields);
static int64_t create(create_fn fn, wo_db* db, const wo_actor* actor, wo_input* in) {
  int64_t id = 0;
  check(fn(&id, db, actor, in));
  wo_input_free(in);
  return id;
}

static wo_actor* staff_actor(int64_t id) {
  wo_actor* a = NULL;
  check(wo_actor_staff(&a, id));
  return a;
}

/* Enumerations cross the ABI as integers (WO_STATUS_*, WO_LINE_*): name them here. */
static const char* const status_names[] = {"awaiting_prepayment", "pending_dispatch", "pending_accept",
                                           "in_progress",         "awaiting_payment", "awaiting_rating",
                                           "completed",           "cancelled"};
static const char* const line_kind_names[] = {"labor", "material", "service_item"};

/* An integer field of the order as `who` sees it (status, prepay_due, and the bill: total, balance). */
static int64_t order_int(wo_db* db, const wo_actor* who, int64_t order, const char* field) {
  wo_record* r = NULL;
  int64_t value = 0;
  check(wo_order_get(&r, db, who, order));
  check(wo_record_get_int(&value, r, field));
  wo_record_free(r);
  return value;
}

static void step(wo_db* db, const wo_actor* who, int64_t order, const char* what) {
  printf("%s: %s\n", what, status_names[order_int(db, who, order, "status")]);
}

/* Money is int64 fen and quantities int64 thousandths: format them with integer arithmetic
 * into buf (32 bytes). */
static const char* decimal(char* buf, int64_t value, int64_t scale, int digits) {
  const char* sign = value < 0 ? "-" : "";
  if (value < 0) value = -value;
  snprintf(buf, 32, "%s%" PRId64 ".%0*" PRId64, sign, value / scale, digits, value % scale);
  return buf;
}

static void bill_row(const char* kind, const char* name, const char* qty, int64_t amount) {
  char buf[32];
  printf("  %-7s %-16s %6s %8s\n", kind, name, qty, decimal(buf, amount, 100, 2));
}

int main(void) {
  wo_db* db = NULL;
  wo_actor* sys = NULL;
  wo_input* in;
  int64_t org_id = 0, admin_id = 0;

  /* A private in-memory SQLite database: nothing is left behind. */
  check(wo_db_open(&db, ":memory:", 0, 0));

  /* 1. The system actor creates the org and its first admin. */
  check(wo_actor_system(&sys));
  wo_input* org = input();
  set_text(org, "name", "Sunshine Property (阳光物业)");
  set_text(org, "time_zone", "Asia/Shanghai");
  wo_input* first_admin = input();
  set_text(first_admin, "name", "Wang Li (王丽)");
  set_text(first_admin, "phone", "13800000001");
  check(wo_org_create(&org_id, &admin_id, db, sys, org, first_admin));
  wo_input_free(org);
  wo_input_free(first_admin);
  wo_actor* admin = staff_actor(admin_id);

  /* 2. The admin sets up what the story needs. An order type is handled by the staff of one
   *    department and position; its subtype asks for a 30.00 deposit on a 50.00 service spec,
   *    and allows labor lines (consumables_enabled). */
  in = input();
  set_text(in, "name", "Maintenance (维修部)");
  int64_t maintenance = create(wo_department_create, db, admin, in);
  in = input();
  set_text(in, "name", "Plumber (水工)");
  int64_t plumber = create(wo_position_create, db, admin, in);

  in = input();
  set_text(in, "name", "Household repair (室内报修)");
  set_int(in, "department_id", maintenance);
  set_int(in, "position_id", plumber);
  int64_t household = create(wo_order_type_create, db, admin, in);
  in = input();
  set_int(in, "order_type_id", household);
  set_text(in, "name", "Leaking pipe (水管漏水)");
  set_int(in, "charge_mode", WO_CHARGE_PREPAY_DEPOSIT);
  set_int(in, "deposit_fixed", 3000);
  set_int(in, "consumables_enabled", 1);
  int64_t leaking_pipe = create(wo_subtype_create, db, admin, in);
  in = input();
  set_int(in, "subtype_id", leaking_pipe);
  set_text(in, "name", "Fix a leak");
  set_int(in, "price", 5000);
  int64_t fix_a_leak = create(wo_service_spec_create, db, admin, in);

  /* The technician belongs to the order type's department and position: that makes them
   * eligible, and the department's labor rate (80.00 an hour) prices their work. */
  in = input();
  set_text(in, "name", "Li Qiang (李强)");
  set_text(in, "phone", "13900000002");
  set_int(in, "department_id", maintenance);
  set_int(in, "position_id", plumber);
  set_int(in, "roles", WO_ROLE_TECHNICIAN);
  int64_t tech_id = create(wo_staff_create, db, admin, in);
  in = input();
  set_text(in, "name", "Plumbing labor");
  int64_t labor = create(wo_labor_item_create, db, admin, in);
  in = input();
  set_int(in, "labor_item_id", labor);
  set_int(in, "department_id", maintenance);
  set_int(in, "rate", 8000);
  create(wo_labor_rate_create, db, admin, in);

  /* Payment channels start disabled. */
  check(wo_channel_set_enabled(db, admin, WO_CHANNEL_WECHAT, 1));

  /* The tenant and the contact who reports and pays. */
  in = input();
  set_text(in, "name", "Zhang Wei (张伟)");
  set_int(in, "tenant_kind", WO_TENANT_PERSON);
  int64_t tenant = create(wo_tenant_create, db, admin, in);
  in = input();
  set_int(in, "tenant_id", tenant);
  set_text(in, "name", "Zhang Wei (张伟)");
  set_text(in, "phone", "13700000001");
  int64_t contact_id = create(wo_contact_create, db, admin, in);

  wo_actor* tech = staff_actor(tech_id);
  wo_actor* contact = NULL;
  check(wo_actor_contact(&contact, contact_id));

  /* 3. The contact submits the order: a deposit is due, so it awaits the prepayment. */
  int64_t order = 0;
  in = input();
  set_int(in, "subtype_id", leaking_pipe);
  set_int(in, "spec_id", fix_a_leak);
  set_text(in, "description", "The pipe under the kitchen sink is leaking (厨房水槽下水管漏水)");
  set_text(in, "address", "Building 3, Room 1502 (3栋1502)");
  set_int(in, "source_channel", WO_SOURCE_MINI_PROGRAM);
  check(wo_order_submit(&order, db, contact, in));
  wo_input_free(in);
  step(db, contact, order, "submitted");

  /* 4. The contact pays exactly the deposit due. The library only records payments: the host
   *    talks to the provider, whose transaction id makes a repeated report harmless. */
  in = input();
  set_int(in, "channel", WO_CHANNEL_WECHAT);
  set_int(in, "amount", order_int(db, contact, order, "prepay_due"));
  set_text(in, "provider_txn_id", "wx-0001");
  check(wo_order_pay_prepayment(db, contact, order, in));
  wo_input_free(in);
  step(db, contact, order, "deposit paid");

  /* 5. The admin (also a dispatcher) assigns the technician, who accepts. */
  check(wo_order_assign(db, admin, order, tech_id, 0));
  step(db, admin, order, "assigned");
  check(wo_order_accept(db, tech, order));
  step(db, tech, order, "accepted");

  /* 6. 1.5 hours of labor: quantities are thousandths. */
  int64_t line = 0;
  in = input();
  set_int(in, "line_kind", WO_LINE_LABOR);
  set_int(in, "item_id", labor);
  set_int(in, "qty", 1500);
  check(wo_order_add_line(&line, db, tech, order, in));
  wo_input_free(in);
  step(db, tech, order, "labor added");

  /* 7. Finishing fixes the bill; the tenant still owes the balance. */
  check(wo_order_finish(db, tech, order));
  step(db, tech, order, "finished");

  /* 8. The contact pays the balance, then rates the work. */
  in = input();
  set_int(in, "channel", WO_CHANNEL_WECHAT);
  set_int(in, "amount", order_int(db, contact, order, "balance"));
  set_text(in, "provider_txn_id", "wx-0002");
  check(wo_order_pay(db, contact, order, in));
  wo_input_free(in);
  step(db, contact, order, "balance paid");
  check(wo_order_rate(db, contact, order, 5, "很快"));
  step(db, contact, order, "rated");

  /* 9. The bill as the tenant sees it: the spec's price, the charge lines, what was paid. */
  wo_record* o = NULL;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t spec_price = 0, total = 0, paid = 0, balance = 0, status = 0;
  const char* name = NULL;
  check(wo_order_get(&o, db, contact, order));
  check(wo_record_get_int(&spec_price, o, "spec_price"));
  check(wo_record_get_int(&total, o, "total"));
  check(wo_record_get_int(&paid, o, "paid"));
  check(wo_record_get_int(&balance, o, "balance"));
  check(wo_record_get_int(&status, o, "status"));
  wo_record_free(o);

  printf("bill:\n");
  check(wo_service_spec_get(&r, db, contact, fix_a_leak));
  check(wo_record_get_text(&name, r, "name"));
  bill_row("spec", name, "", spec_price);
  wo_record_free(r);

  /* Iterators hand out records until WO_DONE, like sqlite3_step's SQLITE_DONE. */
  int rc;
  check(wo_order_lines(&it, db, contact, order));
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    int64_t kind = 0, qty = 0, amount = 0, removed = 0;
    char qbuf[32];
    check(wo_record_get_int(&removed, r, "removed"));
    check(wo_record_get_int(&kind, r, "line_kind"));
    check(wo_record_get_int(&qty, r, "qty"));
    check(wo_record_get_int(&amount, r, "amount"));
    check(wo_record_get_text(&name, r, "name"));
    if (!removed) bill_row(line_kind_names[kind], name, decimal(qbuf, qty, 1000, 3), amount);
    wo_record_free(r);
  }
  if (rc != WO_DONE) check(rc);
  wo_iter_free(it);
  bill_row("total", "", "", total);
  bill_row("paid", "", "", paid);
  bill_row("balance", "", "", balance);
  printf("status: %s\n", status_names[status]);

  wo_actor_free(contact);
  wo_actor_free(tech);
  wo_actor_free(admin);
  wo_actor_free(sys);
  wo_db_free(db);
  return 0;
}
