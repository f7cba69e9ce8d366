/* SPDX-License-Identifier: MIT */
/* capi_input_checks_test.c — every input is checked alike. A list filter's value is checked
 * like the field it filters (a text for an integer field, an active flag of 2, an unknown
 * enum value: WO_EINVALID naming the field, not a silently empty list), and the first
 * admin of a new org refuses engine-only fields (active, org_id, id) like every other
 * create does, with nothing created. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "capi_support.h"

static int64_t count_orgs(wt_env* e) {
  wo_iter* it = NULL;
  CHECK_OK(wo_org_list(&it, e->db, e->sys));
  return wt_count(it);
}

static void filter_fails(wt_env* e, int (*list)(wo_iter**, wo_db*, const wo_actor*, const wo_input*), wo_input* in,
                         const char* field) {
  wo_iter* it = (wo_iter*)e;
  const int rc = list(&it, e->db, e->a.admin, in);
  if (rc == WO_OK) {
    fprintf(stderr, "filter on %s: WO_OK, and the list has %ld records\n", field, (long)wt_count(it));
    it = NULL;
  }
  CHECK_FAIL(WO_EINVALID, field, rc);
  CHECK(it == NULL);
  wo_input_free(in);
}

int main(void) {
  wt_env env;
  wt_env* e = &env;
  wo_input* in;
  wo_input* org;
  int64_t id = 0, org_id = 0, admin_id = 0, before;

  wt_env_open(&env, "input_checks", 0);
  in = wt_text(wt_input(), "name", "Dept");
  CHECK_OK(wo_department_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  /* The first admin refuses what only the engine sets. */
  before = count_orgs(e);
  org = wt_text(wt_text(wt_input(), "name", "Org C"), "time_zone", "UTC");
  in = wt_int(wt_text(wt_text(wt_input(), "name", "A"), "phone", "12345"), "active", 0);
  CHECK_FAIL(WO_EINVALID, "active", wo_org_create(&org_id, &admin_id, e->db, e->sys, org, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_text(wt_input(), "name", "A"), "phone", "12345"), "org_id", e->a.org_id);
  CHECK_FAIL(WO_EINVALID, "org_id", wo_org_create(&org_id, &admin_id, e->db, e->sys, org, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_text(wt_input(), "name", "A"), "phone", "12345"), "id", 1);
  CHECK_FAIL(WO_EINVALID, "id", wo_org_create(&org_id, &admin_id, e->db, e->sys, org, in));
  wo_input_free(in);
  wo_input_free(org);
  CHECK_I64(count_orgs(e), before);

  /* Filter values are checked like the fields. */
  filter_fails(e, wo_department_list, wt_text(wt_input(), "active", "1"), "active");
  filter_fails(e, wo_department_list, wt_int(wt_input(), "active", 2), "active");
  filter_fails(e, wo_tenant_list, wt_int(wt_input(), "tenant_kind", 9), "tenant_kind");
  filter_fails(e, wo_staff_list, wt_int(wt_input(), "phone", 13800000000LL), "phone");
  filter_fails(e, wo_staff_list, wt_text(wt_input(), "department_id", "1"), "department_id");
  filter_fails(e, wo_stock_movement_list, wt_int(wt_input(), "movement_kind", 7), "movement_kind");

  wt_env_close(&env);
  printf("capi_input_checks_test: OK\n");
  return 0;
}
