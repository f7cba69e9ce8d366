/* SPDX-License-Identifier: MIT */
/* capi_stock_test.c — stock movements through the C ABI: requisitions and adjustments move a
 * material's stock in the same transaction; a movement that would make stock negative fails
 * with WO_EOUTOFSTOCK and changes nothing; bad quantities, kinds, notes, materials of another
 * org and non-admin actors fail with a message naming the field and no change; movements are
 * read back (get and filtered lists) with the acting staff member and the injected time.
 * Quantities beyond 64 bits: capi_stock_overflow_test.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

static int64_t now_ms = 1717171717000LL;
static int64_t fixed_clock(void* ctx) { return *(const int64_t*)ctx; }

typedef struct fixture {
  wt_env env;
  int64_t cable, fuse, b_material;
  int64_t tech;
  wo_actor* tech_actor;
} fixture;

static int64_t material(wo_db* db, const wo_actor* admin, const char* sku) {
  int64_t id = 0;
  wo_input* in = wt_int(wt_text(wt_text(wt_text(wt_input(), "sku", sku), "name", sku), "unit", "m"), "unit_price", 100);
  CHECK_OK(wo_material_create(&id, db, admin, in));
  wo_input_free(in);
  return id;
}

static int64_t stock_of(fixture* f, int64_t material_id) {
  wo_record* r = NULL;
  int64_t stock;
  CHECK_OK(wo_material_get(&r, f->env.db, f->env.a.admin, material_id));
  stock = wt_get_int(r, "stock");
  wo_record_free(r);
  return stock;
}

static int64_t count_movements(fixture* f, const wo_actor* actor) {
  wo_iter* it = NULL;
  CHECK_OK(wo_stock_movement_list(&it, f->env.db, actor, NULL));
  return wt_count(it);
}

static wo_input* movement(int64_t material_id, int64_t kind, int64_t qty) {
  return wt_int(wt_int(wt_int(wt_input(), "material_id", material_id), "movement_kind", kind), "qty", qty);
}

/* Creates a movement, expects `code` naming `needle`, and checks stock and movements did not
 * change. Frees the input. */
static void movement_fails(fixture* f, const wo_actor* actor, wo_input* in, int code, const char* needle) {
  const int64_t cable = stock_of(f, f->cable), fuse = stock_of(f, f->fuse);
  const int64_t movements = count_movements(f, f->env.a.admin);
  int64_t id = 99;
  CHECK_FAIL(code, needle, wo_stock_movement_create(&id, f->env.db, actor, in));
  CHECK_I64(id, 0);
  CHECK_I64(stock_of(f, f->cable), cable);
  CHECK_I64(stock_of(f, f->fuse), fuse);
  CHECK_I64(count_movements(f, f->env.a.admin), movements);
  wo_input_free(in);
}

static void test_requisition_and_adjustment(fixture* f) {
  wt_env* e = &f->env;
  int64_t req = 0, adj = 0, id = 0;
  wo_input* in;
  wo_record* r = NULL;

  CHECK_I64(stock_of(f, f->cable), 0);
  in = wt_text(movement(f->cable, WO_MOVEMENT_REQUISITION, 5000), "note", "Delivery #1 入库");
  CHECK_OK(wo_stock_movement_create(&req, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK(req > 0);
  CHECK_I64(stock_of(f, f->cable), 5000);
  CHECK_I64(stock_of(f, f->fuse), 0);

  in = movement(f->cable, WO_MOVEMENT_ADJUSTMENT, -1500);
  CHECK_OK(wo_stock_movement_create(&adj, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(stock_of(f, f->cable), 3500);
  in = movement(f->cable, WO_MOVEMENT_ADJUSTMENT, 250);
  CHECK_OK(wo_stock_movement_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(stock_of(f, f->cable), 3750);
  /* Down to exactly zero is allowed. */
  in = movement(f->cable, WO_MOVEMENT_ADJUSTMENT, -3750);
  CHECK_OK(wo_stock_movement_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(stock_of(f, f->cable), 0);
  in = movement(f->cable, WO_MOVEMENT_REQUISITION, 3000);
  CHECK_OK(wo_stock_movement_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(stock_of(f, f->cable), 3000);

  /* Read back. */
  CHECK_OK(wo_stock_movement_get(&r, e->db, e->a.admin, req));
  CHECK_STR(wo_record_kind(r), "stock_movement");
  CHECK_I64(wt_get_int(r, "id"), req);
  CHECK_I64(wt_get_int(r, "org_id"), e->a.org_id);
  CHECK_I64(wt_get_int(r, "material_id"), f->cable);
  CHECK_I64(wt_get_int(r, "movement_kind"), WO_MOVEMENT_REQUISITION);
  CHECK_I64(wt_get_int(r, "qty"), 5000);
  CHECK_STR(wt_get_text(r, "note"), "Delivery #1 入库");
  CHECK_I64(wt_get_int(r, "staff_id"), e->a.admin_id);
  CHECK_I64(wt_get_int(r, "created_at"), now_ms);
  CHECK(wt_is_null(r, "order_id"));
  wo_record_free(r);
  CHECK_OK(wo_stock_movement_get(&r, e->db, f->tech_actor, adj)); /* staff of the org may read */
  CHECK_I64(wt_get_int(r, "movement_kind"), WO_MOVEMENT_ADJUSTMENT);
  CHECK_I64(wt_get_int(r, "qty"), -1500);
  CHECK(wt_is_null(r, "note"));
  wo_record_free(r);
}

static void test_out_of_stock(fixture* f) {
  wt_env* e = &f->env;
  char* before;
  char* after;
  wo_record* r = NULL;
  CHECK_I64(stock_of(f, f->cable), 3000);
  CHECK_OK(wo_material_get(&r, e->db, e->a.admin, f->cable));
  before = wt_snapshot(r);
  wo_record_free(r);

  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_ADJUSTMENT, -3001), WO_EOUTOFSTOCK, "CAB");
  movement_fails(f, e->a.admin, movement(f->fuse, WO_MOVEMENT_ADJUSTMENT, -1), WO_EOUTOFSTOCK, "stock");
  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_ADJUSTMENT, INT64_MIN), WO_EOUTOFSTOCK, "stock");

  CHECK_OK(wo_material_get(&r, e->db, e->a.admin, f->cable));
  after = wt_snapshot(r);
  wo_record_free(r);
  CHECK_STR(after, before);
  free(before);
  free(after);
}

static void test_bad_movements(fixture* f) {
  wt_env* e = &f->env;
  char* long_note = wt_repeat("n", 201);
  wo_input* in;
  int64_t id = 0;

  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_REQUISITION, 0), WO_EINVALID, "qty");
  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_REQUISITION, -10), WO_EINVALID, "qty");
  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_ADJUSTMENT, 0), WO_EINVALID, "qty");
  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_RESERVE, 10), WO_EINVALID, "movement_kind");
  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_RELEASE, 10), WO_EINVALID, "movement_kind");
  movement_fails(f, e->a.admin, movement(f->cable, WO_MOVEMENT_CONSUME, -10), WO_EINVALID, "movement_kind");
  movement_fails(f, e->a.admin, movement(f->cable, 5, 10), WO_EINVALID, "movement_kind");
  movement_fails(f, e->a.admin, movement(f->cable, -1, 10), WO_EINVALID, "movement_kind");
  movement_fails(f, e->a.admin, wt_int(wt_int(wt_input(), "material_id", f->cable), "movement_kind", 0), WO_EINVALID,
                 "qty");
  movement_fails(f, e->a.admin, wt_int(wt_int(wt_input(), "qty", 5), "movement_kind", 0), WO_EINVALID,
                 "material_id");
  movement_fails(f, e->a.admin, wt_text(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "qty", "10"), WO_EINVALID,
                 "qty");
  movement_fails(f, e->a.admin, wt_text(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "note", long_note),
                 WO_EINVALID, "note");
  movement_fails(f, e->a.admin, wt_text(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "note", "bad \xE4\xB8"),
                 WO_EINVALID, "note");
  movement_fails(f, e->a.admin, wt_int(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "note", 1), WO_EINVALID,
                 "note");
  movement_fails(f, e->a.admin, wt_int(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "order_id", 1), WO_EINVALID,
                 "order_id");
  movement_fails(f, e->a.admin, wt_int(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "staff_id", f->tech),
                 WO_EINVALID, "staff_id");
  movement_fails(f, e->a.admin, wt_int(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "created_at", 0),
                 WO_EINVALID, "created_at");
  movement_fails(f, e->a.admin, wt_int(movement(f->cable, WO_MOVEMENT_REQUISITION, 10), "colour", 1), WO_EINVALID,
                 "colour");
  /* Materials that do not exist for this org. */
  movement_fails(f, e->a.admin, movement(987654, WO_MOVEMENT_REQUISITION, 10), WO_ENOTFOUND, "987654");
  movement_fails(f, e->a.admin, movement(f->b_material, WO_MOVEMENT_REQUISITION, 10), WO_ENOTFOUND, "material");
  movement_fails(f, e->b.admin, movement(f->cable, WO_MOVEMENT_REQUISITION, 10), WO_ENOTFOUND, "material");
  /* Only an admin records movements. */
  movement_fails(f, f->tech_actor, movement(f->cable, WO_MOVEMENT_REQUISITION, 10), WO_EFORBIDDEN, "admin");
  movement_fails(f, e->sys, movement(f->cable, WO_MOVEMENT_REQUISITION, 10), WO_EFORBIDDEN, "system");
  /* NULL arguments. */
  in = movement(f->cable, WO_MOVEMENT_REQUISITION, 10);
  CHECK_FAIL(WO_EINVALID, "id_out", wo_stock_movement_create(NULL, e->db, e->a.admin, in));
  CHECK_FAIL(WO_EINVALID, "db", wo_stock_movement_create(&id, NULL, e->a.admin, in));
  CHECK_FAIL(WO_EINVALID, "actor", wo_stock_movement_create(&id, e->db, NULL, in));
  CHECK_FAIL(WO_EINVALID, "fields", wo_stock_movement_create(&id, e->db, e->a.admin, NULL));
  wo_input_free(in);
  CHECK_I64(stock_of(f, f->cable), 3000);
  free(long_note);
}

static void test_get_and_list(fixture* f) {
  wt_env* e = &f->env;
  wo_iter* it = NULL;
  wo_record* r = (wo_record*)f;
  wo_input* in;
  int64_t n = 0, prev = 0, first = 0;
  wo_actor* contact = NULL;
  int rc;

  /* Filter by material and kind; ascending ids. */
  in = wt_int(wt_int(wt_input(), "material_id", f->cable), "movement_kind", WO_MOVEMENT_ADJUSTMENT);
  CHECK_OK(wo_stock_movement_list(&it, e->db, f->tech_actor, in));
  wo_input_free(in);
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    CHECK_I64(wt_get_int(r, "material_id"), f->cable);
    CHECK_I64(wt_get_int(r, "movement_kind"), WO_MOVEMENT_ADJUSTMENT);
    CHECK(wt_get_int(r, "id") > prev);
    prev = wt_get_int(r, "id");
    if (!first) first = prev;
    ++n;
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  CHECK_I64(n, 3); /* -1500, +250, -3750 */
  in = wt_null(wt_input(), "order_id");
  CHECK_OK(wo_stock_movement_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK(wt_count(it) >= 5);
  in = wt_int(wt_input(), "qty", 5000);
  CHECK_FAIL(WO_EINVALID, "qty", wo_stock_movement_list(&it, e->db, e->a.admin, in));
  CHECK(it == NULL);
  wo_input_free(in);

  /* Other orgs, contacts, the system actor and bad ids see nothing. */
  CHECK_FAIL(WO_ENOTFOUND, "stock_movement", wo_stock_movement_get(&r, e->db, e->b.admin, first));
  CHECK(r == NULL);
  CHECK_I64(count_movements(f, e->b.admin), 0);
  CHECK_FAIL(WO_ENOTFOUND, "987654", wo_stock_movement_get(&r, e->db, e->a.admin, 987654));
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_stock_movement_get(&r, e->db, e->sys, first));
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_stock_movement_list(&it, e->db, e->sys, NULL));
  {
    int64_t tenant = 0, contact_id = 0;
    in = wt_text(wt_input(), "name", "Tenant");
    CHECK_OK(wo_tenant_create(&tenant, e->db, e->a.admin, in));
    wo_input_free(in);
    in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", tenant), "name", "C"), "phone", "13700000000");
    CHECK_OK(wo_contact_create(&contact_id, e->db, e->a.admin, in));
    wo_input_free(in);
    CHECK_OK(wo_actor_contact(&contact, contact_id));
  }
  CHECK_FAIL(WO_ENOTFOUND, "stock_movement", wo_stock_movement_get(&r, e->db, contact, first));
  CHECK_FAIL(WO_EFORBIDDEN, "contact", wo_stock_movement_list(&it, e->db, contact, NULL));
  wo_actor_free(contact);

  CHECK_FAIL(WO_EINVALID, "out", wo_stock_movement_get(NULL, e->db, e->a.admin, first));
  CHECK_FAIL(WO_EINVALID, "db", wo_stock_movement_get(&r, NULL, e->a.admin, first));
  CHECK_FAIL(WO_EINVALID, "actor", wo_stock_movement_get(&r, e->db, NULL, first));
  CHECK_FAIL(WO_EINVALID, "out", wo_stock_movement_list(NULL, e->db, e->a.admin, NULL));
  CHECK_FAIL(WO_EINVALID, "db", wo_stock_movement_list(&it, NULL, e->a.admin, NULL));
  CHECK_FAIL(WO_EINVALID, "actor", wo_stock_movement_list(&it, e->db, NULL, NULL));
}

/* The material's stock cannot be set by hand. */
static void test_stock_is_engine_only(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in = wt_int(wt_input(), "stock", 100000);
  int64_t before = stock_of(f, f->cable), id = 0;
  CHECK_FAIL(WO_EINVALID, "stock", wo_material_update(e->db, e->a.admin, f->cable, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_text(wt_text(wt_input(), "sku", "X-1"), "name", "X"), "unit", "m"), "unit_price", 1);
  wt_int(in, "stock", 5);
  CHECK_FAIL(WO_EINVALID, "stock", wo_material_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(stock_of(f, f->cable), before);
}

int main(void) {
  fixture f;
  memset(&f, 0, sizeof f);
  wt_env_open(&f.env, "stock", 0);
  CHECK_OK(wo_db_set_clock(f.env.db, fixed_clock, &now_ms));
  f.cable = material(f.env.db, f.env.a.admin, "CAB-1");
  f.fuse = material(f.env.db, f.env.a.admin, "FUSE-1");
  f.b_material = material(f.env.db, f.env.b.admin, "CAB-1");
  f.tech = wt_staff(f.env.db, f.env.a.admin, "Tech", "13800000009", WO_ROLE_TECHNICIAN | WO_ROLE_DISPATCHER);
  CHECK_OK(wo_actor_staff(&f.tech_actor, f.tech));
  test_requisition_and_adjustment(&f);
  test_out_of_stock(&f);
  test_bad_movements(&f);
  test_get_and_list(&f);
  test_stock_is_engine_only(&f);
  wo_actor_free(f.tech_actor);
  wt_env_close(&f.env);
  printf("capi_stock_test: OK\n");
  return 0;
}
