/* SPDX-License-Identifier: MIT */
/* capi_labor_rate_test.c — wo_labor_rate_resolve through the C ABI: the most specific active
 * rule wins (department + position, then department alone, then the item's default rate),
 * deactivating or updating a rule changes the answer, no rule and no default is
 * WO_ENOTFOUND naming the item, other orgs' items and staff are not found, and only staff of
 * the org may ask. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "capi_support.h"

static int64_t named(int (*create)(int64_t*, wo_db*, const wo_actor*, const wo_input*), wt_env* e, const char* name) {
  int64_t id = 0;
  wo_input* in = wt_text(wt_input(), "name", name);
  CHECK_OK(create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  return id;
}

static int64_t staff_in(wt_env* e, const char* phone, int64_t dept, int64_t pos) {
  int64_t id = 0;
  wo_input* in = wt_int(wt_text(wt_text(wt_input(), "name", phone), "phone", phone), "roles", WO_ROLE_TECHNICIAN);
  if (dept) wt_int(in, "department_id", dept);
  if (pos) wt_int(in, "position_id", pos);
  CHECK_OK(wo_staff_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  return id;
}

static int64_t rule(wt_env* e, int64_t item, int64_t dept, int64_t pos, int64_t rate) {
  int64_t id = 0;
  wo_input* in = wt_int(wt_int(wt_int(wt_input(), "labor_item_id", item), "department_id", dept), "rate", rate);
  if (pos) wt_int(in, "position_id", pos);
  CHECK_OK(wo_labor_rate_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  return id;
}

static int64_t resolve(wt_env* e, const wo_actor* actor, int64_t item, int64_t staff) {
  int64_t rate = -1;
  CHECK_OK(wo_labor_rate_resolve(&rate, e->db, actor, item, staff));
  CHECK(rate >= 0);
  return rate;
}

int main(void) {
  wt_env env;
  wt_env* e = &env;
  int64_t d1, d2, p1, p2, item, bare, s11, s12, s21, s_none, s_dept_only, r_dept, r_dept_pos, b_item = 0, rate = 7;
  wo_input* in;
  wo_actor* tech = NULL;
  wo_actor* contact = NULL;

  wt_env_open(&env, "labor_rate", 0);
  d1 = named(wo_department_create, e, "Electrical");
  d2 = named(wo_department_create, e, "Plumbing");
  p1 = named(wo_position_create, e, "Senior");
  p2 = named(wo_position_create, e, "Junior");
  in = wt_int(wt_text(wt_input(), "name", "Hour"), "default_rate", 5000);
  CHECK_OK(wo_labor_item_create(&item, e->db, e->a.admin, in));
  wo_input_free(in);
  bare = named(wo_labor_item_create, e, "Hour without default");

  s11 = staff_in(e, "13500000011", d1, p1);
  s12 = staff_in(e, "13500000012", d1, p2);
  s21 = staff_in(e, "13500000021", d2, p1);
  s_dept_only = staff_in(e, "13500000010", d1, 0);
  s_none = staff_in(e, "13500000000", 0, 0);
  CHECK_OK(wo_actor_staff(&tech, s12));

  /* No rules yet: everyone gets the default rate. */
  CHECK_I64(resolve(e, e->a.admin, item, s11), 5000);
  CHECK_I64(resolve(e, tech, item, s_none), 5000);

  r_dept = rule(e, item, d1, 0, 6000);
  r_dept_pos = rule(e, item, d1, p1, 7000);
  rule(e, item, d2, p2, 9900); /* matches nobody: d2 staff have p1 */

  /* Most specific wins. */
  CHECK_I64(resolve(e, e->a.admin, item, s11), 7000); /* d1 + p1 */
  CHECK_I64(resolve(e, e->a.admin, item, s12), 6000); /* d1, no rule for p2 */
  CHECK_I64(resolve(e, e->a.admin, item, s_dept_only), 6000);
  CHECK_I64(resolve(e, e->a.admin, item, s21), 5000); /* d2 + p1: no rule, default */
  CHECK_I64(resolve(e, tech, item, s_none), 5000);    /* any staff member may ask */

  /* Rule changes take effect; inactive rules are skipped. */
  in = wt_int(wt_input(), "rate", 7500);
  CHECK_OK(wo_labor_rate_update(e->db, e->a.admin, r_dept_pos, in));
  wo_input_free(in);
  CHECK_I64(resolve(e, e->a.admin, item, s11), 7500);
  CHECK_OK(wo_labor_rate_set_active(e->db, e->a.admin, r_dept_pos, 0));
  CHECK_I64(resolve(e, e->a.admin, item, s11), 6000);
  CHECK_OK(wo_labor_rate_set_active(e->db, e->a.admin, r_dept, 0));
  CHECK_I64(resolve(e, e->a.admin, item, s11), 5000);
  CHECK_OK(wo_labor_rate_set_active(e->db, e->a.admin, r_dept_pos, 1));
  CHECK_I64(resolve(e, e->a.admin, item, s11), 7500);
  CHECK_I64(resolve(e, e->a.admin, item, s12), 5000);
  CHECK_OK(wo_labor_rate_set_active(e->db, e->a.admin, r_dept, 1));

  /* A staff member moved to another department gets that department's rate. */
  in = wt_int(wt_input(), "department_id", d1);
  CHECK_OK(wo_staff_update(e->db, e->a.admin, s21, in));
  wo_input_free(in);
  CHECK_I64(resolve(e, e->a.admin, item, s21), 7500); /* now d1 + p1 */

  /* No rule and no default rate: not found, naming the item; rate_out reset. */
  CHECK_FAIL(WO_ENOTFOUND, "labor_item", wo_labor_rate_resolve(&rate, e->db, e->a.admin, bare, s11));
  CHECK_I64(rate, 0);
  rule(e, bare, d1, 0, 4000);
  CHECK_I64(resolve(e, e->a.admin, bare, s12), 4000);
  rate = 7;
  CHECK_FAIL(WO_ENOTFOUND, "labor_item", wo_labor_rate_resolve(&rate, e->db, e->a.admin, bare, s_none));
  CHECK_I64(rate, 0);

  /* Unknown ids and other orgs' ids. */
  in = wt_int(wt_text(wt_input(), "name", "B hour"), "default_rate", 1);
  CHECK_OK(wo_labor_item_create(&b_item, e->db, e->b.admin, in));
  wo_input_free(in);
  CHECK_FAIL(WO_ENOTFOUND, "labor_item", wo_labor_rate_resolve(&rate, e->db, e->a.admin, b_item, s11));
  CHECK_FAIL(WO_ENOTFOUND, "staff", wo_labor_rate_resolve(&rate, e->db, e->a.admin, item, e->b.admin_id));
  CHECK_FAIL(WO_ENOTFOUND, "staff", wo_labor_rate_resolve(&rate, e->db, e->b.admin, b_item, s11));
  CHECK_FAIL(WO_ENOTFOUND, "987654", wo_labor_rate_resolve(&rate, e->db, e->a.admin, 987654, s11));
  CHECK_FAIL(WO_ENOTFOUND, "987654", wo_labor_rate_resolve(&rate, e->db, e->a.admin, item, 987654));
  CHECK_I64(resolve(e, e->b.admin, b_item, e->b.admin_id), 1);

  /* Only staff of the org ask. */
  CHECK_FAIL(WO_EFORBIDDEN, "staff", wo_labor_rate_resolve(&rate, e->db, e->sys, item, s11));
  {
    int64_t tenant = 0, c = 0;
    in = wt_text(wt_input(), "name", "T");
    CHECK_OK(wo_tenant_create(&tenant, e->db, e->a.admin, in));
    wo_input_free(in);
    in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", tenant), "name", "C"), "phone", "13300000000");
    CHECK_OK(wo_contact_create(&c, e->db, e->a.admin, in));
    wo_input_free(in);
    CHECK_OK(wo_actor_contact(&contact, c));
  }
  CHECK_FAIL(WO_EFORBIDDEN, "staff", wo_labor_rate_resolve(&rate, e->db, contact, item, s11));
  CHECK_FAIL(WO_EINVALID, "rate_out", wo_labor_rate_resolve(NULL, e->db, e->a.admin, item, s11));
  CHECK_FAIL(WO_EINVALID, "db", wo_labor_rate_resolve(&rate, NULL, e->a.admin, item, s11));
  CHECK_FAIL(WO_EINVALID, "actor", wo_labor_rate_resolve(&rate, e->db, NULL, item, s11));

  wo_actor_free(tech);
  wo_actor_free(contact);
  wt_env_close(&env);
  printf("capi_labor_rate_test: OK\n");
  return 0;
}
