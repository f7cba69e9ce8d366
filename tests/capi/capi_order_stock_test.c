/* SPDX-License-Identifier: MIT */
/* capi_order_stock_test.c — a material's stock through an order's life (docs/rules.md §2, §4, §6):
 * reserved (−) when a material line is added, released (+) when the line is removed or the
 * order is cancelled before finishing, consumed at finish (recorded, stock unchanged). Once
 * consumed, material stays consumed: cancelling a reopened order releases nothing, and
 * finishing it again records no second consumption. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "capi_support.h"

typedef struct fixture {
  wt_env env;
  int64_t material, subtype, spec, tenant;
  wo_actor* tech;
  wo_actor* contact;
} fixture;

static int64_t stock(fixture* f) {
  wo_record* r = NULL;
  int64_t s;
  CHECK_OK(wo_material_get(&r, f->env.db, f->env.a.admin, f->material));
  s = wt_get_int(r, "stock");
  wo_record_free(r);
  return s;
}

/* Sum of the order's movements of one kind. */
static int64_t moved(fixture* f, int64_t order, int64_t kind) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int64_t sum = 0;
  wo_input* filter = wt_int(wt_int(wt_input(), "order_id", order), "movement_kind", kind);
  CHECK_OK(wo_stock_movement_list(&it, f->env.db, f->env.a.admin, filter));
  while (wo_iter_next(&r, it) == WO_OK) {
    sum += wt_get_int(r, "qty");
    wo_record_free(r);
  }
  wo_iter_free(it);
  wo_input_free(filter);
  return sum;
}

/* A contact's order on a free subtype with consumables, grabbed by the technician. */
static int64_t order_in_progress(fixture* f) {
  int64_t o = 0;
  wo_input* in = wt_int(wt_int(wt_input(), "subtype_id", f->subtype), "source_channel", WO_SOURCE_H5);
  wt_text(wt_text(in, "description", "Replace the fuse"), "address", "Room 7");
  CHECK_OK(wo_order_submit(&o, f->env.db, f->contact, in));
  wo_input_free(in);
  CHECK_OK(wo_order_grab(f->env.db, f->tech, o));
  return o;
}

static int64_t add_material(fixture* f, int64_t order, int64_t qty) {
  int64_t line = 0;
  wo_input* in = wt_int(wt_int(wt_int(wt_input(), "line_kind", WO_LINE_MATERIAL), "item_id", f->material), "qty", qty);
  CHECK_OK(wo_order_add_line(&line, f->env.db, f->tech, order, in));
  wo_input_free(in);
  return line;
}

static void setup(fixture* f) {
  wt_env* e = &f->env;
  int64_t d = 0, p = 0, t = 0, tech = 0, contact = 0, id = 0;
  wo_input* in;
  wt_env_open(e, "order_stock", 0);
  in = wt_text(wt_input(), "name", "Electrical");
  CHECK_OK(wo_department_create(&d, e->db, e->a.admin, in));
  CHECK_OK(wo_position_create(&p, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_text(wt_input(), "name", "Electrical"), "department_id", d), "position_id", p);
  CHECK_OK(wo_order_type_create(&t, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", t), "name", "Fuse"), "charge_mode", WO_CHARGE_FREE);
  wt_int(in, "consumables_enabled", 1);
  CHECK_OK(wo_subtype_create(&f->subtype, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_text(wt_input(), "name", "Tech"), "phone", "13000000001"), "roles", WO_ROLE_TECHNICIAN);
  wt_int(wt_int(in, "department_id", d), "position_id", p);
  CHECK_OK(wo_staff_create(&tech, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_actor_staff(&f->tech, tech));
  in = wt_text(wt_input(), "name", "Tenant");
  CHECK_OK(wo_tenant_create(&f->tenant, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant), "name", "C"), "phone", "13000000002");
  CHECK_OK(wo_contact_create(&contact, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_actor_contact(&f->contact, contact));
  in = wt_int(wt_text(wt_text(wt_text(wt_input(), "sku", "FUSE"), "name", "Fuse"), "unit", "pcs"), "unit_price", 100);
  CHECK_OK(wo_material_create(&f->material, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_int(wt_input(), "material_id", f->material), "movement_kind", WO_MOVEMENT_REQUISITION), "qty",
              10000);
  CHECK_OK(wo_stock_movement_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
}

int main(void) {
  fixture f;
  int64_t o, line;
  memset(&f, 0, sizeof f);
  setup(&f);

  /* Reserve, release on removal, reserve again, release on cancel. */
  o = order_in_progress(&f);
  line = add_material(&f, o, 2000);
  CHECK_I64(stock(&f), 8000);
  CHECK_I64(moved(&f, o, WO_MOVEMENT_RESERVE), -2000);
  CHECK_OK(wo_order_remove_line(f.env.db, f.tech, o, line));
  CHECK_I64(stock(&f), 10000);
  CHECK_I64(moved(&f, o, WO_MOVEMENT_RELEASE), 2000);
  add_material(&f, o, 3000);
  CHECK_I64(stock(&f), 7000);
  CHECK_OK(wo_order_cancel(f.env.db, f.env.a.admin, o, "Tenant moved out"));
  CHECK_I64(stock(&f), 10000);
  CHECK_I64(moved(&f, o, WO_MOVEMENT_RELEASE), 5000);

  /* Consumed at finish: recorded, the stock stays down. */
  o = order_in_progress(&f);
  add_material(&f, o, 2000);
  CHECK_OK(wo_order_finish(f.env.db, f.tech, o)); /* free: awaiting the tenant's rating */
  CHECK_I64(stock(&f), 8000);
  CHECK_I64(moved(&f, o, WO_MOVEMENT_CONSUME), 2000);

  /* Reopened and cancelled: consumed material is not released back into stock.
   * (Library bug at the time of writing: cancel releases every material line that is not
   * removed, consumed or not, so the stock went back up to 10000.) */
  CHECK_OK(wo_order_reopen(f.env.db, f.contact, o, "Still broken"));
  CHECK_I64(stock(&f), 8000);
  CHECK_OK(wo_order_cancel(f.env.db, f.contact, o, "Fixed it myself"));
  CHECK_I64(moved(&f, o, WO_MOVEMENT_RELEASE), 0);
  CHECK_I64(stock(&f), 8000);

  /* Reopened and finished again: the same material is not consumed twice.
   * (Library bug at the time of writing: the second finish recorded a second consume
   * movement for the same line, 4000 in all.) */
  o = order_in_progress(&f);
  add_material(&f, o, 2000);
  CHECK_OK(wo_order_finish(f.env.db, f.tech, o));
  CHECK_OK(wo_order_reopen(f.env.db, f.contact, o, "Blew again"));
  CHECK_OK(wo_order_grab(f.env.db, f.tech, o));
  CHECK_OK(wo_order_finish(f.env.db, f.tech, o));
  CHECK_I64(stock(&f), 6000);
  CHECK_I64(moved(&f, o, WO_MOVEMENT_CONSUME), 2000);

  wo_actor_free(f.tech);
  wo_actor_free(f.contact);
  wt_env_close(&f.env);
  printf("capi_order_stock_test: OK\n");
  return 0;
}
