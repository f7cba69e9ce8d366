/* SPDX-License-Identifier: MIT */
/* capi_stock_overflow_test.c — a stock movement whose quantity would take the stock beyond
 * 64 bits fails with WO_EOVERFLOW and changes nothing: no movement, no wrapped or corrupted
 * stock, and the material stays readable. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "capi_support.h"

static int64_t stock_of(wt_env* e, int64_t material_id) {
  wo_record* r = NULL;
  int64_t stock;
  CHECK_OK(wo_material_get(&r, e->db, e->a.admin, material_id));
  stock = wt_get_int(r, "stock");
  wo_record_free(r);
  return stock;
}

static int64_t count_movements(wt_env* e) {
  wo_iter* it = NULL;
  CHECK_OK(wo_stock_movement_list(&it, e->db, e->a.admin, NULL));
  return wt_count(it);
}

static int move(wt_env* e, int64_t material_id, int64_t kind, int64_t qty) {
  int64_t id = 0;
  wo_input* in = wt_int(wt_int(wt_int(wt_input(), "material_id", material_id), "movement_kind", kind), "qty", qty);
  const int rc = wo_stock_movement_create(&id, e->db, e->a.admin, in);
  wo_input_free(in);
  CHECK(rc == WO_OK ? id > 0 : id == 0);
  return rc;
}

static void names_field(const char* msg) {
  if (!strstr(msg, "qty") && !strstr(msg, "stock")) fprintf(stderr, "wo_errmsg: \"%s\"\n", msg);
  CHECK(strstr(msg, "qty") != NULL || strstr(msg, "stock") != NULL);
}

int main(void) {
  wt_env env;
  int64_t m = 0, movements;
  wo_input* in;
  wt_env_open(&env, "stock_overflow", 0);
  in = wt_int(wt_text(wt_text(wt_text(wt_input(), "sku", "BIG"), "name", "Big"), "unit", "m"), "unit_price", 1);
  CHECK_OK(wo_material_create(&m, env.db, env.a.admin, in));
  wo_input_free(in);

  /* From 0, INT64_MAX fits exactly. */
  CHECK_OK(move(&env, m, WO_MOVEMENT_REQUISITION, INT64_MAX));
  CHECK_I64(stock_of(&env, m), INT64_MAX);
  movements = count_movements(&env);

  /* One more does not fit: WO_EOVERFLOW, a message naming the field (qty or stock, not some
   * "amount"), nothing changed. */
  CHECK_RC(WO_EOVERFLOW, move(&env, m, WO_MOVEMENT_REQUISITION, 1));
  names_field(wo_errmsg());
  CHECK_I64(stock_of(&env, m), INT64_MAX);
  CHECK_I64(count_movements(&env), movements);
  CHECK_RC(WO_EOVERFLOW, move(&env, m, WO_MOVEMENT_ADJUSTMENT, INT64_MAX));
  names_field(wo_errmsg());
  CHECK_I64(stock_of(&env, m), INT64_MAX);
  CHECK_I64(count_movements(&env), movements);

  /* And back down to zero. */
  CHECK_OK(move(&env, m, WO_MOVEMENT_ADJUSTMENT, -INT64_MAX));
  CHECK_I64(stock_of(&env, m), 0);
  wt_env_close(&env);
  printf("capi_stock_overflow_test: OK\n");
  return 0;
}
