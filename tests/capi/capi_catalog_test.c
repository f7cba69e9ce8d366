/* SPDX-License-Identifier: MIT */
/* capi_catalog_test.c — the settings catalog through the C ABI. For each of the twelve record
 * kinds: create, get (every field read back), update (read back), set_active (read back),
 * list with filters. Then, table-driven over all kinds, every bad-input class: NULL handles
 * and out-params, unknown / engine-only / fixed fields, wrongly typed values, bad UTF-8,
 * control characters, 201-character text, negative money, unknown enum values, bad 0/1 flags,
 * another org's record, a non-admin, a tenant contact and the system actor — each checked for
 * the code, a message naming the field, and that the record and the list are unchanged.
 * Finally the kind-specific rules: duplicates (WO_ECONFLICT), the last admin and the last
 * spec of a prepaid subtype (WO_ESTATE), deposit rules, phone normalisation, references into
 * another org (WO_ENOTFOUND) and what a tenant contact may see. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

/* ---- the fixture: one record of every kind in org A ------------------------------------- */

typedef struct fixture {
  wt_env env;
  int64_t d1, d2;       /* departments */
  int64_t p1, p2;       /* positions */
  int64_t staff;        /* technician in d1/p1 */
  int64_t disp;         /* dispatcher, no department */
  int64_t tenant, tenant2;
  int64_t contact, contact2; /* of tenant, of tenant2 */
  int64_t order_type;
  int64_t subtype;      /* prepay_deposit, deposit_fixed 5000 */
  int64_t subtype_free;
  int64_t spec;         /* of subtype, price 8000 */
  int64_t item;         /* of subtype, price 1200 */
  int64_t labor_item;
  int64_t labor_rate;
  int64_t material;
  wo_actor* tech_actor;
  wo_actor* disp_actor;
  wo_actor* contact_actor;
} fixture;

/* Drains an iterator into ids (at most max), checking the kind and ascending ids; frees it. */
static int64_t list_ids(wo_iter* it, const char* kind, int64_t* ids, int max) {
  wo_record* r = NULL;
  int64_t n = 0, prev = 0;
  int rc;
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    int64_t id = wt_get_int(r, "id");
    CHECK_STR(wo_record_kind(r), kind);
    CHECK(id > prev);
    prev = id;
    if (n < max) ids[n] = id;
    ++n;
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  CHECK(r == NULL);
  wo_iter_free(it);
  return n;
}

static void test_departments(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in = wt_text(wt_input(), "name", "Maintenance 维修部");
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t ids[8], n;

  CHECK_OK(wo_department_create(&f->d1, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "name", "Cleaning");
  CHECK_OK(wo_department_create(&f->d2, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK(f->d2 > f->d1);

  CHECK_OK(wo_department_get(&r, e->db, e->a.admin, f->d1));
  CHECK_STR(wo_record_kind(r), "department");
  CHECK_I64(wt_get_int(r, "id"), f->d1);
  CHECK_I64(wt_get_int(r, "org_id"), e->a.org_id);
  CHECK_STR(wt_get_text(r, "name"), "Maintenance 维修部");
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);

  in = wt_text(wt_input(), "name", "Cleaning & Grounds");
  CHECK_OK(wo_department_update(e->db, e->a.admin, f->d2, in));
  wo_input_free(in);
  CHECK_OK(wo_department_set_active(e->db, e->a.admin, f->d2, 0));
  CHECK_OK(wo_department_get(&r, e->db, e->a.admin, f->d2));
  CHECK_STR(wt_get_text(r, "name"), "Cleaning & Grounds");
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);

  in = wt_int(wt_input(), "active", 0);
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "department", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->d2);
  CHECK_OK(wo_department_set_active(e->db, e->a.admin, f->d2, 1));
  CHECK_OK(wo_department_set_active(e->db, e->a.admin, f->d2, 1)); /* already active: fine */
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, NULL));
  n = list_ids(it, "department", ids, 8);
  CHECK_I64(n, 2);
  CHECK_I64(ids[0], f->d1);
  CHECK_I64(ids[1], f->d2);
}

static void test_positions(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in = wt_text(wt_input(), "name", "Electrician");
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t ids[8], n;

  CHECK_OK(wo_position_create(&f->p1, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "name", "Plumber");
  CHECK_OK(wo_position_create(&f->p2, e->db, e->a.admin, in));
  wo_input_free(in);

  CHECK_OK(wo_position_get(&r, e->db, e->a.admin, f->p1));
  CHECK_STR(wo_record_kind(r), "position");
  CHECK_I64(wt_get_int(r, "org_id"), e->a.org_id);
  CHECK_STR(wt_get_text(r, "name"), "Electrician");
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);

  in = wt_text(wt_input(), "name", "Senior Plumber");
  CHECK_OK(wo_position_update(e->db, e->a.admin, f->p2, in));
  wo_input_free(in);
  CHECK_OK(wo_position_set_active(e->db, e->a.admin, f->p2, 0));
  CHECK_OK(wo_position_get(&r, e->db, e->a.admin, f->p2));
  CHECK_STR(wt_get_text(r, "name"), "Senior Plumber");
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  in = wt_int(wt_input(), "active", 1);
  CHECK_OK(wo_position_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "position", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->p1);
  CHECK_OK(wo_position_set_active(e->db, e->a.admin, f->p2, 1));
}

static void test_staff(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t ids[8], n;

  in = wt_text(wt_text(wt_input(), "name", "Li Lei"), "phone", "+86 (138) 0000-1111");
  wt_int(wt_int(wt_int(in, "department_id", f->d1), "position_id", f->p1), "roles", WO_ROLE_TECHNICIAN);
  CHECK_OK(wo_staff_create(&f->staff, e->db, e->a.admin, in));
  wo_input_free(in);
  f->disp = wt_staff(e->db, e->a.admin, "Han Meimei", "13800002222", WO_ROLE_DISPATCHER);
  CHECK_OK(wo_actor_staff(&f->tech_actor, f->staff));
  CHECK_OK(wo_actor_staff(&f->disp_actor, f->disp));

  CHECK_OK(wo_staff_get(&r, e->db, f->tech_actor, f->staff)); /* staff see staff */
  CHECK_STR(wo_record_kind(r), "staff");
  CHECK_I64(wt_get_int(r, "org_id"), e->a.org_id);
  CHECK_STR(wt_get_text(r, "name"), "Li Lei");
  CHECK_STR(wt_get_text(r, "phone"), "+8613800001111"); /* normalised */
  CHECK_I64(wt_get_int(r, "department_id"), f->d1);
  CHECK_I64(wt_get_int(r, "position_id"), f->p1);
  CHECK_I64(wt_get_int(r, "roles"), WO_ROLE_TECHNICIAN);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);

  /* Update: move the dispatcher into d2, then clear the department again with a null. */
  in = wt_int(wt_text(wt_input(), "phone", "138-0000-2223"), "department_id", f->d2);
  CHECK_OK(wo_staff_update(e->db, e->a.admin, f->disp, in));
  wo_input_free(in);
  CHECK_OK(wo_staff_get(&r, e->db, e->a.admin, f->disp));
  CHECK_STR(wt_get_text(r, "phone"), "13800002223");
  CHECK_I64(wt_get_int(r, "department_id"), f->d2);
  CHECK(wt_is_null(r, "position_id"));
  wo_record_free(r);
  in = wt_null(wt_input(), "department_id");
  CHECK_OK(wo_staff_update(e->db, e->a.admin, f->disp, in));
  wo_input_free(in);
  CHECK_OK(wo_staff_get(&r, e->db, e->a.admin, f->disp));
  CHECK(wt_is_null(r, "department_id"));
  wo_record_free(r);

  /* Filters: phone (normalised form) and department. */
  in = wt_text(wt_input(), "phone", "+8613800001111");
  CHECK_OK(wo_staff_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "staff", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->staff);
  in = wt_int(wt_input(), "department_id", f->d1);
  CHECK_OK(wo_staff_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "staff", ids, 8);
  CHECK_I64(n, 1);
  CHECK_OK(wo_staff_list(&it, e->db, e->a.admin, NULL));
  n = list_ids(it, "staff", ids, 8);
  CHECK_I64(n, 3); /* admin, technician, dispatcher */
  CHECK_I64(ids[0], e->a.admin_id);

  /* Deactivate and reactivate: an inactive staff member can no longer act. */
  CHECK_OK(wo_staff_set_active(e->db, e->a.admin, f->disp, 0));
  CHECK_OK(wo_staff_get(&r, e->db, e->a.admin, f->disp));
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  CHECK_FAIL(WO_EFORBIDDEN, "inactive", wo_staff_get(&r, e->db, f->disp_actor, f->disp));
  CHECK(r == NULL);
  CHECK_OK(wo_staff_set_active(e->db, e->a.admin, f->disp, 1));
}

static void test_tenants_and_contacts(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t ids[8], n, other = 0;

  /* A dispatcher may create tenants and contacts. */
  in = wt_int(wt_text(wt_input(), "name", "ACME Ltd"), "tenant_kind", WO_TENANT_COMPANY);
  CHECK_OK(wo_tenant_create(&f->tenant, e->db, f->disp_actor, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "name", "Wang Fang");
  CHECK_OK(wo_tenant_create(&f->tenant2, e->db, e->a.admin, in));
  wo_input_free(in);

  CHECK_OK(wo_tenant_get(&r, e->db, e->a.admin, f->tenant));
  CHECK_STR(wo_record_kind(r), "tenant");
  CHECK_STR(wt_get_text(r, "name"), "ACME Ltd");
  CHECK_I64(wt_get_int(r, "tenant_kind"), WO_TENANT_COMPANY);
  CHECK_I64(wt_get_int(r, "org_id"), e->a.org_id);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);
  CHECK_OK(wo_tenant_get(&r, e->db, e->a.admin, f->tenant2));
  CHECK_I64(wt_get_int(r, "tenant_kind"), WO_TENANT_PERSON); /* the default */
  wo_record_free(r);

  in = wt_text(wt_input(), "name", "ACME Holdings");
  CHECK_OK(wo_tenant_update(e->db, f->disp_actor, f->tenant, in));
  wo_input_free(in);
  CHECK_OK(wo_tenant_set_active(e->db, f->disp_actor, f->tenant2, 0));
  CHECK_OK(wo_tenant_set_active(e->db, f->disp_actor, f->tenant2, 1));
  CHECK_OK(wo_tenant_get(&r, e->db, e->a.admin, f->tenant));
  CHECK_STR(wt_get_text(r, "name"), "ACME Holdings");
  wo_record_free(r);
  in = wt_int(wt_input(), "tenant_kind", WO_TENANT_COMPANY);
  CHECK_OK(wo_tenant_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "tenant", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->tenant);

  in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant), "name", "Zhang Wei"), "phone", "13900001111");
  CHECK_OK(wo_contact_create(&f->contact, e->db, f->disp_actor, in));
  wo_input_free(in);
  /* The same phone is fine for another tenant's contact. */
  in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant2), "name", "Wang Fang"), "phone", "139 0000 1111");
  CHECK_OK(wo_contact_create(&f->contact2, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_actor_contact(&f->contact_actor, f->contact));

  CHECK_OK(wo_contact_get(&r, e->db, e->a.admin, f->contact));
  CHECK_STR(wo_record_kind(r), "contact");
  CHECK_I64(wt_get_int(r, "tenant_id"), f->tenant);
  CHECK_STR(wt_get_text(r, "name"), "Zhang Wei");
  CHECK_STR(wt_get_text(r, "phone"), "13900001111");
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);

  in = wt_text(wt_input(), "name", "Zhang Wei (facilities)");
  CHECK_OK(wo_contact_update(e->db, e->a.admin, f->contact, in));
  wo_input_free(in);
  CHECK_OK(wo_contact_set_active(e->db, e->a.admin, f->contact2, 0));
  CHECK_OK(wo_contact_get(&r, e->db, e->a.admin, f->contact2));
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  CHECK_OK(wo_contact_set_active(e->db, e->a.admin, f->contact2, 1));
  in = wt_int(wt_input(), "tenant_id", f->tenant2);
  CHECK_OK(wo_contact_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "contact", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->contact2);

  /* A contact sees their own tenant and its contacts, nothing of another tenant. */
  CHECK_OK(wo_tenant_get(&r, e->db, f->contact_actor, f->tenant));
  wo_record_free(r);
  CHECK_OK(wo_contact_get(&r, e->db, f->contact_actor, f->contact));
  CHECK_STR(wt_get_text(r, "name"), "Zhang Wei (facilities)");
  wo_record_free(r);
  CHECK_FAIL(WO_ENOTFOUND, "tenant", wo_tenant_get(&r, e->db, f->contact_actor, f->tenant2));
  CHECK_FAIL(WO_ENOTFOUND, "contact", wo_contact_get(&r, e->db, f->contact_actor, f->contact2));
  CHECK_OK(wo_tenant_list(&it, e->db, f->contact_actor, NULL));
  n = list_ids(it, "tenant", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->tenant);
  CHECK_OK(wo_contact_list(&it, e->db, f->contact_actor, NULL));
  n = list_ids(it, "contact", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->contact);

  /* Contacts of a tenant of org B cannot be made by org A, and vice versa. */
  in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant), "name", "Spy"), "phone", "13900009999");
  CHECK_FAIL(WO_ENOTFOUND, "tenant_id", wo_contact_create(&other, e->db, e->b.admin, in));
  CHECK_I64(other, 0);
  wo_input_free(in);
}

static void test_order_types_and_subtypes(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t ids[8], n, ot2 = 0, st3 = 0;

  in = wt_int(wt_int(wt_text(wt_input(), "name", "Electrical"), "department_id", f->d1), "position_id", f->p1);
  CHECK_OK(wo_order_type_create(&f->order_type, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_text(wt_input(), "name", "Plumbing"), "department_id", f->d1), "position_id", f->p2);
  CHECK_OK(wo_order_type_create(&ot2, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_order_type_get(&r, e->db, f->contact_actor, f->order_type)); /* contacts see order types */
  CHECK_STR(wo_record_kind(r), "order_type");
  CHECK_STR(wt_get_text(r, "name"), "Electrical");
  CHECK_I64(wt_get_int(r, "department_id"), f->d1);
  CHECK_I64(wt_get_int(r, "position_id"), f->p1);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);
  in = wt_int(wt_input(), "department_id", f->d2);
  CHECK_OK(wo_order_type_update(e->db, e->a.admin, ot2, in));
  wo_input_free(in);
  CHECK_OK(wo_order_type_set_active(e->db, e->a.admin, ot2, 0));
  CHECK_OK(wo_order_type_get(&r, e->db, e->a.admin, ot2));
  CHECK_I64(wt_get_int(r, "department_id"), f->d2);
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  in = wt_int(wt_input(), "position_id", f->p1);
  CHECK_OK(wo_order_type_list(&it, e->db, f->contact_actor, in));
  wo_input_free(in);
  n = list_ids(it, "order_type", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->order_type);

  /* Subtypes: a fixed-deposit prepaid one, a free one, and a bps one switched to free. */
  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", "Socket repair"), "charge_mode",
              WO_CHARGE_PREPAY_DEPOSIT);
  wt_int(wt_int(in, "deposit_fixed", 5000), "consumables_enabled", 1);
  CHECK_OK(wo_subtype_create(&f->subtype, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", "Inspection"), "charge_mode",
              WO_CHARGE_FREE);
  CHECK_OK(wo_subtype_create(&f->subtype_free, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", "Rewiring"), "charge_mode",
              WO_CHARGE_PREPAY_DEPOSIT);
  wt_int(in, "deposit_bps", 3000);
  CHECK_OK(wo_subtype_create(&st3, e->db, e->a.admin, in));
  wo_input_free(in);

  CHECK_OK(wo_subtype_get(&r, e->db, e->a.admin, f->subtype));
  CHECK_STR(wo_record_kind(r), "subtype");
  CHECK_I64(wt_get_int(r, "order_type_id"), f->order_type);
  CHECK_STR(wt_get_text(r, "name"), "Socket repair");
  CHECK_I64(wt_get_int(r, "charge_mode"), WO_CHARGE_PREPAY_DEPOSIT);
  CHECK_I64(wt_get_int(r, "deposit_fixed"), 5000);
  CHECK(wt_is_null(r, "deposit_bps"));
  CHECK_I64(wt_get_int(r, "consumables_enabled"), 1);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);
  CHECK_OK(wo_subtype_get(&r, e->db, e->a.admin, f->subtype_free));
  CHECK_I64(wt_get_int(r, "consumables_enabled"), 0);
  CHECK(wt_is_null(r, "deposit_fixed"));
  wo_record_free(r);

  in = wt_null(wt_int(wt_input(), "charge_mode", WO_CHARGE_AFTER_COMPLETION), "deposit_bps");
  wt_text(in, "name", "Rewiring (after)");
  CHECK_OK(wo_subtype_update(e->db, e->a.admin, st3, in));
  wo_input_free(in);
  CHECK_OK(wo_subtype_get(&r, e->db, e->a.admin, st3));
  CHECK_I64(wt_get_int(r, "charge_mode"), WO_CHARGE_AFTER_COMPLETION);
  CHECK(wt_is_null(r, "deposit_bps"));
  CHECK_STR(wt_get_text(r, "name"), "Rewiring (after)");
  wo_record_free(r);
  CHECK_OK(wo_subtype_set_active(e->db, e->a.admin, st3, 0));
  CHECK_OK(wo_subtype_get(&r, e->db, e->a.admin, st3));
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  in = wt_int(wt_input(), "charge_mode", WO_CHARGE_FREE);
  CHECK_OK(wo_subtype_list(&it, e->db, f->contact_actor, in));
  wo_input_free(in);
  n = list_ids(it, "subtype", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->subtype_free);
  in = wt_int(wt_input(), "order_type_id", f->order_type);
  CHECK_OK(wo_subtype_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(list_ids(it, "subtype", ids, 8), 3);
}

static void test_specs_and_items(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t ids[8], n, spec2 = 0, item2 = 0;

  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->subtype), "name", "Standard socket"), "price", 8000);
  CHECK_OK(wo_service_spec_create(&f->spec, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->subtype), "name", "Double socket"), "price", 12000);
  CHECK_OK(wo_service_spec_create(&spec2, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_service_spec_get(&r, e->db, f->contact_actor, f->spec));
  CHECK_STR(wo_record_kind(r), "service_spec");
  CHECK_I64(wt_get_int(r, "subtype_id"), f->subtype);
  CHECK_STR(wt_get_text(r, "name"), "Standard socket");
  CHECK_I64(wt_get_int(r, "price"), 8000);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);
  in = wt_int(wt_input(), "price", 13000);
  CHECK_OK(wo_service_spec_update(e->db, e->a.admin, spec2, in));
  wo_input_free(in);
  CHECK_OK(wo_service_spec_set_active(e->db, e->a.admin, spec2, 0)); /* f->spec is still active */
  CHECK_OK(wo_service_spec_get(&r, e->db, e->a.admin, spec2));
  CHECK_I64(wt_get_int(r, "price"), 13000);
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  in = wt_int(wt_int(wt_input(), "subtype_id", f->subtype), "active", 1);
  CHECK_OK(wo_service_spec_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "service_spec", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], f->spec);

  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->subtype), "name", "Cable, per metre"), "price", 1200);
  CHECK_OK(wo_service_item_create(&f->item, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->subtype_free), "name", "Call-out"), "price", 0);
  CHECK_OK(wo_service_item_create(&item2, e->db, e->a.admin, in)); /* 0 is a price */
  wo_input_free(in);
  CHECK_OK(wo_service_item_get(&r, e->db, f->contact_actor, f->item));
  CHECK_STR(wo_record_kind(r), "service_item");
  CHECK_I64(wt_get_int(r, "subtype_id"), f->subtype);
  CHECK_STR(wt_get_text(r, "name"), "Cable, per metre");
  CHECK_I64(wt_get_int(r, "price"), 1200);
  wo_record_free(r);
  in = wt_text(wt_int(wt_input(), "price", 1500), "name", "Cable (m)");
  CHECK_OK(wo_service_item_update(e->db, e->a.admin, f->item, in));
  wo_input_free(in);
  CHECK_OK(wo_service_item_set_active(e->db, e->a.admin, item2, 0));
  CHECK_OK(wo_service_item_get(&r, e->db, e->a.admin, f->item));
  CHECK_I64(wt_get_int(r, "price"), 1500);
  CHECK_STR(wt_get_text(r, "name"), "Cable (m)");
  wo_record_free(r);
  in = wt_int(wt_input(), "subtype_id", f->subtype_free);
  CHECK_OK(wo_service_item_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "service_item", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], item2);
}

static void test_labor_and_materials(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  int64_t ids[8], n, li2 = 0, lr2 = 0, m2 = 0;

  in = wt_int(wt_text(wt_input(), "name", "Electrician hour"), "default_rate", 6000);
  CHECK_OK(wo_labor_item_create(&f->labor_item, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "name", "Overtime hour"); /* no default rate */
  CHECK_OK(wo_labor_item_create(&li2, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_labor_item_get(&r, e->db, e->a.admin, f->labor_item));
  CHECK_STR(wo_record_kind(r), "labor_item");
  CHECK_STR(wt_get_text(r, "name"), "Electrician hour");
  CHECK_I64(wt_get_int(r, "default_rate"), 6000);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);
  CHECK_OK(wo_labor_item_get(&r, e->db, e->a.admin, li2));
  CHECK(wt_is_null(r, "default_rate"));
  wo_record_free(r);
  in = wt_int(wt_input(), "default_rate", 7000);
  CHECK_OK(wo_labor_item_update(e->db, e->a.admin, li2, in));
  wo_input_free(in);
  CHECK_OK(wo_labor_item_get(&r, e->db, e->a.admin, li2));
  CHECK_I64(wt_get_int(r, "default_rate"), 7000);
  wo_record_free(r);
  in = wt_null(wt_input(), "default_rate");
  CHECK_OK(wo_labor_item_update(e->db, e->a.admin, li2, in));
  wo_input_free(in);
  CHECK_OK(wo_labor_item_set_active(e->db, e->a.admin, li2, 0));
  CHECK_OK(wo_labor_item_get(&r, e->db, e->a.admin, li2));
  CHECK(wt_is_null(r, "default_rate"));
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  in = wt_int(wt_input(), "active", 0);
  CHECK_OK(wo_labor_item_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "labor_item", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], li2);

  in = wt_int(wt_int(wt_int(wt_input(), "labor_item_id", f->labor_item), "department_id", f->d1), "rate", 8000);
  CHECK_OK(wo_labor_rate_create(&f->labor_rate, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_int(wt_input(), "labor_item_id", f->labor_item), "department_id", f->d1), "rate", 9000);
  wt_int(in, "position_id", f->p1);
  CHECK_OK(wo_labor_rate_create(&lr2, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_labor_rate_get(&r, e->db, e->a.admin, f->labor_rate));
  CHECK_STR(wo_record_kind(r), "labor_rate");
  CHECK_I64(wt_get_int(r, "labor_item_id"), f->labor_item);
  CHECK_I64(wt_get_int(r, "department_id"), f->d1);
  CHECK(wt_is_null(r, "position_id"));
  CHECK_I64(wt_get_int(r, "rate"), 8000);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);
  in = wt_int(wt_input(), "rate", 9500);
  CHECK_OK(wo_labor_rate_update(e->db, e->a.admin, lr2, in));
  wo_input_free(in);
  CHECK_OK(wo_labor_rate_set_active(e->db, e->a.admin, lr2, 0));
  CHECK_OK(wo_labor_rate_get(&r, e->db, e->a.admin, lr2));
  CHECK_I64(wt_get_int(r, "position_id"), f->p1);
  CHECK_I64(wt_get_int(r, "rate"), 9500);
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  CHECK_OK(wo_labor_rate_set_active(e->db, e->a.admin, lr2, 1));
  in = wt_int(wt_input(), "position_id", f->p1);
  CHECK_OK(wo_labor_rate_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "labor_rate", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], lr2);
  in = wt_int(wt_int(wt_input(), "labor_item_id", f->labor_item), "department_id", f->d1);
  CHECK_OK(wo_labor_rate_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(list_ids(it, "labor_rate", ids, 8), 2);

  in = wt_text(wt_text(wt_text(wt_input(), "sku", "CAB-2.5"), "name", "Cable 2.5mm²"), "unit", "m");
  wt_int(in, "unit_price", 350);
  CHECK_OK(wo_material_create(&f->material, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_text(wt_text(wt_input(), "sku", "FUSE-10"), "name", "Fuse 10A"), "unit", "pcs");
  wt_int(in, "unit_price", 80);
  CHECK_OK(wo_material_create(&m2, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_material_get(&r, e->db, e->a.admin, f->material));
  CHECK_STR(wo_record_kind(r), "material");
  CHECK_STR(wt_get_text(r, "sku"), "CAB-2.5");
  CHECK_STR(wt_get_text(r, "name"), "Cable 2.5mm²");
  CHECK_STR(wt_get_text(r, "unit"), "m");
  CHECK_I64(wt_get_int(r, "unit_price"), 350);
  CHECK_I64(wt_get_int(r, "stock"), 0);
  CHECK_I64(wt_get_int(r, "active"), 1);
  wo_record_free(r);
  in = wt_text(wt_int(wt_input(), "unit_price", 90), "unit", "piece");
  CHECK_OK(wo_material_update(e->db, e->a.admin, m2, in));
  wo_input_free(in);
  CHECK_OK(wo_material_set_active(e->db, e->a.admin, m2, 0));
  CHECK_OK(wo_material_get(&r, e->db, e->a.admin, m2));
  CHECK_I64(wt_get_int(r, "unit_price"), 90);
  CHECK_STR(wt_get_text(r, "unit"), "piece");
  CHECK_I64(wt_get_int(r, "active"), 0);
  wo_record_free(r);
  in = wt_text(wt_input(), "sku", "FUSE-10");
  CHECK_OK(wo_material_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  n = list_ids(it, "material", ids, 8);
  CHECK_I64(n, 1);
  CHECK_I64(ids[0], m2);
}

/* ---- table-driven bad-input checks over every kind ----------------------------------------- */

typedef int (*create_fn)(int64_t*, wo_db*, const wo_actor*, const wo_input*);
typedef int (*update_fn)(wo_db*, const wo_actor*, int64_t, const wo_input*);
typedef int (*set_active_fn)(wo_db*, const wo_actor*, int64_t, int32_t);
typedef int (*get_fn)(wo_record**, wo_db*, const wo_actor*, int64_t);
typedef int (*list_fn)(wo_iter**, wo_db*, const wo_actor*, const wo_input*);

typedef struct kind_api {
  const char* kind;
  create_fn create;
  update_fn update;
  set_active_fn set_active;
  get_fn get;
  list_fn list;
  int64_t id;              /* a record of org A */
  const char* text_field;  /* a short, required text field, or NULL */
  const char* int_field;   /* an updatable integer field, or NULL */
  const char* money_field; /* a money field, or NULL */
  const char* enum_field;  /* an enum field, or NULL */
  const char* fixed_field; /* an integer field fixed at creation, or NULL */
  int dispatcher_writes;   /* a dispatcher may write (tenants, contacts) */
  int contact_reads;       /* a contact may read it */
} kind_api;

static char* snap(const fixture* f, const kind_api* k) {
  wo_record* r = NULL;
  char* s;
  CHECK_OK(k->get(&r, f->env.db, f->env.a.admin, k->id));
  CHECK_STR(wo_record_kind(r), k->kind);
  s = wt_snapshot(r);
  wo_record_free(r);
  return s;
}

static int64_t count_kind(const fixture* f, const kind_api* k) {
  wo_iter* it = NULL;
  CHECK_OK(k->list(&it, f->env.db, f->env.a.admin, NULL));
  return wt_count(it);
}

/* Expects update(input) by `actor` to fail with code naming needle; frees the input. */
static void update_fails(const fixture* f, const kind_api* k, const wo_actor* actor, int64_t id, wo_input* in, int code,
                         const char* needle) {
  const int rc = k->update(f->env.db, actor, id, in);
  if (rc != code) fprintf(stderr, "(update of %s)\n", k->kind);
  CHECK_FAIL(code, needle, rc);
  wo_input_free(in);
}

/* Expects create(input) by `actor` to fail with code naming needle; frees the input. */
static void create_fails(const fixture* f, const kind_api* k, const wo_actor* actor, wo_input* in, int code,
                         const char* needle) {
  int64_t id = 77;
  const int rc = k->create(&id, f->env.db, actor, in);
  if (rc != code) fprintf(stderr, "(create of %s)\n", k->kind);
  CHECK_FAIL(code, needle, rc);
  CHECK_I64(id, 0);
  wo_input_free(in);
}

static const char* bad_utf8[] = {
    "bad \xC3\x28",         /* invalid continuation byte */
    "\xC0\xAF",             /* overlong '/' */
    "\xED\xA0\x80",         /* UTF-16 surrogate */
    "cut \xE4\xB8",         /* truncated sequence */
    "\xF5\x80\x80\x80",     /* above U+10FFFF */
    "\xFF",                 /* never valid */
    "\x80 lone continuation",
};

/* Drains and frees the iterator; true if a record has this id. Every record must belong to
 * org_id (records without an org_id field are not checked). */
static int list_has(wo_iter* it, int64_t id, int64_t org_id) {
  wo_record* r = NULL;
  int found = 0, rc;
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    if (wt_get_int(r, "id") == id) found = 1;
    CHECK_I64(wt_get_int(r, "org_id"), org_id);
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  return found;
}

static void check_kind(fixture* f, const kind_api* k) {
  wt_env* e = &f->env;
  char* before = snap(f, k);
  char* after;
  const int64_t count = count_kind(f, k);
  wo_record* r = (wo_record*)f;
  wo_iter* it = (wo_iter*)f;
  wo_input* in;
  size_t i;

  /* Engine-only and unknown fields, on update and create. */
  update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), "no_such_field", 1), WO_EINVALID, "no_such_field");
  update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), "org_id", e->b.org_id), WO_EINVALID, "org_id");
  update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), "id", k->id + 100), WO_EINVALID, "id");
  update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), "active", 0), WO_EINVALID, "active");
  create_fails(f, k, e->a.admin, wt_text(wt_input(), "no_such_field", "x"), WO_EINVALID, "no_such_field");
  create_fails(f, k, e->a.admin, wt_int(wt_input(), "id", 5), WO_EINVALID, "id");
  create_fails(f, k, e->a.admin, wt_input(), WO_EINVALID, "required");

  if (k->text_field) {
    char* long_text = wt_repeat("a", 201);
    char* long_cjk = wt_repeat("维", 201);
    update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), k->text_field, 7), WO_EINVALID, k->text_field);
    update_fails(f, k, e->a.admin, k->id, wt_null(wt_input(), k->text_field), WO_EINVALID, k->text_field);
    update_fails(f, k, e->a.admin, k->id, wt_text(wt_input(), k->text_field, ""), WO_EINVALID, k->text_field);
    update_fails(f, k, e->a.admin, k->id, wt_text(wt_input(), k->text_field, " \t "), WO_EINVALID, k->text_field);
    update_fails(f, k, e->a.admin, k->id, wt_text(wt_input(), k->text_field, "a\x01" "b"), WO_EINVALID,
                 k->text_field);
    update_fails(f, k, e->a.admin, k->id, wt_text(wt_input(), k->text_field, long_text), WO_EINVALID, k->text_field);
    update_fails(f, k, e->a.admin, k->id, wt_text(wt_input(), k->text_field, long_cjk), WO_EINVALID, k->text_field);
    for (i = 0; i < sizeof bad_utf8 / sizeof bad_utf8[0]; ++i)
      update_fails(f, k, e->a.admin, k->id, wt_text(wt_input(), k->text_field, bad_utf8[i]), WO_EINVALID,
                   k->text_field);
    /* The checks apply on create too (the first bad field is named). */
    create_fails(f, k, e->a.admin, wt_int(wt_input(), k->text_field, 7), WO_EINVALID, k->text_field);
    free(long_text);
    free(long_cjk);
  }
  if (k->int_field) {
    update_fails(f, k, e->a.admin, k->id, wt_text(wt_input(), k->int_field, "12"), WO_EINVALID, k->int_field);
    /* One bad field spoils a patch with good ones: nothing is applied. */
    if (k->text_field)
      update_fails(f, k, e->a.admin, k->id,
                   wt_text(wt_text(wt_input(), k->text_field, "Renamed"), k->int_field, "12"), WO_EINVALID,
                   k->int_field);
  }
  if (k->money_field) {
    update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), k->money_field, -1), WO_EINVALID, k->money_field);
    update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), k->money_field, INT64_MIN), WO_EINVALID,
                 k->money_field);
  }
  if (k->enum_field) {
    update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), k->enum_field, 99), WO_EINVALID, k->enum_field);
    update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), k->enum_field, -1), WO_EINVALID, k->enum_field);
  }
  if (k->fixed_field) {
    update_fails(f, k, e->a.admin, k->id, wt_int(wt_input(), k->fixed_field, 1), WO_EINVALID, k->fixed_field);
  }
  CHECK_FAIL(WO_EINVALID, "active", k->set_active(e->db, e->a.admin, k->id, 2));
  CHECK_FAIL(WO_EINVALID, "active", k->set_active(e->db, e->a.admin, k->id, -1));

  /* Another org's admin: the record does not exist for them. */
  CHECK_FAIL(WO_ENOTFOUND, k->kind, k->get(&r, e->db, e->b.admin, k->id));
  CHECK(r == NULL);
  update_fails(f, k, e->b.admin, k->id, wt_input(), WO_ENOTFOUND, k->kind);
  CHECK_FAIL(WO_ENOTFOUND, k->kind, k->set_active(e->db, e->b.admin, k->id, 0));
  CHECK_OK(k->list(&it, e->db, e->b.admin, NULL));
  CHECK(!list_has(it, k->id, e->b.org_id));

  /* Ids that exist nowhere. */
  CHECK_FAIL(WO_ENOTFOUND, "987654", k->get(&r, e->db, e->a.admin, 987654));
  CHECK_FAIL(WO_ENOTFOUND, k->kind, k->get(&r, e->db, e->a.admin, 0));
  CHECK_FAIL(WO_ENOTFOUND, k->kind, k->get(&r, e->db, e->a.admin, -3));
  update_fails(f, k, e->a.admin, 987654, wt_input(), WO_ENOTFOUND, "987654");
  CHECK_FAIL(WO_ENOTFOUND, "987654", k->set_active(e->db, e->a.admin, 987654, 1));

  /* A technician may read but not configure; a dispatcher only tenants and contacts. */
  CHECK_OK(k->get(&r, e->db, f->tech_actor, k->id));
  wo_record_free(r);
  update_fails(f, k, f->tech_actor, k->id, wt_input(), WO_EFORBIDDEN, "admin");
  CHECK_FAIL(WO_EFORBIDDEN, "admin", k->set_active(e->db, f->tech_actor, k->id, 0));
  create_fails(f, k, f->tech_actor, wt_input(), WO_EFORBIDDEN, "admin");
  if (!k->dispatcher_writes) {
    update_fails(f, k, f->disp_actor, k->id, wt_input(), WO_EFORBIDDEN, "admin");
    CHECK_FAIL(WO_EFORBIDDEN, "admin", k->set_active(e->db, f->disp_actor, k->id, 0));
    create_fails(f, k, f->disp_actor, wt_input(), WO_EFORBIDDEN, "admin");
  }

  /* A tenant contact reads the order catalog only, never writes. */
  if (k->contact_reads) {
    CHECK_OK(k->get(&r, e->db, f->contact_actor, k->id));
    wo_record_free(r);
  } else {
    CHECK_FAIL(WO_ENOTFOUND, k->kind, k->get(&r, e->db, f->contact_actor, k->id));
    CHECK_FAIL(WO_EFORBIDDEN, k->kind, k->list(&it, e->db, f->contact_actor, NULL));
    CHECK(it == NULL);
  }
  update_fails(f, k, f->contact_actor, k->id, wt_input(), k->contact_reads ? WO_EFORBIDDEN : WO_ENOTFOUND,
               k->contact_reads ? "contact" : k->kind);
  create_fails(f, k, f->contact_actor, wt_input(), WO_EFORBIDDEN, "contact");

  /* The system actor belongs to no org. */
  CHECK_FAIL(WO_EFORBIDDEN, "system", k->get(&r, e->db, e->sys, k->id));
  CHECK_FAIL(WO_EFORBIDDEN, "system", k->list(&it, e->db, e->sys, NULL));
  create_fails(f, k, e->sys, wt_input(), WO_EFORBIDDEN, "system");

  /* Filters: unknown names and fields that are not filters. */
  in = wt_int(wt_input(), "no_such_field", 1);
  CHECK_FAIL(WO_EINVALID, "no_such_field", k->list(&it, e->db, e->a.admin, in));
  CHECK(it == NULL);
  wo_input_free(in);
  in = wt_int(wt_input(), "org_id", e->a.org_id);
  CHECK_FAIL(WO_EINVALID, "org_id", k->list(&it, e->db, e->a.admin, in));
  wo_input_free(in);

  /* NULL handles and out-params. */
  in = wt_input();
  CHECK_FAIL(WO_EINVALID, "out", k->get(NULL, e->db, e->a.admin, k->id));
  CHECK_FAIL(WO_EINVALID, "db", k->get(&r, NULL, e->a.admin, k->id));
  CHECK_FAIL(WO_EINVALID, "actor", k->get(&r, e->db, NULL, k->id));
  CHECK(r == NULL);
  CHECK_FAIL(WO_EINVALID, "id_out", k->create(NULL, e->db, e->a.admin, in));
  CHECK_FAIL(WO_EINVALID, "db", k->create(&(int64_t){0}, NULL, e->a.admin, in));
  CHECK_FAIL(WO_EINVALID, "actor", k->create(&(int64_t){0}, e->db, NULL, in));
  CHECK_FAIL(WO_EINVALID, "fields", k->create(&(int64_t){0}, e->db, e->a.admin, NULL));
  CHECK_FAIL(WO_EINVALID, "db", k->update(NULL, e->a.admin, k->id, in));
  CHECK_FAIL(WO_EINVALID, "actor", k->update(e->db, NULL, k->id, in));
  CHECK_FAIL(WO_EINVALID, "fields", k->update(e->db, e->a.admin, k->id, NULL));
  CHECK_FAIL(WO_EINVALID, "db", k->set_active(NULL, e->a.admin, k->id, 1));
  CHECK_FAIL(WO_EINVALID, "actor", k->set_active(e->db, NULL, k->id, 1));
  CHECK_FAIL(WO_EINVALID, "out", k->list(NULL, e->db, e->a.admin, NULL));
  CHECK_FAIL(WO_EINVALID, "db", k->list(&it, NULL, e->a.admin, NULL));
  CHECK_FAIL(WO_EINVALID, "actor", k->list(&it, e->db, NULL, NULL));
  CHECK(it == NULL);
  wo_input_free(in);

  /* An empty update is allowed and changes nothing either. */
  in = wt_input();
  CHECK_OK(k->update(e->db, e->a.admin, k->id, in));
  wo_input_free(in);

  after = snap(f, k);
  CHECK_STR(after, before);
  CHECK_I64(count_kind(f, k), count);
  free(before);
  free(after);
}

static void test_every_kind(fixture* f) {
  const kind_api kinds[] = {
      {"department", wo_department_create, wo_department_update, wo_department_set_active, wo_department_get,
       wo_department_list, f->d1, "name", NULL, NULL, NULL, NULL, 0, 0},
      {"position", wo_position_create, wo_position_update, wo_position_set_active, wo_position_get, wo_position_list,
       f->p1, "name", NULL, NULL, NULL, NULL, 0, 0},
      {"staff", wo_staff_create, wo_staff_update, wo_staff_set_active, wo_staff_get, wo_staff_list, f->staff, "name",
       "roles", NULL, NULL, NULL, 0, 0},
      {"tenant", wo_tenant_create, wo_tenant_update, wo_tenant_set_active, wo_tenant_get, wo_tenant_list, f->tenant,
       "name", "tenant_kind", NULL, "tenant_kind", NULL, 1, 1},
      {"contact", wo_contact_create, wo_contact_update, wo_contact_set_active, wo_contact_get, wo_contact_list,
       f->contact, "name", NULL, NULL, NULL, "tenant_id", 1, 1},
      {"order_type", wo_order_type_create, wo_order_type_update, wo_order_type_set_active, wo_order_type_get,
       wo_order_type_list, f->order_type, "name", "department_id", NULL, NULL, NULL, 0, 1},
      {"subtype", wo_subtype_create, wo_subtype_update, wo_subtype_set_active, wo_subtype_get, wo_subtype_list,
       f->subtype, "name", "charge_mode", "deposit_fixed", "charge_mode", "order_type_id", 0, 1},
      {"service_spec", wo_service_spec_create, wo_service_spec_update, wo_service_spec_set_active,
       wo_service_spec_get, wo_service_spec_list, f->spec, "name", "price", "price", NULL, "subtype_id", 0, 1},
      {"service_item", wo_service_item_create, wo_service_item_update, wo_service_item_set_active,
       wo_service_item_get, wo_service_item_list, f->item, "name", "price", "price", NULL, "subtype_id", 0, 1},
      {"labor_item", wo_labor_item_create, wo_labor_item_update, wo_labor_item_set_active, wo_labor_item_get,
       wo_labor_item_list, f->labor_item, "name", "default_rate", "default_rate", NULL, NULL, 0, 0},
      {"labor_rate", wo_labor_rate_create, wo_labor_rate_update, wo_labor_rate_set_active, wo_labor_rate_get,
       wo_labor_rate_list, f->labor_rate, NULL, "rate", "rate", NULL, "department_id", 0, 0},
      {"material", wo_material_create, wo_material_update, wo_material_set_active, wo_material_get,
       wo_material_list, f->material, "name", "unit_price", "unit_price", NULL, NULL, 0, 0},
  };
  size_t i;
  for (i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
    fprintf(stderr, "checking bad inputs for %s\n", kinds[i].kind);
    check_kind(f, &kinds[i]);
  }
}

/* ---- kind-specific rules ------------------------------------------------------------------- */

static char* get_snap(get_fn get, const fixture* f, int64_t id) {
  wo_record* r = NULL;
  char* s;
  CHECK_OK(get(&r, f->env.db, f->env.a.admin, id));
  s = wt_snapshot(r);
  wo_record_free(r);
  return s;
}

#define UNCHANGED(get, id, before)             \
  do {                                         \
    char* now_ = get_snap((get), f, (id));     \
    CHECK_STR(now_, (before));                 \
    free(now_);                                \
  } while (0)

static void test_text_limits(fixture* f) {
  wt_env* e = &f->env;
  char* a200 = wt_repeat("a", 200);
  char* cjk200 = wt_repeat("维", 200); /* 600 bytes, 200 characters */
  wo_input* in;
  wo_record* r = NULL;
  int64_t id = 0;

  in = wt_text(wt_input(), "name", a200);
  CHECK_OK(wo_department_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "name", cjk200);
  CHECK_OK(wo_department_update(e->db, e->a.admin, id, in));
  wo_input_free(in);
  CHECK_OK(wo_department_get(&r, e->db, e->a.admin, id));
  CHECK_STR(wt_get_text(r, "name"), cjk200);
  wo_record_free(r);
  /* Tabs and newlines are text, not control characters. */
  in = wt_text(wt_input(), "name", "Line one\nLine\ttwo");
  CHECK_OK(wo_department_update(e->db, e->a.admin, id, in));
  wo_input_free(in);
  CHECK_OK(wo_department_set_active(e->db, e->a.admin, id, 0));
  free(a200);
  free(cjk200);
}

static void test_conflicts(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  int64_t id = 5, b_dept = 0;
  wo_iter* it = NULL;
  char* before;
  int64_t departments_before;
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, NULL));
  departments_before = wt_count(it);

  in = wt_text(wt_input(), "name", "Maintenance 维修部");
  CHECK_FAIL(WO_ECONFLICT, "name", wo_department_create(&id, e->db, e->a.admin, in));
  CHECK_I64(id, 0);
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, NULL));
  CHECK_I64(wt_count(it), departments_before);
  /* The same name in another org is fine. */
  CHECK_OK(wo_department_create(&b_dept, e->db, e->b.admin, in));
  wo_input_free(in);
  /* Renaming into a clash changes nothing. */
  before = get_snap(wo_department_get, f, f->d2);
  in = wt_text(wt_input(), "name", "Maintenance 维修部");
  CHECK_FAIL(WO_ECONFLICT, "name", wo_department_update(e->db, e->a.admin, f->d2, in));
  wo_input_free(in);
  UNCHANGED(wo_department_get, f->d2, before);
  free(before);

  in = wt_text(wt_input(), "name", "Electrician");
  CHECK_FAIL(WO_ECONFLICT, "name", wo_position_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  /* Staff phones are unique in the org after normalisation. */
  in = wt_int(wt_text(wt_text(wt_input(), "name", "Dup"), "phone", "+86 138-0000-1111"), "roles", WO_ROLE_TECHNICIAN);
  CHECK_FAIL(WO_ECONFLICT, "phone", wo_staff_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant), "name", "Dup"), "phone", "139-0000-1111");
  CHECK_FAIL(WO_ECONFLICT, "phone", wo_contact_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  in = wt_int(wt_int(wt_text(wt_input(), "name", "Electrical"), "department_id", f->d2), "position_id", f->p2);
  CHECK_FAIL(WO_ECONFLICT, "name", wo_order_type_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", "Inspection"), "charge_mode",
              WO_CHARGE_FREE);
  CHECK_FAIL(WO_ECONFLICT, "name", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  in = wt_text(wt_input(), "name", "Electrician hour");
  CHECK_FAIL(WO_ECONFLICT, "name", wo_labor_item_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  in = wt_int(wt_int(wt_int(wt_input(), "labor_item_id", f->labor_item), "department_id", f->d1), "rate", 1);
  CHECK_FAIL(WO_ECONFLICT, "department_id", wo_labor_rate_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);

  in = wt_text(wt_text(wt_text(wt_input(), "sku", "CAB-2.5"), "name", "Other cable"), "unit", "m");
  wt_int(in, "unit_price", 1);
  CHECK_FAIL(WO_ECONFLICT, "sku", wo_material_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_I64(id, 0);
}

static void test_staff_rules(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  int64_t id = 5, b_dept = 0;
  char* admin_before = get_snap(wo_staff_get, f, e->a.admin_id);
  char* staff_before = get_snap(wo_staff_get, f, f->staff);

  in = wt_int(wt_text(wt_text(wt_input(), "name", "X"), "phone", "not a phone"), "roles", WO_ROLE_TECHNICIAN);
  CHECK_FAIL(WO_EINVALID, "phone", wo_staff_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_text(wt_input(), "name", "X"), "phone", "12"), "roles", WO_ROLE_TECHNICIAN);
  CHECK_FAIL(WO_EINVALID, "phone", wo_staff_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
#define NEW_STAFF() wt_text(wt_text(wt_input(), "name", "X"), "phone", "13811112222")
  in = NEW_STAFF();
  CHECK_FAIL(WO_EINVALID, "roles", wo_staff_create(&id, e->db, e->a.admin, in)); /* roles is required */
  wo_input_free(in);
  in = wt_int(NEW_STAFF(), "roles", 8);
  CHECK_FAIL(WO_EINVALID, "roles", wo_staff_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(NEW_STAFF(), "roles", -1);
  CHECK_FAIL(WO_EINVALID, "roles", wo_staff_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(NEW_STAFF(), "roles", WO_ROLE_TECHNICIAN), "department_id", 0);
  CHECK_FAIL(WO_EINVALID, "department_id", wo_staff_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  /* A department of org B. */
  {
    wo_iter* it = NULL;
    wo_record* r = NULL;
    CHECK_OK(wo_department_list(&it, e->db, e->b.admin, NULL));
    CHECK_OK(wo_iter_next(&r, it));
    b_dept = wt_get_int(r, "id");
    wo_record_free(r);
    wo_iter_free(it);
  }
  in = wt_int(wt_int(NEW_STAFF(), "roles", WO_ROLE_TECHNICIAN), "department_id", b_dept);
  CHECK_FAIL(WO_ENOTFOUND, "department_id", wo_staff_create(&id, e->db, e->a.admin, in));
  CHECK_I64(id, 0);
  wo_input_free(in);
#undef NEW_STAFF
  in = wt_int(wt_input(), "position_id", 987654);
  CHECK_FAIL(WO_ENOTFOUND, "position_id", wo_staff_update(e->db, e->a.admin, f->staff, in));
  wo_input_free(in);
  UNCHANGED(wo_staff_get, f->staff, staff_before);

  /* The last active admin keeps the admin role and stays active. */
  in = wt_int(wt_input(), "roles", WO_ROLE_TECHNICIAN);
  CHECK_FAIL(WO_ESTATE, "admin", wo_staff_update(e->db, e->a.admin, e->a.admin_id, in));
  wo_input_free(in);
  CHECK_FAIL(WO_ESTATE, "admin", wo_staff_set_active(e->db, e->a.admin, e->a.admin_id, 0));
  UNCHANGED(wo_staff_get, e->a.admin_id, admin_before);
  free(admin_before);
  free(staff_before);
}

static void test_subtype_and_spec_rules(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  int64_t id = 5, st = 0, only_spec = 0;
  wo_iter* it = NULL;
  char* sub_before = get_snap(wo_subtype_get, f, f->subtype);
  char* spec_before = get_snap(wo_service_spec_get, f, f->spec);
  int64_t subtypes_before;
  CHECK_OK(wo_subtype_list(&it, e->db, e->a.admin, NULL));
  subtypes_before = wt_count(it);

#define NEW_SUBTYPE(name, mode) \
  wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", (name)), "charge_mode", (mode))
  in = NEW_SUBTYPE("A", 4);
  CHECK_FAIL(WO_EINVALID, "charge_mode", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = NEW_SUBTYPE("B", WO_CHARGE_PREPAY_DEPOSIT);
  CHECK_FAIL(WO_EINVALID, "deposit", wo_subtype_create(&id, e->db, e->a.admin, in));
  wt_int(wt_int(in, "deposit_fixed", 100), "deposit_bps", 100);
  CHECK_FAIL(WO_EINVALID, "deposit", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(NEW_SUBTYPE("C", WO_CHARGE_PREPAY_DEPOSIT), "deposit_bps", 10001);
  CHECK_FAIL(WO_EINVALID, "deposit_bps", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(NEW_SUBTYPE("C", WO_CHARGE_PREPAY_DEPOSIT), "deposit_bps", 0);
  CHECK_FAIL(WO_EINVALID, "deposit_bps", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(NEW_SUBTYPE("D", WO_CHARGE_FREE), "deposit_bps", 100);
  CHECK_FAIL(WO_EINVALID, "deposit", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(NEW_SUBTYPE("E", WO_CHARGE_PREPAY_DEPOSIT), "deposit_fixed", -100);
  CHECK_FAIL(WO_EINVALID, "deposit_fixed", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(NEW_SUBTYPE("F", WO_CHARGE_FREE), "consumables_enabled", 2);
  CHECK_FAIL(WO_EINVALID, "consumables_enabled", wo_subtype_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", 987654), "name", "G"), "charge_mode", WO_CHARGE_FREE);
  CHECK_FAIL(WO_ENOTFOUND, "order_type_id", wo_subtype_create(&id, e->db, e->a.admin, in));
  CHECK_I64(id, 0);
  wo_input_free(in);
  CHECK_OK(wo_subtype_list(&it, e->db, e->a.admin, NULL));
  CHECK_I64(wt_count(it), subtypes_before);

  /* A fixed deposit never above an active spec's price, checked both ways. */
  in = wt_int(wt_input(), "deposit_fixed", 9000);
  CHECK_FAIL(WO_EINVALID, "deposit_fixed", wo_subtype_update(e->db, e->a.admin, f->subtype, in));
  wo_input_free(in);
  in = wt_int(wt_input(), "price", 4999);
  CHECK_FAIL(WO_EINVALID, "price", wo_service_spec_update(e->db, e->a.admin, f->spec, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->subtype), "name", "Cheap"), "price", 100);
  CHECK_FAIL(WO_EINVALID, "price", wo_service_spec_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", 987654), "name", "Nowhere"), "price", 100);
  CHECK_FAIL(WO_ENOTFOUND, "subtype_id", wo_service_spec_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  /* The last active spec of a prepaid subtype cannot be deactivated. */
  CHECK_FAIL(WO_ESTATE, "spec", wo_service_spec_set_active(e->db, e->a.admin, f->spec, 0));
  UNCHANGED(wo_subtype_get, f->subtype, sub_before);
  UNCHANGED(wo_service_spec_get, f->spec, spec_before);

  /* With a second spec the first may go. */
  in = wt_int(NEW_SUBTYPE("Full", WO_CHARGE_PREPAY_FULL), "consumables_enabled", 0);
  CHECK_OK(wo_subtype_create(&st, e->db, e->a.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", st), "name", "Only"), "price", 100);
  CHECK_OK(wo_service_spec_create(&only_spec, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_FAIL(WO_ESTATE, "spec", wo_service_spec_set_active(e->db, e->a.admin, only_spec, 0));
  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", st), "name", "Second"), "price", 200);
  CHECK_OK(wo_service_spec_create(&id, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_service_spec_set_active(e->db, e->a.admin, only_spec, 0));
#undef NEW_SUBTYPE
  free(sub_before);
  free(spec_before);
}

static void test_references_across_orgs(fixture* f) {
  wt_env* e = &f->env;
  wo_input* in;
  int64_t id = 5;
  /* Org B's admin cannot point at org A's records. */
  in = wt_int(wt_int(wt_text(wt_input(), "name", "Stolen"), "department_id", f->d1), "position_id", f->p1);
  CHECK_FAIL(WO_ENOTFOUND, "department_id", wo_order_type_create(&id, e->db, e->b.admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "subtype_id", f->subtype), "name", "Stolen"), "price", 9000);
  CHECK_FAIL(WO_ENOTFOUND, "subtype_id", wo_service_item_create(&id, e->db, e->b.admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_int(wt_input(), "labor_item_id", f->labor_item), "department_id", f->d1), "rate", 1);
  CHECK_FAIL(WO_ENOTFOUND, "labor_item_id", wo_labor_rate_create(&id, e->db, e->b.admin, in));
  wo_input_free(in);
  CHECK_I64(id, 0);
}

int main(void) {
  fixture f;
  memset(&f, 0, sizeof f);
  wt_env_open(&f.env, "catalog", 0);
  test_departments(&f);
  test_positions(&f);
  test_staff(&f);
  test_tenants_and_contacts(&f);
  test_order_types_and_subtypes(&f);
  test_specs_and_items(&f);
  test_labor_and_materials(&f);
  test_every_kind(&f);
  test_text_limits(&f);
  test_conflicts(&f);
  test_staff_rules(&f);
  test_subtype_and_spec_rules(&f);
  test_references_across_orgs(&f);
  wo_actor_free(f.tech_actor);
  wo_actor_free(f.disp_actor);
  wo_actor_free(f.contact_actor);
  wt_env_close(&f.env);
  printf("capi_catalog_test: OK\n");
  return 0;
}
