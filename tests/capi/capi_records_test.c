/* SPDX-License-Identifier: MIT */
/* capi_records_test.c — wo_record getters and wo_iter iterators through the C ABI: kind,
 * field count, names in order, types, null fields (WO_TYPE_NULL, WO_ENULL from the typed getters),
 * every getter again by index and the whole record at once (wo_record_values), wrong-type and unknown-field errors naming the field, borrowed strings that stay
 * valid until the record is freed, out-params reset on failure; iterators over several pages
 * (ascending ids, filters, WO_DONE and its stickiness, records that outlive their iterator,
 * two iterators at once, freeing an iterator half-way, pages read lazily). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

#define MANY 450 /* more than two pages of 200 */

/* Every field read by index and all at once agrees with the same field read by name. */
static void test_by_index(const wo_record* rec) {
  int32_t n = wo_record_field_count(rec), i, type, types[16];
  int64_t v, ints[16];
  const char* t;
  const char* texts[16];
  CHECK(n > 0 && n <= 16);
  CHECK_OK(wo_record_values(types, ints, texts, rec, n));
  for (i = 0; i < n; ++i) {
    const char* name = wo_record_field_name(rec, i);
    int32_t by_name = -1;
    CHECK_OK(wo_record_field_type(&by_name, rec, name));
    CHECK_OK(wo_record_field_type_at(&type, rec, i));
    CHECK_I64(type, by_name);
    CHECK_I64(types[i], by_name);
    if (type == WO_TYPE_INT) {
      CHECK_OK(wo_record_get_int_at(&v, rec, i));
      CHECK_I64(v, wt_get_int(rec, name));
      CHECK_I64(ints[i], v);
      CHECK(texts[i] == NULL);
      CHECK_FAIL(WO_EINVALID, name, wo_record_get_text_at(&t, rec, i));
    } else if (type == WO_TYPE_TEXT) {
      CHECK_OK(wo_record_get_text_at(&t, rec, i));
      CHECK(t == wt_get_text(rec, name)); /* the same borrowed string */
      CHECK(texts[i] == t);
      CHECK_I64(ints[i], 0);
      CHECK_FAIL(WO_EINVALID, name, wo_record_get_int_at(&v, rec, i));
    } else {
      v = 5;
      t = "x";
      CHECK_FAIL(WO_ENULL, name, wo_record_get_int_at(&v, rec, i));
      CHECK_FAIL(WO_ENULL, name, wo_record_get_text_at(&t, rec, i));
      CHECK(v == 0 && t == NULL && ints[i] == 0 && texts[i] == NULL);
    }
  }
  /* Out of range, NULL arguments: WO_EINVALID naming what is wrong; outs reset. */
  type = 7;
  CHECK_FAIL(WO_EINVALID, "index 16", wo_record_field_type_at(&type, rec, 16));
  CHECK_I64(type, WO_TYPE_NULL);
  v = 5;
  CHECK_FAIL(WO_EINVALID, "index -1", wo_record_get_int_at(&v, rec, -1));
  CHECK_I64(v, 0);
  t = "x";
  CHECK_FAIL(WO_EINVALID, "index", wo_record_get_text_at(&t, rec, n));
  CHECK(t == NULL);
  CHECK_FAIL(WO_EINVALID, "record", wo_record_get_int_at(&v, NULL, 0));
  CHECK_FAIL(WO_EINVALID, "out", wo_record_field_type_at(NULL, rec, 0));
  /* wo_record_values reads a prefix, never beyond the fields. */
  types[1] = 99;
  CHECK_OK(wo_record_values(types, ints, texts, rec, 1));
  CHECK_I64(types[1], 99);
  CHECK_OK(wo_record_values(types, ints, texts, rec, 0));
  CHECK_FAIL(WO_EINVALID, "count", wo_record_values(types, ints, texts, rec, n + 1));
  CHECK_FAIL(WO_EINVALID, "count", wo_record_values(types, ints, texts, rec, -1));
  CHECK_I64(types[1], 99);
  CHECK_FAIL(WO_EINVALID, "texts_out", wo_record_values(types, ints, NULL, rec, n));
  CHECK_FAIL(WO_EINVALID, "record", wo_record_values(types, ints, texts, NULL, 0));
}

static void test_getters(wt_env* e) {
  wo_record* dept = NULL;
  wo_record* admin = NULL;
  wo_record* again = NULL;
  int64_t d = 0, i64 = 0;
  int32_t type = -1;
  const char* s = NULL;
  const char* name1;
  const char* name2;
  wo_input* in = wt_text(wt_input(), "name", "Records");
  static const char* dept_fields[] = {"id", "org_id", "name", "active"};
  static const int32_t dept_types[] = {WO_TYPE_INT, WO_TYPE_INT, WO_TYPE_TEXT, WO_TYPE_INT};
  int32_t i;

  CHECK_OK(wo_department_create(&d, e->db, e->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_department_get(&dept, e->db, e->a.admin, d));
  CHECK_STR(wo_record_kind(dept), "department");
  CHECK_I64(wo_record_field_count(dept), 4);
  for (i = 0; i < 4; ++i) {
    CHECK_STR(wo_record_field_name(dept, i), dept_fields[i]);
    CHECK_OK(wo_record_field_type(&type, dept, dept_fields[i]));
    CHECK_I64(type, dept_types[i]);
  }
  CHECK(wo_record_field_name(dept, -1) == NULL);
  CHECK(wo_record_field_name(dept, 4) == NULL);
  CHECK(wo_record_field_name(dept, 1000000) == NULL);

  /* Typed getters. */
  CHECK_OK(wo_record_get_int(&i64, dept, "id"));
  CHECK_I64(i64, d);
  CHECK_OK(wo_record_get_text(&s, dept, "name"));
  CHECK_STR(s, "Records");

  /* Wrong types, unknown fields, NULL arguments: WO_EINVALID naming the field; outs reset. */
  i64 = 5;
  CHECK_FAIL(WO_EINVALID, "name", wo_record_get_int(&i64, dept, "name"));
  CHECK_I64(i64, 0);
  s = "x";
  CHECK_FAIL(WO_EINVALID, "active", wo_record_get_text(&s, dept, "active"));
  CHECK(s == NULL);
  CHECK_FAIL(WO_EINVALID, "colour", wo_record_get_int(&i64, dept, "colour"));
  CHECK_FAIL(WO_EINVALID, "colour", wo_record_get_text(&s, dept, "colour"));
  type = 9;
  CHECK_FAIL(WO_EINVALID, "colour", wo_record_field_type(&type, dept, "colour"));
  CHECK_I64(type, WO_TYPE_NULL);
  CHECK_FAIL(WO_EINVALID, "Name", wo_record_field_type(&type, dept, "Name")); /* names are case-sensitive */
  CHECK_FAIL(WO_EINVALID, "field", wo_record_get_int(&i64, dept, NULL));
  CHECK_FAIL(WO_EINVALID, "field", wo_record_get_text(&s, dept, NULL));
  CHECK_FAIL(WO_EINVALID, "field", wo_record_field_type(&type, dept, NULL));
  CHECK_FAIL(WO_EINVALID, "out", wo_record_get_int(NULL, dept, "id"));
  CHECK_FAIL(WO_EINVALID, "out", wo_record_get_text(NULL, dept, "name"));
  CHECK_FAIL(WO_EINVALID, "out", wo_record_field_type(NULL, dept, "id"));

  /* Null fields: type NULL, and the typed getters say null (not "not found"), naming the field. */
  CHECK_OK(wo_staff_get(&admin, e->db, e->a.admin, e->a.admin_id));
  CHECK_STR(wo_record_kind(admin), "staff");
  CHECK_I64(wo_record_field_count(admin), 9);
  CHECK_OK(wo_record_field_type(&type, admin, "department_id"));
  CHECK_I64(type, WO_TYPE_NULL);
  i64 = 5;
  CHECK_FAIL(WO_ENULL, "department_id", wo_record_get_int(&i64, admin, "department_id"));
  CHECK_I64(i64, 0);
  s = "x";
  CHECK_FAIL(WO_ENULL, "position_id", wo_record_get_text(&s, admin, "position_id"));
  CHECK(s == NULL);
  test_by_index(admin);

  /* Borrowed strings: stable until their record is freed, independent of other records. */
  CHECK_OK(wo_department_get(&again, e->db, e->a.admin, d));
  name1 = wt_get_text(dept, "name");
  name2 = wt_get_text(again, "name");
  CHECK(name1 == wt_get_text(dept, "name"));
  CHECK(name1 != name2);
  wo_record_free(again);
  CHECK_STR(name1, "Records");
  test_by_index(dept);
  CHECK_STR(wo_record_field_name(dept, 2), "name");
  wo_record_free(dept);
  wo_record_free(admin);
}

static int64_t ids[MANY + 8];

static void test_iterators(wt_env* e) {
  wo_iter* it = NULL;
  wo_iter* it2 = NULL;
  wo_record* r = NULL;
  wo_record* kept = NULL;
  wo_input* in;
  int64_t n, i, total, late = 0;
  int rc;
  char name[32];

  for (i = 0; i < MANY; ++i) {
    snprintf(name, sizeof name, "Dept %04d", (int)i);
    in = wt_text(wt_input(), "name", name);
    CHECK_OK(wo_department_create(&ids[i], e->db, e->a.admin, in));
    wo_input_free(in);
    if (i % 3 == 0) CHECK_OK(wo_department_set_active(e->db, e->a.admin, ids[i], 0));
  }
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, NULL));
  total = wt_count(it);
  CHECK_I64(total, MANY + 1); /* plus "Records" */

  /* Every record once, in id order, across the page boundaries. */
  in = wt_int(wt_input(), "active", 0);
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, in));
  wo_input_free(in);
  for (n = 0; (rc = wo_iter_next(&r, it)) == WO_OK; ++n) {
    CHECK(n * 3 < MANY);
    CHECK_I64(wt_get_int(r, "id"), ids[n * 3]);
    CHECK_I64(wt_get_int(r, "active"), 0);
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  CHECK(r == NULL);
  CHECK_I64(n, MANY / 3);
  CHECK_RC(WO_DONE, wo_iter_next(&r, it));
  CHECK_RC(WO_DONE, wo_iter_next(&r, it));
  CHECK(r == NULL);
  wo_iter_free(it);

  /* Two iterators at once; a record outlives its iterator; freeing half-way is fine. */
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, NULL));
  CHECK_OK(wo_department_list(&it2, e->db, e->a.admin, NULL));
  for (i = 0; i < 250; ++i) {
    wo_record* a = NULL;
    wo_record* b = NULL;
    CHECK_OK(wo_iter_next(&a, it));
    CHECK_OK(wo_iter_next(&b, it2));
    CHECK_I64(wt_get_int(a, "id"), wt_get_int(b, "id"));
    if (i == 210) {
      kept = a;
    } else {
      wo_record_free(a);
    }
    wo_record_free(b);
  }
  wo_iter_free(it);
  CHECK_STR(wo_record_kind(kept), "department");
  CHECK_I64(wt_get_int(kept, "id"), ids[209]); /* index 0 is "Records" */
  wo_record_free(kept);

  /* Pages are read lazily: a record created after the iterator started, past the page it
   * is on, is still seen. */
  in = wt_text(wt_input(), "name", "Late");
  CHECK_OK(wo_department_create(&late, e->db, e->a.admin, in));
  wo_input_free(in);
  for (n = 250; (rc = wo_iter_next(&r, it2)) == WO_OK; ++n) {
    if (n == total) CHECK_I64(wt_get_int(r, "id"), late);
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  CHECK_I64(n, total + 1);
  wo_iter_free(it2);

  /* An iterator freed before its first page, and one freed after one record. */
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, NULL));
  wo_iter_free(it);
  CHECK_OK(wo_department_list(&it, e->db, e->a.admin, NULL));
  CHECK_OK(wo_iter_next(&r, it));
  wo_record_free(r);
  wo_iter_free(it);

  /* An empty list is WO_DONE at once. */
  CHECK_OK(wo_tenant_list(&it, e->db, e->a.admin, NULL));
  CHECK_RC(WO_DONE, wo_iter_next(&r, it));
  CHECK(r == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_iter_next(NULL, it));
  wo_iter_free(it);
}

int main(void) {
  wt_env env;
  wt_env_open(&env, "records", WO_OPEN_SYNC_NORMAL); /* many small writes */
  test_getters(&env);
  test_iterators(&env);
  wt_env_close(&env);
  printf("capi_records_test: OK\n");
  return 0;
}
