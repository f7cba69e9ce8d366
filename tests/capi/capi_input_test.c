/* SPDX-License-Identifier: MIT */
/* capi_input_test.c — wo_input semantics the header documents: "Setting a field again
 * replaces its value" (so only the last value is checked and used, for creates, updates and
 * list filters), null clears an optional field, and one input may be reused. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "capi_support.h"

static int64_t count_departments(wt_env* e, const wo_input* filter) {
  wo_iter* it = NULL;
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, filter));
  return wt_count(it);
}

int main(void) {
  wt_env env;
  wt_env* e = &env;
  wo_input* in;
  wo_record* r = NULL;
  int64_t d1 = 0, d2 = 0, d3 = 0, staff = 0;

  wt_env_open(&env, "input", 0);

  /* The last value is the one stored. */
  in = wt_text(wt_text(wt_input(), "name", "First"), "name", "Second");
  CHECK_OK(wo_department_create(&d1, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_department_get(&r, e->db, e->a.admin, d1));
  CHECK_STR(wt_get_text(r, "name"), "Second");
  wo_record_free(r);

  /* One input, reused: a second create with the same input is a duplicate. */
  in = wt_text(wt_input(), "name", "Reused");
  CHECK_OK(wo_department_create(&d2, e->db, e->a.admin, in));
  CHECK_FAIL(WO_ECONFLICT, "name", wo_department_create(&d3, e->db, e->a.admin, in));
  wt_text(in, "name", "Reused 2");
  CHECK_OK(wo_department_create(&d3, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_department_set_active(e->db, e->a.admin, d3, 0));

  /* A null clears an optional field. */
  in = wt_int(wt_text(wt_text(wt_input(), "name", "S"), "phone", "13600000000"), "roles", WO_ROLE_TECHNICIAN);
  wt_int(in, "department_id", d1);
  CHECK_OK(wo_staff_create(&staff, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_null(wt_input(), "department_id");
  CHECK_OK(wo_staff_update(e->db, e->a.admin, staff, in));
  wo_input_free(in);
  CHECK_OK(wo_staff_get(&r, e->db, e->a.admin, staff));
  CHECK(wt_is_null(r, "department_id"));
  wo_record_free(r);

  /* A replaced value is gone: it is neither checked nor used (a replaced bad value once
   * failed the call, and a filter kept both conditions). */
  in = wt_text(wt_int(wt_input(), "name", 5), "name", "Typed again");
  CHECK_OK(wo_department_update(e->db, e->a.admin, d1, in));
  wo_input_free(in);
  in = wt_text(wt_null(wt_input(), "name"), "name", "Nulled then set");
  CHECK_OK(wo_department_update(e->db, e->a.admin, d1, in));
  wo_input_free(in);
  CHECK_OK(wo_department_get(&r, e->db, e->a.admin, d1));
  CHECK_STR(wt_get_text(r, "name"), "Nulled then set");
  wo_record_free(r);
  in = wt_int(wt_int(wt_input(), "department_id", 0), "department_id", d1);
  CHECK_OK(wo_staff_update(e->db, e->a.admin, staff, in));
  wo_input_free(in);
  CHECK_OK(wo_staff_get(&r, e->db, e->a.admin, staff));
  CHECK_I64(wt_get_int(r, "department_id"), d1);
  wo_record_free(r);

  /* Filters too: active 0 replaced by active 1 lists the active departments. */
  in = wt_int(wt_input(), "active", 1);
  CHECK_I64(count_departments(e, in), 2);
  wo_input_free(in);
  in = wt_int(wt_int(wt_input(), "active", 0), "active", 1);
  CHECK_I64(count_departments(e, in), 2);
  wo_input_free(in);

  wt_env_close(&env);
  printf("capi_input_test: OK\n");
  return 0;
}
