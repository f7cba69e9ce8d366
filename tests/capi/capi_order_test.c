/* SPDX-License-Identifier: MIT */
/* capi_order_test.c — the work-order life cycle through the C ABI.
 *
 * 1. A tenant's prepaid repair, end to end: submit (attachments, org-local order number,
 *    idempotent client_token), prepayment (wrong amount, disabled channel, idempotent
 *    provider_txn_id), assign / reject / grab / transfer / accept, charge lines (labor at the
 *    assignee's rate, material reserving stock, out of stock, service items, removal),
 *    messages, finish (bill fixed, material consumed), partial payments, rating, reopen,
 *    cancel, refund; the record, lines, payments and timeline read back.
 * 2. Staff reporting for the org and for a tenant (payer), and the three timers via wo_tick.
 * 3. Bad input and the wrong actor at each step: the code, a message naming the field, and
 *    no change to the order, its history, lines, payments or stock.
 * 4. Automatic dispatch: an order type's dispatch_strategy, the system's auto_assign on
 *    submission, and wo_order_dispatch_preview. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

#define MINUTE 60000LL
#define DAY (1440 * MINUTE)

static int64_t now_ms = 1700000000000LL; /* 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 in Shanghai */
static int64_t test_clock(void* ctx) { return *(const int64_t*)ctx; }

typedef struct fixture {
  wt_env env;
  int64_t dept, pos, other_dept;
  int64_t t1, t2, outsider, disp; /* technicians t1, t2 eligible; outsider not */
  wo_actor *t1a, *t2a, *outsider_a, *disp_a;
  int64_t tenant, contact, tenant2, contact2;
  wo_actor *ca, *c2a;
  int64_t order_type, prepaid, free_sub, spec;
  int64_t service_item, labor_item, material;
} fixture;

/* ---- helpers -------------------------------------------------------------------------------- */

static int64_t material_stock(fixture* f) {
  wo_record* r = NULL;
  int64_t s;
  CHECK_OK(wo_material_get(&r, f->env.db, f->env.a.admin, f->material));
  s = wt_get_int(r, "stock");
  wo_record_free(r);
  return s;
}

/* The order as the admin sees it, plus how many events, lines and payments it has and the
 * material's stock: what a failed call must leave untouched. */
static char* order_state(fixture* f, int64_t order) {
  wo_record* r = NULL;
  wo_iter* it = NULL;
  char* snap;
  char* out;
  int64_t events, lines, payments;
  CHECK_OK(wo_order_get(&r, f->env.db, f->env.a.admin, order));
  snap = wt_snapshot(r);
  wo_record_free(r);
  CHECK_OK(wo_order_timeline(&it, f->env.db, f->env.a.admin, order, 0));
  events = wt_count(it);
  CHECK_OK(wo_order_lines(&it, f->env.db, f->env.a.admin, order));
  lines = wt_count(it);
  CHECK_OK(wo_order_payments(&it, f->env.db, f->env.a.admin, order));
  payments = wt_count(it);
  out = malloc(strlen(snap) + 128);
  CHECK(out != NULL);
  sprintf(out, "%s|events=%ld|lines=%ld|payments=%ld|stock=%ld", snap, (long)events, (long)lines, (long)payments,
          (long)material_stock(f));
  free(snap);
  return out;
}

#define ORDER_FAILS(code, needle, order, call)  \
  do {                                          \
    char* before_ = order_state(f, (order));    \
    char* after_;                               \
    CHECK_FAIL((code), (needle), (call));       \
    after_ = order_state(f, (order));           \
    CHECK_STR(after_, before_);                 \
    free(before_);                              \
    free(after_);                               \
  } while (0)

static int64_t order_int(fixture* f, int64_t order, const char* field) {
  wo_record* r = NULL;
  int64_t v;
  CHECK_OK(wo_order_get(&r, f->env.db, f->env.a.admin, order));
  v = wt_get_int(r, field);
  wo_record_free(r);
  return v;
}

static int order_is_null(fixture* f, int64_t order, const char* field) {
  wo_record* r = NULL;
  int v;
  CHECK_OK(wo_order_get(&r, f->env.db, f->env.a.admin, order));
  v = wt_is_null(r, field);
  wo_record_free(r);
  return v;
}

static int64_t status_of(fixture* f, int64_t order) { return order_int(f, order, "status"); }

static wo_input* payment(int64_t channel, int64_t amount, const char* txn) {
  wo_input* in = wt_int(wt_int(wt_input(), "channel", channel), "amount", amount);
  if (txn) wt_text(in, "provider_txn_id", txn);
  return in;
}

static wo_input* line(int64_t kind, int64_t item, int64_t qty) {
  return wt_int(wt_int(wt_int(wt_input(), "line_kind", kind), "item_id", item), "qty", qty);
}

static wo_input* draft(int64_t subtype, int64_t spec, int64_t source) {
  wo_input* in = wt_int(wt_input(), "subtype_id", subtype);
  wt_text(wt_text(in, "description", "The socket in the kitchen sparks 插座冒火花"), "address", "Tower B, 12F");
  wt_int(in, "source_channel", source);
  if (spec) wt_int(in, "spec_id", spec);
  return in;
}

static void tick(fixture* f, int64_t at, int64_t expected_changed) {
  int64_t changed = -1;
  CHECK_OK(wo_tick(&changed, f->env.db, f->env.sys, at));
  CHECK_I64(changed, expected_changed);
}

static int64_t create(int (*fn)(int64_t*, wo_db*, const wo_actor*, const wo_input*), fixture* f, wo_input* in) {
  int64_t id = 0;
  CHECK_OK(fn(&id, f->env.db, f->env.a.admin, in));
  wo_input_free(in);
  return id;
}

static void setup(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  int64_t id = 0;
  wt_env_open(e, "order", 0);
  CHECK_OK(wo_db_set_clock(e->db, test_clock, &now_ms));
  f->dept = create(wo_department_create, f, wt_text(wt_input(), "name", "Electrical"));
  f->other_dept = create(wo_department_create, f, wt_text(wt_input(), "name", "Cleaning"));
  f->pos = create(wo_position_create, f, wt_text(wt_input(), "name", "Electrician"));
#define STAFF(phone, d, roles) \
  create(wo_staff_create, f, wt_int(wt_int(wt_int(wt_text(wt_text(wt_input(), "name", phone), "phone", phone), "department_id", (d)), "position_id", f->pos), "roles", (roles)))
  f->t1 = STAFF("13100000001", f->dept, WO_ROLE_TECHNICIAN);
  f->t2 = STAFF("13100000002", f->dept, WO_ROLE_TECHNICIAN);
  f->outsider = STAFF("13100000003", f->other_dept, WO_ROLE_TECHNICIAN);
  f->disp = STAFF("13100000004", f->other_dept, WO_ROLE_DISPATCHER);
#undef STAFF
  CHECK_OK(wo_actor_staff(&f->t1a, f->t1));
  CHECK_OK(wo_actor_staff(&f->t2a, f->t2));
  CHECK_OK(wo_actor_staff(&f->outsider_a, f->outsider));
  CHECK_OK(wo_actor_staff(&f->disp_a, f->disp));

  f->tenant = create(wo_tenant_create, f, wt_text(wt_input(), "name", "ACME"));
  f->tenant2 = create(wo_tenant_create, f, wt_text(wt_input(), "name", "Other tenant"));
  f->contact = create(wo_contact_create,
                      f, wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant), "name", "Zhang"), "phone", "13900000001"));
  f->contact2 = create(wo_contact_create,
                       f, wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant2), "name", "Li"), "phone", "13900000002"));
  CHECK_OK(wo_actor_contact(&f->ca, f->contact));
  CHECK_OK(wo_actor_contact(&f->c2a, f->contact2));

  f->order_type = create(wo_order_type_create, f,
                         wt_int(wt_int(wt_text(wt_input(), "name", "Electrical"), "department_id", f->dept), "position_id", f->pos));
  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", "Socket"), "charge_mode",
              WO_CHARGE_PREPAY_DEPOSIT);
  f->prepaid = create(wo_subtype_create, f, wt_int(wt_int(in, "deposit_fixed", 3000), "consumables_enabled", 1));
  f->free_sub = create(wo_subtype_create, f,
                       wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", "Check"), "charge_mode",
                              WO_CHARGE_FREE));
  f->spec = create(wo_service_spec_create, f,
                   wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->prepaid), "name", "Standard"), "price", 10000));
  f->service_item = create(wo_service_item_create, f,
                           wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->prepaid), "name", "Call-out"), "price", 2000));
  f->labor_item = create(wo_labor_item_create, f, wt_int(wt_text(wt_input(), "name", "Hour"), "default_rate", 6000));
  create(wo_labor_rate_create, f,
         wt_int(wt_int(wt_int(wt_int(wt_input(), "labor_item_id", f->labor_item), "department_id", f->dept), "position_id",
                       f->pos), "rate", 8000));
  f->material = create(wo_material_create, f,
                       wt_int(wt_text(wt_text(wt_text(wt_input(), "sku", "SOCK-1"), "name", "Socket"), "unit", "pcs"),
                              "unit_price", 500));
  in = wt_int(wt_int(wt_int(wt_input(), "material_id", f->material), "movement_kind", WO_MOVEMENT_REQUISITION), "qty",
              10000);
  CHECK_OK(wo_stock_movement_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_channel_set_enabled(e->db, e->a.admin, WO_CHANNEL_WECHAT, 1));
  CHECK_OK(wo_channel_set_enabled(e->db, e->a.admin, WO_CHANNEL_CASH, 1));
}

static void teardown(fixture* f) {
  wo_actor_free(f->t1a);
  wo_actor_free(f->t2a);
  wo_actor_free(f->outsider_a);
  wo_actor_free(f->disp_a);
  wo_actor_free(f->ca);
  wo_actor_free(f->c2a);
  wt_env_close(&f->env);
}

/* ---- 1. the tenant's prepaid repair ----------------------------------------------------------- */

static int64_t submit_prepaid(fixture* f) {
  wt_env* e = &f->env;
  int64_t o = 0, again = 0, stolen = 7;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  wo_input* in = draft(f->prepaid, f->spec, WO_SOURCE_TENANT_APP);
  wt_text(wt_text(in, "unit_ref", "B-1201"), "client_token", "tok-1");
  CHECK_OK(wo_input_add_text(in, "attachments", "https://img.example/1.jpg"));
  CHECK_OK(wo_input_add_text(in, "attachments", "oss://bucket/2.jpg"));
  CHECK_OK(wo_order_submit(&o, e->db, f->ca, in));
  CHECK(o > 0);

  CHECK_OK(wo_order_get(&r, e->db, f->ca, o));
  CHECK_STR(wo_record_kind(r), "order");
  CHECK_STR(wt_get_text(r, "number"), "20231115-000001"); /* the org's local date */
  CHECK_I64(wt_get_int(r, "org_id"), e->a.org_id);
  CHECK_I64(wt_get_int(r, "order_type_id"), f->order_type);
  CHECK_I64(wt_get_int(r, "subtype_id"), f->prepaid);
  CHECK_I64(wt_get_int(r, "spec_id"), f->spec);
  CHECK_I64(wt_get_int(r, "charge_mode"), WO_CHARGE_PREPAY_DEPOSIT);
  CHECK_STR(wt_get_text(r, "description"), "The socket in the kitchen sparks 插座冒火花");
  CHECK_STR(wt_get_text(r, "address"), "Tower B, 12F");
  CHECK_STR(wt_get_text(r, "unit_ref"), "B-1201");
  CHECK_I64(wt_get_int(r, "tenant_id"), f->tenant);
  CHECK_I64(wt_get_int(r, "reporter_contact_id"), f->contact);
  CHECK(wt_is_null(r, "reporter_staff_id"));
  CHECK_I64(wt_get_int(r, "source_channel"), WO_SOURCE_TENANT_APP);
  CHECK_I64(wt_get_int(r, "created_by_kind"), WO_ACTOR_CONTACT);
  CHECK_I64(wt_get_int(r, "created_by_id"), f->contact);
  CHECK_I64(wt_get_int(r, "payer"), WO_PAYER_TENANT);
  CHECK_STR(wt_get_text(r, "client_token"), "tok-1");
  CHECK(wt_is_null(r, "assignee_id"));
  CHECK_I64(wt_get_int(r, "status"), WO_STATUS_AWAITING_PREPAYMENT);
  CHECK_I64(wt_get_int(r, "status_since"), now_ms);
  CHECK_I64(wt_get_int(r, "created_at"), now_ms);
  CHECK_I64(wt_get_int(r, "spec_price"), 10000);
  CHECK_I64(wt_get_int(r, "lines_total"), 0);
  CHECK_I64(wt_get_int(r, "prepay_due"), 3000);
  CHECK_I64(wt_get_int(r, "paid"), 0);
  CHECK_I64(wt_get_int(r, "total"), 10000);
  CHECK_I64(wt_get_int(r, "owed"), 10000);
  CHECK_I64(wt_get_int(r, "balance"), 10000);
  CHECK_I64(wt_get_int(r, "refund_due"), 0);
  CHECK_I64(wt_get_int(r, "reopen_count"), 0);
  CHECK(wt_is_null(r, "rating"));
  CHECK(wt_is_null(r, "prepaid_at"));
  wo_record_free(r);

  /* Attachments in order. */
  CHECK_OK(wo_order_attachments(&it, e->db, f->ca, o));
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wo_record_kind(r), "attachment");
  CHECK_STR(wt_get_text(r, "value"), "https://img.example/1.jpg");
  wo_record_free(r);
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wt_get_text(r, "value"), "oss://bucket/2.jpg");
  wo_record_free(r);
  CHECK_RC(WO_DONE, wo_iter_next(&r, it));
  wo_iter_free(it);

  /* The same client_token again: the first order, nothing new. Another actor: conflict. */
  now_ms += MINUTE;
  ORDER_FAILS(WO_OK, NULL, o, wo_order_submit(&again, e->db, f->ca, in));
  CHECK_I64(again, o);
  wo_input_free(in);
  in = draft(f->prepaid, f->spec, WO_SOURCE_STAFF_PC);
  wt_text(wt_text(wt_int(in, "tenant_id", f->tenant), "reporter_phone", "13900000001"), "client_token", "tok-1");
  ORDER_FAILS(WO_ECONFLICT, "client_token", o, wo_order_submit(&stolen, e->db, f->disp_a, in));
  CHECK_I64(stolen, 0);
  wo_input_free(in);
  return o;
}

static void prepay(fixture* f, int64_t o) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_iter* it = NULL;
  wo_record* r = NULL;

  now_ms += MINUTE;
  in = payment(WO_CHANNEL_WECHAT, 2999, NULL);
  ORDER_FAILS(WO_EPAYMENT, "3000", o, wo_order_pay_prepayment(e->db, f->ca, o, in));
  wo_input_free(in);
  in = payment(WO_CHANNEL_ALIPAY, 3000, NULL);
  ORDER_FAILS(WO_ECHANNEL, "alipay", o, wo_order_pay_prepayment(e->db, f->ca, o, in));
  wo_input_free(in);
  in = payment(9, 3000, NULL);
  ORDER_FAILS(WO_EINVALID, "channel", o, wo_order_pay_prepayment(e->db, f->ca, o, in));
  wo_input_free(in);
  in = payment(WO_CHANNEL_WECHAT, -3000, NULL);
  ORDER_FAILS(WO_EINVALID, "amount", o, wo_order_pay_prepayment(e->db, f->ca, o, in));
  wo_input_free(in);
  in = wt_int(wt_input(), "channel", WO_CHANNEL_WECHAT);
  ORDER_FAILS(WO_EINVALID, "amount", o, wo_order_pay_prepayment(e->db, f->ca, o, in));
  wo_input_free(in);
  in = payment(WO_CHANNEL_WECHAT, 3000, "wx-1");
  ORDER_FAILS(WO_EINVALID, "payment", o, wo_order_pay_prepayment(e->db, f->ca, o, NULL));
  ORDER_FAILS(WO_ENOTFOUND, "order", o, wo_order_pay_prepayment(e->db, f->c2a, o, in)); /* not their order */
  ORDER_FAILS(WO_ENOTFOUND, "order", o, wo_order_pay_prepayment(e->db, e->b.admin, o, in));

  CHECK_OK(wo_order_pay_prepayment(e->db, f->ca, o, in));
  CHECK_I64(status_of(f, o), WO_STATUS_PENDING_DISPATCH);
  CHECK_I64(order_int(f, o, "paid"), 3000);
  CHECK_I64(order_int(f, o, "prepaid_at"), now_ms);
  CHECK_I64(order_int(f, o, "balance"), 7000);
  /* The same provider transaction again: success, nothing recorded twice. */
  ORDER_FAILS(WO_OK, NULL, o, wo_order_pay_prepayment(e->db, f->ca, o, in));
  wo_input_free(in);

  CHECK_OK(wo_order_payments(&it, e->db, f->ca, o));
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wo_record_kind(r), "payment");
  CHECK_I64(wt_get_int(r, "payment_kind"), WO_PAYMENT_PREPAYMENT);
  CHECK_I64(wt_get_int(r, "channel"), WO_CHANNEL_WECHAT);
  CHECK_I64(wt_get_int(r, "amount"), 3000);
  CHECK_STR(wt_get_text(r, "provider_txn_id"), "wx-1");
  CHECK_I64(wt_get_int(r, "recorded_by_kind"), WO_ACTOR_CONTACT);
  CHECK_I64(wt_get_int(r, "recorded_by_id"), f->contact);
  CHECK_I64(wt_get_int(r, "order_id"), o);
  wo_record_free(r);
  CHECK_RC(WO_DONE, wo_iter_next(&r, it));
  wo_iter_free(it);
}

static void dispatch(fixture* f, int64_t o) {
  wt_env* e = &f->env;
  wo_record* r = NULL;

  now_ms += MINUTE;
  /* Only dispatchers and admins assign, only to eligible staff unless forced. */
  ORDER_FAILS(WO_EFORBIDDEN, "assign", o, wo_order_assign(e->db, f->t2a, o, f->t1, 0));
  ORDER_FAILS(WO_EINELIGIBLE, "staff_id", o, wo_order_assign(e->db, f->disp_a, o, f->outsider, 0));
  ORDER_FAILS(WO_EINVALID, "force", o, wo_order_assign(e->db, f->disp_a, o, f->t1, 2));
  ORDER_FAILS(WO_ENOTFOUND, "staff_id", o, wo_order_assign(e->db, f->disp_a, o, e->b.admin_id, 0));
  ORDER_FAILS(WO_ENOTFOUND, "order", o, wo_order_assign(e->db, f->outsider_a, o, f->t1, 0)); /* outside the pool */
  ORDER_FAILS(WO_ESTATE, "accept", o, wo_order_accept(e->db, f->t1a, o));                    /* nothing assigned */

  CHECK_OK(wo_order_assign(e->db, f->disp_a, o, f->t1, 0));
  CHECK_I64(status_of(f, o), WO_STATUS_PENDING_ACCEPT);
  CHECK_I64(order_int(f, o, "assignee_id"), f->t1);
  CHECK_I64(order_int(f, o, "assigned_at"), now_ms);

  /* The assignee rejects, with a reason. */
  now_ms += MINUTE;
  ORDER_FAILS(WO_EFORBIDDEN, "reject", o, wo_order_reject(e->db, f->disp_a, o, "not mine"));
  ORDER_FAILS(WO_EINVALID, "reason", o, wo_order_reject(e->db, f->t1a, o, NULL));
  ORDER_FAILS(WO_EINVALID, "reason", o, wo_order_reject(e->db, f->t1a, o, ""));
  ORDER_FAILS(WO_EINVALID, "reason", o, wo_order_reject(e->db, f->t1a, o, "bad \xFF"));
  CHECK_OK(wo_order_reject(e->db, f->t1a, o, "On leave today"));
  CHECK_I64(status_of(f, o), WO_STATUS_PENDING_DISPATCH);
  CHECK(order_is_null(f, o, "assignee_id"));

  /* Another eligible technician grabs it from the pool. */
  now_ms += MINUTE;
  ORDER_FAILS(WO_ENOTFOUND, "order", o, wo_order_grab(e->db, f->outsider_a, o));
  CHECK_OK(wo_order_grab(e->db, f->t2a, o));
  CHECK_I64(status_of(f, o), WO_STATUS_IN_PROGRESS);
  CHECK_I64(order_int(f, o, "assignee_id"), f->t2);
  CHECK_I64(order_int(f, o, "accepted_at"), now_ms);
  ORDER_FAILS(WO_ESTATE, "grab", o, wo_order_grab(e->db, f->t1a, o)); /* t1 held it: sees it, too late */

  /* ... and hands it over; the new assignee accepts. */
  now_ms += MINUTE;
  ORDER_FAILS(WO_EINVALID, "reason", o, wo_order_transfer(e->db, f->t2a, o, f->t1, NULL, 0));
  ORDER_FAILS(WO_EINVALID, "staff_id", o, wo_order_transfer(e->db, f->t2a, o, f->t2, "to myself", 0));
  ORDER_FAILS(WO_EFORBIDDEN, "force", o, wo_order_transfer(e->db, f->t2a, o, f->outsider, "forced", 1));
  ORDER_FAILS(WO_EINVALID, "force", o, wo_order_transfer(e->db, f->t2a, o, f->t1, "x", -1));
  CHECK_OK(wo_order_transfer(e->db, f->t2a, o, f->t1, "Shift ends", 0));
  CHECK_I64(status_of(f, o), WO_STATUS_PENDING_ACCEPT);
  CHECK_I64(order_int(f, o, "assignee_id"), f->t1);
  CHECK(order_is_null(f, o, "accepted_at"));
  ORDER_FAILS(WO_EFORBIDDEN, "accept", o, wo_order_accept(e->db, f->t2a, o));
  now_ms += MINUTE;
  CHECK_OK(wo_order_accept(e->db, f->t1a, o));
  CHECK_I64(status_of(f, o), WO_STATUS_IN_PROGRESS);
  CHECK_I64(order_int(f, o, "accepted_at"), now_ms);

  /* The previous holder still sees it; an unrelated technician does not. */
  CHECK_OK(wo_order_get(&r, e->db, f->t2a, o));
  wo_record_free(r);
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_get(&r, e->db, f->outsider_a, o));
  CHECK(r == NULL);
}

static int64_t work(fixture* f, int64_t o) {
  wt_env* e = &f->env;
  int64_t labor = 0, mat = 0, svc = 0, bad = 9, n = 0;
  wo_input* in;
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int rc;

  now_ms += MINUTE;
  in = line(WO_LINE_LABOR, f->labor_item, 1500); /* 1.5 h at the assignee's rate 80.00 */
  ORDER_FAILS(WO_EFORBIDDEN, "add_line", o, wo_order_add_line(&bad, e->db, f->ca, o, in));
  CHECK_I64(bad, 0);
  ORDER_FAILS(WO_EINVALID, "line_out", o, wo_order_add_line(NULL, e->db, f->t1a, o, in));
  CHECK_OK(wo_order_add_line(&labor, e->db, f->t1a, o, in));
  wo_input_free(in);
  in = line(WO_LINE_MATERIAL, f->material, 2000);
  CHECK_OK(wo_order_add_line(&mat, e->db, f->t1a, o, in));
  wo_input_free(in);
  CHECK_I64(material_stock(f), 8000); /* reserved */
  in = line(WO_LINE_MATERIAL, f->material, 8001);
  ORDER_FAILS(WO_EOUTOFSTOCK, "requisition", o, wo_order_add_line(&bad, e->db, f->t1a, o, in));
  wo_input_free(in);
  in = line(WO_LINE_SERVICE_ITEM, f->service_item, 1000);
  CHECK_OK(wo_order_add_line(&svc, e->db, f->t1a, o, in));
  wo_input_free(in);

  in = line(3, f->service_item, 1000);
  ORDER_FAILS(WO_EINVALID, "line_kind", o, wo_order_add_line(&bad, e->db, f->t1a, o, in));
  wo_input_free(in);
  in = line(WO_LINE_SERVICE_ITEM, f->service_item, 0);
  ORDER_FAILS(WO_EINVALID, "qty", o, wo_order_add_line(&bad, e->db, f->t1a, o, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_input(), "line_kind", WO_LINE_LABOR), "qty", 1000);
  ORDER_FAILS(WO_EINVALID, "item_id", o, wo_order_add_line(&bad, e->db, f->t1a, o, in));
  wo_input_free(in);
  in = wt_int(line(WO_LINE_LABOR, f->labor_item, 1000), "price", 1);
  ORDER_FAILS(WO_EINVALID, "price", o, wo_order_add_line(&bad, e->db, f->t1a, o, in));
  wo_input_free(in);
  in = line(WO_LINE_LABOR, 987654, 1000);
  ORDER_FAILS(WO_ENOTFOUND, "item_id", o, wo_order_add_line(&bad, e->db, f->t1a, o, in));
  wo_input_free(in);
  ORDER_FAILS(WO_EINVALID, "line", o, wo_order_add_line(&bad, e->db, f->t1a, o, NULL));

  CHECK_I64(order_int(f, o, "lines_total"), 12000 + 1000 + 2000);
  CHECK_I64(order_int(f, o, "total"), 25000);

  /* Remove the service item line; removing it again is not found. */
  ORDER_FAILS(WO_EFORBIDDEN, "remove_line", o, wo_order_remove_line(e->db, f->t2a, o, svc));
  CHECK_OK(wo_order_remove_line(e->db, f->t1a, o, svc));
  ORDER_FAILS(WO_ENOTFOUND, "line_id", o, wo_order_remove_line(e->db, f->t1a, o, svc));
  ORDER_FAILS(WO_ENOTFOUND, "line_id", o, wo_order_remove_line(e->db, f->t1a, o, 987654));
  CHECK_I64(order_int(f, o, "lines_total"), 13000);

  /* Lines read back, removed ones included. */
  CHECK_OK(wo_order_lines(&it, e->db, f->ca, o));
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    const int64_t id = wt_get_int(r, "id");
    CHECK_STR(wo_record_kind(r), "charge_line");
    CHECK_I64(wt_get_int(r, "order_id"), o);
    CHECK_I64(wt_get_int(r, "created_at"), now_ms);
    if (id == labor) {
      CHECK_I64(wt_get_int(r, "line_kind"), WO_LINE_LABOR);
      CHECK_I64(wt_get_int(r, "item_id"), f->labor_item);
      CHECK_I64(wt_get_int(r, "staff_id"), f->t1);
      CHECK_STR(wt_get_text(r, "name"), "Hour");
      CHECK_I64(wt_get_int(r, "unit_price"), 8000);
      CHECK_I64(wt_get_int(r, "qty"), 1500);
      CHECK_I64(wt_get_int(r, "amount"), 12000);
      CHECK_I64(wt_get_int(r, "removed"), 0);
    } else if (id == mat) {
      CHECK_I64(wt_get_int(r, "line_kind"), WO_LINE_MATERIAL);
      CHECK_I64(wt_get_int(r, "unit_price"), 500);
      CHECK_I64(wt_get_int(r, "amount"), 1000);
      CHECK(wt_is_null(r, "staff_id"));
    } else {
      CHECK_I64(id, svc);
      CHECK_I64(wt_get_int(r, "amount"), 2000);
      CHECK_I64(wt_get_int(r, "removed"), 1);
    }
    wo_record_free(r);
    ++n;
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  CHECK_I64(n, 3);

  /* Messages from both sides, in any status. */
  ORDER_FAILS(WO_EINVALID, "text", o, wo_order_message(e->db, f->ca, o, ""));
  ORDER_FAILS(WO_EINVALID, "text", o, wo_order_message(e->db, f->ca, o, NULL));
  ORDER_FAILS(WO_ENOTFOUND, "order", o, wo_order_message(e->db, f->c2a, o, "hello?"));
  CHECK_OK(wo_order_message(e->db, f->ca, o, "When will you come?"));
  CHECK_OK(wo_order_message(e->db, f->t1a, o, "Tomorrow at 9"));
  return mat;
}

static void finish_and_pay(fixture* f, int64_t o) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_iter* it = NULL;
  wo_input* filter;
  int64_t consumed = 0;
  wo_record* r = NULL;
  int rc;

  now_ms += MINUTE;
  ORDER_FAILS(WO_EFORBIDDEN, "finish", o, wo_order_finish(e->db, f->ca, o));
  CHECK_OK(wo_order_finish(e->db, f->t1a, o));
  CHECK_I64(status_of(f, o), WO_STATUS_AWAITING_PAYMENT); /* 23000 owed, 3000 paid */
  CHECK_I64(order_int(f, o, "finished_at"), now_ms);
  CHECK_I64(order_int(f, o, "total"), 23000);
  CHECK_I64(order_int(f, o, "balance"), 20000);
  CHECK_I64(material_stock(f), 8000);
  /* Reserved material is now consumed (recorded, stock unchanged). */
  filter = wt_int(wt_int(wt_input(), "order_id", o), "movement_kind", WO_MOVEMENT_CONSUME);
  CHECK_OK(wo_stock_movement_list(&it, e->db, e->a.admin, filter));
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    CHECK_I64(wt_get_int(r, "material_id"), f->material);
    consumed += wt_get_int(r, "qty");
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  wo_input_free(filter);
  CHECK_I64(consumed, 2000);
  in = line(WO_LINE_SERVICE_ITEM, f->service_item, 1000);
  ORDER_FAILS(WO_ESTATE, "add_line", o, wo_order_add_line(&consumed, e->db, f->t1a, o, in)); /* the bill is fixed */
  ORDER_FAILS(WO_ESTATE, "finish", o, wo_order_finish(e->db, f->t1a, o));
  wo_input_free(in);

  /* Partial payments add up; never more than the balance. */
  now_ms += MINUTE;
  in = payment(WO_CHANNEL_WECHAT, 20001, "wx-2");
  ORDER_FAILS(WO_EPAYMENT, "20000", o, wo_order_pay(e->db, f->ca, o, in));
  wo_input_free(in);
  in = payment(WO_CHANNEL_WECHAT, 5000, "wx-1"); /* the prepayment's transaction id */
  ORDER_FAILS(WO_ECONFLICT, "wx-1", o, wo_order_pay(e->db, f->ca, o, in));
  wo_input_free(in);
  in = payment(WO_CHANNEL_WECHAT, 5000, "wx-2");
  ORDER_FAILS(WO_ENOTFOUND, "order", o, wo_order_pay(e->db, f->outsider_a, o, in));
  CHECK_OK(wo_order_pay(e->db, f->ca, o, in));
  CHECK_OK(wo_order_pay(e->db, f->ca, o, in)); /* idempotent */
  wo_input_free(in);
  CHECK_I64(status_of(f, o), WO_STATUS_AWAITING_PAYMENT);
  CHECK_I64(order_int(f, o, "balance"), 15000);
  in = payment(WO_CHANNEL_CASH, 15000, NULL); /* recorded offline by the dispatcher */
  CHECK_OK(wo_order_pay(e->db, f->disp_a, o, in));
  wo_input_free(in);
  CHECK_I64(status_of(f, o), WO_STATUS_AWAITING_RATING);
  CHECK_I64(order_int(f, o, "balance"), 0);
  CHECK_I64(order_int(f, o, "settled_at"), now_ms);
  in = payment(WO_CHANNEL_CASH, 1, NULL);
  ORDER_FAILS(WO_EPAYMENT, "refund", o, wo_order_refund(e->db, f->disp_a, o, in)); /* nothing due */
  ORDER_FAILS(WO_ESTATE, "pay", o, wo_order_pay(e->db, f->ca, o, in));
  wo_input_free(in);
}

static void rate_reopen_cancel_refund(fixture* f, int64_t o) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int64_t refunds = 0, kinds[8], amounts[8], n = 0;
  int rc;

  now_ms += MINUTE;
  ORDER_FAILS(WO_EINVALID, "score", o, wo_order_rate(e->db, f->ca, o, 0, NULL));
  ORDER_FAILS(WO_EINVALID, "score", o, wo_order_rate(e->db, f->ca, o, 6, "too good"));
  ORDER_FAILS(WO_EFORBIDDEN, "rate", o, wo_order_rate(e->db, f->t1a, o, 5, NULL));
  CHECK_OK(wo_order_rate(e->db, f->ca, o, 5, "Quick fix 很快"));
  CHECK_I64(status_of(f, o), WO_STATUS_COMPLETED);
  CHECK_I64(order_int(f, o, "rating"), 5);
  CHECK_I64(order_int(f, o, "completed_at"), now_ms);

  /* Reopened within the window by the reporter. */
  now_ms += DAY;
  ORDER_FAILS(WO_EINVALID, "reason", o, wo_order_reopen(e->db, f->ca, o, NULL));
  ORDER_FAILS(WO_EFORBIDDEN, "reopen", o, wo_order_reopen(e->db, f->disp_a, o, "again"));
  CHECK_OK(wo_order_reopen(e->db, f->ca, o, "It sparks again"));
  CHECK_I64(status_of(f, o), WO_STATUS_PENDING_DISPATCH);
  CHECK_I64(order_int(f, o, "reopen_count"), 1);
  CHECK(order_is_null(f, o, "assignee_id"));
  CHECK(order_is_null(f, o, "rating"));
  CHECK_I64(order_int(f, o, "paid"), 23000); /* payments stay */

  /* Cancelled by the reporter: everything paid is due back. */
  now_ms += MINUTE;
  ORDER_FAILS(WO_ENOTFOUND, "order", o, wo_order_cancel(e->db, f->outsider_a, o, "no"));
  ORDER_FAILS(WO_EINVALID, "reason", o, wo_order_cancel(e->db, f->ca, o, ""));
  CHECK_OK(wo_order_cancel(e->db, f->ca, o, "No longer needed"));
  CHECK_I64(status_of(f, o), WO_STATUS_CANCELLED);
  CHECK_I64(order_int(f, o, "cancelled_at"), now_ms);
  CHECK_I64(order_int(f, o, "owed"), 0);
  CHECK_I64(order_int(f, o, "refund_due"), 23000);
  ORDER_FAILS(WO_ESTATE, "cancel", o, wo_order_cancel(e->db, f->ca, o, "twice"));

  /* The host pays the refund out in two parts and records them. */
  in = payment(WO_CHANNEL_WECHAT, 23001, NULL);
  ORDER_FAILS(WO_EPAYMENT, "23000", o, wo_order_refund(e->db, f->disp_a, o, in));
  wo_input_free(in);
  in = payment(WO_CHANNEL_WECHAT, 3000, "rf-1");
  ORDER_FAILS(WO_EFORBIDDEN, "refund", o, wo_order_refund(e->db, f->ca, o, in));
  ORDER_FAILS(WO_EINVALID, "refund", o, wo_order_refund(e->db, f->disp_a, o, NULL));
  CHECK_OK(wo_order_refund(e->db, f->disp_a, o, in));
  CHECK_OK(wo_order_refund(e->db, f->disp_a, o, in)); /* idempotent */
  wo_input_free(in);
  in = payment(WO_CHANNEL_CASH, 20000, NULL);
  CHECK_OK(wo_order_refund(e->db, e->a.admin, o, in));
  wo_input_free(in);
  CHECK_I64(order_int(f, o, "refunded"), 23000);
  CHECK_I64(order_int(f, o, "refund_due"), 0);
  CHECK_I64(order_int(f, o, "balance"), 0);

  CHECK_OK(wo_order_payments(&it, e->db, e->a.admin, o));
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    CHECK(n < 8);
    kinds[n] = wt_get_int(r, "payment_kind");
    amounts[n] = wt_get_int(r, "amount");
    if (kinds[n] == WO_PAYMENT_REFUND) refunds += amounts[n];
    ++n;
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  CHECK_I64(n, 5);
  CHECK_I64(kinds[0], WO_PAYMENT_PREPAYMENT);
  CHECK_I64(kinds[1], WO_PAYMENT_PAYMENT);
  CHECK_I64(amounts[1], 5000);
  CHECK_I64(kinds[2], WO_PAYMENT_PAYMENT);
  CHECK_I64(amounts[2], 15000);
  CHECK_I64(refunds, 23000);
}

static void check_timeline(fixture* f, int64_t o) {
  static const int64_t expected[] = {
      WO_ACTION_SUBMIT,     WO_ACTION_PAY_PREPAYMENT, WO_ACTION_ASSIGN,      WO_ACTION_REJECT,   WO_ACTION_GRAB,
      WO_ACTION_TRANSFER,   WO_ACTION_ACCEPT,         WO_ACTION_ADD_LINE,    WO_ACTION_ADD_LINE, WO_ACTION_ADD_LINE,
      WO_ACTION_REMOVE_LINE, WO_ACTION_MESSAGE,       WO_ACTION_MESSAGE,     WO_ACTION_FINISH,   WO_ACTION_PAY,
      WO_ACTION_PAY,        WO_ACTION_RATE,           WO_ACTION_REOPEN,      WO_ACTION_CANCEL,   WO_ACTION_REFUND,
      WO_ACTION_REFUND};
  const int64_t count = (int64_t)(sizeof expected / sizeof expected[0]);
  wt_env* e = &f->env;
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int64_t n = 0, prev_id = 0, prev_at = 0, fifth = 0;
  int rc;

  CHECK_OK(wo_order_timeline(&it, e->db, f->ca, o, 0));
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    CHECK(n < count);
    CHECK_STR(wo_record_kind(r), "event");
    CHECK_I64(wt_get_int(r, "order_id"), o);
    CHECK_I64(wt_get_int(r, "action"), expected[n]);
    CHECK(wt_get_int(r, "id") > prev_id);
    CHECK(wt_get_int(r, "at") >= prev_at);
    prev_id = wt_get_int(r, "id");
    prev_at = wt_get_int(r, "at");
    if (n == 4) fifth = prev_id;
    if (n == 0) {
      CHECK(wt_is_null(r, "from_status"));
      CHECK_I64(wt_get_int(r, "to_status"), WO_STATUS_AWAITING_PREPAYMENT);
      CHECK_I64(wt_get_int(r, "actor_kind"), WO_ACTOR_CONTACT);
      CHECK_I64(wt_get_int(r, "amount"), 3000);
    }
    if (expected[n] == WO_ACTION_REJECT) {
      CHECK_I64(wt_get_int(r, "from_status"), WO_STATUS_PENDING_ACCEPT);
      CHECK_I64(wt_get_int(r, "to_status"), WO_STATUS_PENDING_DISPATCH);
      CHECK_STR(wt_get_text(r, "details"), "On leave today");
      CHECK_I64(wt_get_int(r, "actor_id"), f->t1);
    }
    if (n == 11) CHECK_STR(wt_get_text(r, "details"), "When will you come?");
    ++n;
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  CHECK_I64(n, count);
  /* Only what follows a given event. */
  CHECK_OK(wo_order_timeline(&it, e->db, e->a.admin, o, fifth));
  CHECK_I64(wt_count(it), count - 5);
}

/* ---- 2. staff reporters, payer, timers -------------------------------------------------------- */

static void staff_reports_and_timers(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  int64_t own = 0, for_tenant = 0, late = 0, unrated = 0, x = 0;
  wo_input* settings;

  /* Staff report for the org: staff reporter, enterprise payer, no prepayment. */
  now_ms += DAY;
  in = draft(f->free_sub, 0, WO_SOURCE_STAFF_MOBILE);
  CHECK_OK(wo_order_submit(&own, e->db, f->disp_a, in));
  wo_input_free(in);
  CHECK_OK(wo_order_get(&r, e->db, f->disp_a, own));
  CHECK_I64(wt_get_int(r, "status"), WO_STATUS_PENDING_DISPATCH);
  CHECK_I64(wt_get_int(r, "reporter_staff_id"), f->disp);
  CHECK(wt_is_null(r, "tenant_id"));
  CHECK_I64(wt_get_int(r, "payer"), WO_PAYER_ENTERPRISE);
  CHECK_I64(wt_get_int(r, "created_by_kind"), WO_ACTOR_STAFF);
  CHECK_STR(wt_get_text(r, "number"), "20231117-000001"); /* a new local day, a new sequence */
  wo_record_free(r);

  /* Staff report for a tenant with the enterprise paying: nothing to prepay. */
  in = draft(f->prepaid, f->spec, WO_SOURCE_STAFF_PC);
  wt_text(wt_int(wt_int(in, "tenant_id", f->tenant), "payer", WO_PAYER_ENTERPRISE), "reporter_phone", "139-0000-0001");
  CHECK_OK(wo_order_submit(&for_tenant, e->db, f->disp_a, in));
  wo_input_free(in);
  CHECK_I64(status_of(f, for_tenant), WO_STATUS_PENDING_DISPATCH);
  CHECK_I64(order_int(f, for_tenant, "reporter_contact_id"), f->contact);
  CHECK_I64(order_int(f, for_tenant, "prepay_due"), 0);
  CHECK_I64(order_int(f, for_tenant, "owed"), 0);
  CHECK_OK(wo_order_cancel(e->db, f->disp_a, for_tenant, "duplicate"));

  /* Accept timeout: assigned, not accepted within accept_timeout_min (60). */
  CHECK_OK(wo_order_assign(e->db, f->disp_a, own, f->t1, 0));
  tick(f, now_ms + 60 * MINUTE - 1, 0);
  tick(f, now_ms + 60 * MINUTE, 1);
  CHECK_I64(status_of(f, own), WO_STATUS_PENDING_DISPATCH);
  CHECK(order_is_null(f, own, "assignee_id"));
  {
    wo_iter* it = NULL;
    int64_t last_action = -1, last_kind = -1;
    CHECK_OK(wo_order_timeline(&it, e->db, e->a.admin, own, 0));
    while (wo_iter_next(&r, it) == WO_OK) {
      last_action = wt_get_int(r, "action");
      last_kind = wt_get_int(r, "actor_kind");
      wo_record_free(r);
    }
    wo_iter_free(it);
    CHECK_I64(last_action, WO_ACTION_ACCEPT_TIMEOUT);
    CHECK_I64(last_kind, WO_ACTOR_SYSTEM);
  }
  /* A forced assignment to a non-eligible technician; the dispatcher finishes; nothing owed
   * and a staff reporter: completed at once. */
  CHECK_OK(wo_order_assign(e->db, f->disp_a, own, f->outsider, 1));
  CHECK_OK(wo_order_accept(e->db, f->outsider_a, own));
  CHECK_OK(wo_order_finish(e->db, f->disp_a, own));
  CHECK_I64(status_of(f, own), WO_STATUS_COMPLETED);

  /* Prepayment timeout (prepay_timeout_min = 30). */
  now_ms += MINUTE;
  in = draft(f->prepaid, f->spec, WO_SOURCE_MINI_PROGRAM);
  CHECK_OK(wo_order_submit(&late, e->db, f->ca, in));
  wo_input_free(in);
  tick(f, now_ms + 30 * MINUTE - 1, 0);
  tick(f, now_ms + 30 * MINUTE, 1);
  CHECK_I64(status_of(f, late), WO_STATUS_CANCELLED);
  tick(f, now_ms + 31 * MINUTE, 0); /* nothing left to expire */

  /* Rating timeout (rating_timeout_days, here 2) with the auto rating (here 4). */
  settings = wt_int(wt_int(wt_input(), "rating_timeout_days", 2), "auto_rating_score", 4);
  CHECK_OK(wo_settings_update(e->db, e->a.admin, settings));
  wo_input_free(settings);
  now_ms += MINUTE;
  in = draft(f->free_sub, 0, WO_SOURCE_H5);
  CHECK_OK(wo_order_submit(&unrated, e->db, f->ca, in));
  wo_input_free(in);
  CHECK_OK(wo_order_grab(e->db, f->t2a, unrated));
  CHECK_OK(wo_order_finish(e->db, f->t2a, unrated));
  CHECK_I64(status_of(f, unrated), WO_STATUS_AWAITING_RATING);
  CHECK_I64(order_int(f, unrated, "owed"), 0); /* free */
  tick(f, now_ms + 2 * DAY - 1, 0);
  tick(f, now_ms + 2 * DAY, 1);
  CHECK_I64(status_of(f, unrated), WO_STATUS_COMPLETED);
  CHECK_I64(order_int(f, unrated, "rating"), 4);

  /* Only the system actor runs timers. */
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_tick(&x, e->db, e->a.admin, now_ms));
  CHECK_FAIL(WO_EINVALID, "changed_out", wo_tick(NULL, e->db, e->sys, now_ms));
  CHECK_FAIL(WO_EINVALID, "db", wo_tick(&x, NULL, e->sys, now_ms));
  CHECK_FAIL(WO_EINVALID, "actor", wo_tick(&x, e->db, NULL, now_ms));
}

/* ---- 3. submission errors and handles --------------------------------------------------------- */

static void bad_submissions(fixture* f) {
  wt_env* e = &f->env;
  char* long_description = wt_repeat("d", 2001);
  char* max_description = wt_repeat("维", 2000);
  int64_t o = 0, ok = 0;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  wo_input* in;
  int i;

#define SUBMIT_FAILS(code, needle, actor, input)                    \
  do {                                                              \
    wo_input* in_ = (input);                                        \
    o = 5;                                                          \
    CHECK_FAIL((code), (needle), wo_order_submit(&o, e->db, (actor), in_)); \
    CHECK_I64(o, 0);                                                \
    wo_input_free(in_);                                             \
  } while (0)
  SUBMIT_FAILS(WO_EINVALID, "description", f->ca, wt_null(draft(f->free_sub, 0, 0), "description"));
  SUBMIT_FAILS(WO_EINVALID, "description", f->ca, wt_text(draft(f->free_sub, 0, 0), "description", long_description));
  SUBMIT_FAILS(WO_EINVALID, "description", f->ca, wt_text(draft(f->free_sub, 0, 0), "description", "\xC3\x28"));
  SUBMIT_FAILS(WO_EINVALID, "description", f->ca, wt_int(draft(f->free_sub, 0, 0), "description", 1));
  SUBMIT_FAILS(WO_EINVALID, "address", f->ca, wt_text(draft(f->free_sub, 0, 0), "address", ""));
  SUBMIT_FAILS(WO_EINVALID, "source_channel", f->ca, wt_int(draft(f->free_sub, 0, 0), "source_channel", 6));
  SUBMIT_FAILS(WO_EINVALID, "payer", f->disp_a, wt_int(draft(f->free_sub, 0, 0), "payer", 2));
  SUBMIT_FAILS(WO_EFORBIDDEN, "payer", f->ca, wt_int(draft(f->free_sub, 0, 0), "payer", WO_PAYER_ENTERPRISE));
  SUBMIT_FAILS(WO_EINVALID, "colour", f->ca, wt_text(draft(f->free_sub, 0, 0), "colour", "red"));
  SUBMIT_FAILS(WO_EINVALID, "status", f->ca, wt_int(draft(f->free_sub, 0, 0), "status", WO_STATUS_COMPLETED));
  SUBMIT_FAILS(WO_EINVALID, "spec_id", f->ca, draft(f->prepaid, 0, 0));
  SUBMIT_FAILS(WO_ENOTFOUND, "subtype_id", f->ca, draft(987654, 0, 0));
  SUBMIT_FAILS(WO_ENOTFOUND, "subtype_id", e->b.admin, draft(f->free_sub, 0, 0));
  SUBMIT_FAILS(WO_EINVALID, "tenant_id", f->ca, wt_int(draft(f->free_sub, 0, 0), "tenant_id", f->tenant2));
  SUBMIT_FAILS(WO_EINVALID, "reporter_phone", f->disp_a,
               wt_text(wt_int(draft(f->free_sub, 0, 0), "tenant_id", f->tenant), "reporter_phone", "13900000002"));
  SUBMIT_FAILS(WO_EINVALID, "reporter_phone", f->disp_a, wt_int(draft(f->free_sub, 0, 0), "tenant_id", f->tenant));
  SUBMIT_FAILS(WO_EFORBIDDEN, "system", e->sys, draft(f->free_sub, 0, 0));
  in = draft(f->free_sub, 0, 0);
  for (i = 0; i < 10; ++i) CHECK_OK(wo_input_add_text(in, "attachments", "a.jpg"));
  SUBMIT_FAILS(WO_EINVALID, "attachments", f->ca, in);
  SUBMIT_FAILS(WO_EINVALID, "attachments", f->ca, wt_int(draft(f->free_sub, 0, 0), "attachments", 1));
  in = draft(f->free_sub, 0, 0);
  CHECK_OK(wo_input_add_text(in, "attachments", ""));
  SUBMIT_FAILS(WO_EINVALID, "attachment", f->ca, in);
  in = draft(f->free_sub, 0, 0);
  CHECK_FAIL(WO_EINVALID, "value", wo_input_add_text(in, "attachments", NULL));
  CHECK_FAIL(WO_EINVALID, "field", wo_input_add_text(in, NULL, "x"));
  CHECK_FAIL(WO_EINVALID, "input", wo_input_add_text(NULL, "attachments", "x"));
  CHECK_FAIL(WO_EINVALID, "id_out", wo_order_submit(NULL, e->db, f->ca, in));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_submit(&o, NULL, f->ca, in));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_submit(&o, e->db, NULL, in));
  CHECK_FAIL(WO_EINVALID, "draft", wo_order_submit(&o, e->db, f->ca, NULL));
  /* The longest description and nine attachments are fine. */
  wt_text(in, "description", max_description);
  for (i = 0; i < 9; ++i) CHECK_OK(wo_input_add_text(in, "attachments", "https://img.example/x.jpg"));
  CHECK_OK(wo_order_submit(&ok, e->db, f->ca, in));
  wo_input_free(in);
  CHECK_OK(wo_order_attachments(&it, e->db, f->ca, ok));
  CHECK_I64(wt_count(it), 9);
#undef SUBMIT_FAILS

  /* Reading: other orgs, other contacts, NULLs. */
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_get(&r, e->db, e->b.admin, ok));
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_get(&r, e->db, f->c2a, ok));
  CHECK_FAIL(WO_ENOTFOUND, "987654", wo_order_get(&r, e->db, e->a.admin, 987654));
  CHECK(r == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_order_get(NULL, e->db, e->a.admin, ok));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_get(&r, NULL, e->a.admin, ok));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_get(&r, e->db, NULL, ok));
  it = (wo_iter*)f;
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_attachments(&it, e->db, e->b.admin, ok));
  CHECK(it == NULL);
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_lines(&it, e->db, f->c2a, ok));
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_payments(&it, e->db, e->b.admin, ok));
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_timeline(&it, e->db, e->b.admin, ok, 0));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_order_attachments(NULL, e->db, e->a.admin, ok));
  CHECK_FAIL(WO_EINVALID, "out", wo_order_lines(NULL, e->db, e->a.admin, ok));
  CHECK_FAIL(WO_EINVALID, "out", wo_order_payments(NULL, e->db, e->a.admin, ok));
  CHECK_FAIL(WO_EINVALID, "out", wo_order_timeline(NULL, e->db, e->a.admin, ok, 0));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_attachments(&it, NULL, e->a.admin, ok));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_lines(&it, NULL, e->a.admin, ok));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_payments(&it, e->db, NULL, ok));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_timeline(&it, e->db, NULL, ok, 0));
  /* Life-cycle calls check their handles too. */
  CHECK_FAIL(WO_EINVALID, "db", wo_order_accept(NULL, f->t1a, ok));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_grab(e->db, NULL, ok));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_finish(e->db, NULL, ok));
  CHECK_FAIL(WO_ENOTFOUND, "987654", wo_order_message(e->db, e->a.admin, 987654, "hi"));
  CHECK_OK(wo_order_cancel(e->db, e->a.admin, ok, "test over"));
  free(long_description);
  free(max_description);
}

/* The last event of the order's timeline: its action, actor kind and staff_id. */
static void last_event(fixture* f, int64_t order, int64_t* action, int64_t* actor_kind, int64_t* staff) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  wo_record* last = NULL;
  CHECK_OK(wo_order_timeline(&it, f->env.db, f->env.a.admin, order, 0));
  while (wo_iter_next(&r, it) == WO_OK) {
    wo_record_free(last);
    last = r;
  }
  wo_iter_free(it);
  CHECK(last != NULL);
  *action = wt_get_int(last, "action");
  *actor_kind = wt_get_int(last, "actor_kind");
  *staff = wt_is_null(last, "staff_id") ? 0 : wt_get_int(last, "staff_id");
  wo_record_free(last);
}

static void auto_dispatch(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  int64_t waiting = 0, o = 0, picked = -1, action = 0, actor_kind = 0, staff = 0;

  now_ms += MINUTE;
  /* Submitted while the type is dispatched by hand: it waits in the pool. */
  in = draft(f->free_sub, 0, WO_SOURCE_H5);
  CHECK_OK(wo_order_submit(&waiting, e->db, f->ca, in));
  wo_input_free(in);
  CHECK_OK(wo_order_dispatch_preview(&picked, e->db, f->disp_a, waiting));
  CHECK_I64(picked, 0);

  /* An unknown strategy is refused, naming the field. */
  in = wt_int(wt_input(), "dispatch_strategy", 3);
  CHECK_FAIL(WO_EINVALID, "dispatch_strategy", wo_order_type_update(e->db, e->a.admin, f->order_type, in));
  wo_input_free(in);
  in = wt_int(wt_input(), "dispatch_strategy", WO_DISPATCH_LEAST_LOADED);
  CHECK_OK(wo_order_type_update(e->db, e->a.admin, f->order_type, in));
  wo_input_free(in);
  CHECK_OK(wo_order_type_get(&r, e->db, e->a.admin, f->order_type));
  CHECK_I64(wt_get_int(r, "dispatch_strategy"), WO_DISPATCH_LEAST_LOADED);
  CHECK(wt_is_null(r, "last_dispatched_id"));
  wo_record_free(r);

  /* The preview names an eligible technician, for dispatchers and admins only. */
  CHECK_OK(wo_order_dispatch_preview(&picked, e->db, f->disp_a, waiting));
  CHECK(picked == f->t1 || picked == f->t2);
  picked = -1;
  CHECK_FAIL(WO_EFORBIDDEN, "preview", wo_order_dispatch_preview(&picked, e->db, f->t1a, waiting));
  CHECK_I64(picked, 0);
  CHECK_FAIL(WO_EINVALID, "staff_out", wo_order_dispatch_preview(NULL, e->db, f->disp_a, waiting));
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_dispatch_preview(&picked, e->db, f->c2a, waiting));

  /* Submitted now: the system assigns it in the same call. */
  now_ms += MINUTE;
  in = draft(f->free_sub, 0, WO_SOURCE_H5);
  CHECK_OK(wo_order_submit(&o, e->db, f->ca, in));
  wo_input_free(in);
  CHECK_OK(wo_order_get(&r, e->db, e->a.admin, o));
  CHECK_I64(wt_get_int(r, "status"), WO_STATUS_PENDING_ACCEPT);
  staff = wt_get_int(r, "assignee_id");
  CHECK(staff == f->t1 || staff == f->t2);
  wo_record_free(r);
  last_event(f, o, &action, &actor_kind, &picked);
  CHECK_I64(action, WO_ACTION_AUTO_ASSIGN);
  CHECK_I64(actor_kind, WO_ACTOR_SYSTEM);
  CHECK_I64(picked, staff);
  CHECK_FAIL(WO_ESTATE, "pending_dispatch", wo_order_dispatch_preview(&picked, e->db, f->disp_a, o));

  in = wt_int(wt_input(), "dispatch_strategy", WO_DISPATCH_MANUAL);
  CHECK_OK(wo_order_type_update(e->db, e->a.admin, f->order_type, in));
  wo_input_free(in);
}

/* Service levels (docs/rules.md §11): checked settings and targets, an order's live clocks,
 * the warning and breach of wo_tick, the breached list filter and the dashboard's attainment. */
static void service_levels(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  wo_dashboard* d = NULL;
  const wo_record* summary = NULL;
  int64_t o = 0, submitted = 0, action = 0, actor_kind = 0, staff = 0, type_rows = 0;

  /* Bad hours, shares and targets are refused, naming the field. */
  in = wt_text(wt_input(), "business_hours", "mon-fri 9-5");
  CHECK_FAIL(WO_EINVALID, "business_hours", wo_settings_update(e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "business_exceptions", "2026-13-01 closed");
  CHECK_FAIL(WO_EINVALID, "business_exceptions", wo_settings_update(e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_input(), "sla_warning_percent", 100);
  CHECK_FAIL(WO_EINVALID, "sla_warning_percent", wo_settings_update(e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_input(), "response_target_min", 0);
  CHECK_FAIL(WO_EINVALID, "response_target_min", wo_subtype_update(e->db, e->a.admin, f->free_sub, in));
  wo_input_free(in);
  CHECK_OK(wo_settings_get(&r, e->db, e->a.admin));
  CHECK_STR(wt_get_text(r, "business_hours"), "");
  CHECK_I64(wt_get_int(r, "sla_warning_percent"), 80);
  wo_record_free(r);

  /* Around the clock, warnings at half the target; no accept timer to get in the way. */
  in = wt_int(wt_int(wt_input(), "sla_warning_percent", 50), "accept_timeout_min", 0);
  CHECK_OK(wo_settings_update(e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_input(), "response_target_min", 60), "resolution_target_min", 600);
  CHECK_OK(wo_subtype_update(e->db, e->a.admin, f->free_sub, in));
  wo_input_free(in);

  now_ms += MINUTE;
  submitted = now_ms;
  in = draft(f->free_sub, 0, WO_SOURCE_H5);
  CHECK_OK(wo_order_submit(&o, e->db, f->ca, in));
  wo_input_free(in);
  CHECK_OK(wo_order_get(&r, e->db, e->a.admin, o));
  CHECK_I64(wt_get_int(r, "response_target_min"), 60);
  CHECK_I64(wt_get_int(r, "response_state"), WO_SERVICE_OPEN);
  CHECK_I64(wt_get_int(r, "response_due"), submitted + 60 * MINUTE);
  CHECK_I64(wt_get_int(r, "resolution_due"), submitted + 600 * MINUTE);
  CHECK_I64(wt_get_int(r, "response_used_ms"), 0);
  CHECK_I64(wt_get_int(r, "response_alerts"), 0);
  wo_record_free(r);

  /* Half the target used: one warning (to the dispatchers: the order is in the pool). */
  now_ms = submitted + 30 * MINUTE;
  tick(f, now_ms, 1);
  last_event(f, o, &action, &actor_kind, &staff);
  CHECK_I64(action, WO_ACTION_SLA_WARNING);
  CHECK_I64(actor_kind, WO_ACTOR_SYSTEM);
  tick(f, now_ms, 0);
  CHECK_I64(order_int(f, o, "response_used_ms"), 30 * MINUTE);

  in = wt_int(wt_input(), "breached", 1);
  CHECK_OK(wo_order_list(&it, e->db, e->a.admin, WO_VIEW_ALL, in, NULL, 50));
  CHECK_I64(wt_count(it), 0); /* frees it */

  /* Past the target: the breach, once; the list and the order say so. */
  now_ms = submitted + 61 * MINUTE;
  tick(f, now_ms, 1);
  last_event(f, o, &action, &actor_kind, &staff);
  CHECK_I64(action, WO_ACTION_SLA_BREACH);
  tick(f, now_ms + MINUTE, 0);
  CHECK_I64(order_int(f, o, "response_state"), WO_SERVICE_BREACHED);
  CHECK_I64(order_int(f, o, "response_alerts"), 2);
  CHECK_OK(wo_order_list(&it, e->db, e->a.admin, WO_VIEW_ALL, in, NULL, 50));
  CHECK_I64(wt_count(it), 1);
  wo_input_free(in);

  /* The dashboard: one response breached, one resolution open, in the summary and per type. */
  CHECK_OK(wo_dashboard_get(&d, e->db, e->a.admin, submitted, submitted + 1));
  CHECK_OK(wo_dashboard_summary(&summary, d));
  CHECK_I64(wt_get_int(summary, "response_breached"), 1);
  CHECK_I64(wt_get_int(summary, "response_met"), 0);
  CHECK_I64(wt_get_int(summary, "resolution_open"), 1);
  CHECK_OK(wo_dashboard_rows(&it, d, WO_DASHBOARD_TYPES));
  while (wo_iter_next(&r, it) == WO_OK) {
    ++type_rows;
    CHECK_I64(wt_get_int(r, "response_breached"), 1);
    CHECK_I64(wt_get_int(r, "resolution_open"), 1);
    wo_record_free(r);
  }
  wo_iter_free(it);
  CHECK_I64(type_rows, 1);
  wo_dashboard_free(d);

  in = wt_null(wt_null(wt_input(), "response_target_min"), "resolution_target_min");
  CHECK_OK(wo_subtype_update(e->db, e->a.admin, f->free_sub, in));
  wo_input_free(in);
}

int main(void) {
  fixture f;
  int64_t o;
  memset(&f, 0, sizeof f);
  setup(&f);
  o = submit_prepaid(&f);
  prepay(&f, o);
  dispatch(&f, o);
  work(&f, o);
  finish_and_pay(&f, o);
  rate_reopen_cancel_refund(&f, o);
  check_timeline(&f, o);
  staff_reports_and_timers(&f);
  bad_submissions(&f);
  auto_dispatch(&f);
  service_levels(&f);
  teardown(&f);
  printf("capi_order_test: OK\n");
  return 0;
}
