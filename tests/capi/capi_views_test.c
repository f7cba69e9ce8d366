/* SPDX-License-Identifier: MIT */
/* capi_views_test.c — docs/rules.md §8 through the C ABI: views and order lists with resumable
 * cursors, order records, the CSV export, the dashboard, an order's messages and the event
 * feed.
 *
 * One story in org A (Asia/Shanghai): contact c1 reports 7 free repairs and contact c2 2.
 * o[0] is assigned to t1, accepted, finished and rated 5 (completed); o[1] the same but not
 * rated (awaiting_rating, c1's to-do); o[2] is assigned to t1 (pending_accept) and gets two
 * messages; o[3] is assigned to t2 and accepted (in_progress); o[4] is cancelled by c1; the
 * rest wait in the pool. Then each call is checked against the story: results, cursors that
 * resume exactly where a host stopped, tampered input, the wrong actor, and NULL arguments. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

#define MINUTE 60000LL
#define HOUR (60 * MINUTE)
#define ORDERS 9
#define EXTRA_MESSAGES 205 /* more than one page (200) of the event feed */

static int64_t now_ms = 1700000000000LL; /* 2023-11-14 22:13:20 UTC = 2023-11-15 06:13:20 in Shanghai */
static int64_t test_clock(void* ctx) { return *(const int64_t*)ctx; }

typedef struct fixture {
  wt_env env;
  int64_t start_ms; /* the clock before the first order */
  int64_t dept, pos, t1, t2, disp;
  wo_actor *t1a, *t2a, *disp_a;
  int64_t tenant1, tenant2, c1, c2;
  wo_actor *c1a, *c2a;
  int64_t order_type, sub;
  int64_t o[ORDERS]; /* in submission order */
} fixture;

/* ---- helpers -------------------------------------------------------------------------------- */

static int64_t create(int (*fn)(int64_t*, wo_db*, const wo_actor*, const wo_input*), fixture* f, wo_input* in) {
  int64_t id = 0;
  CHECK_OK(fn(&id, f->env.db, f->env.a.admin, in));
  wo_input_free(in);
  return id;
}

static void later(int64_t ms) { now_ms += ms; }

static int64_t submit(fixture* f, const wo_actor* contact) {
  int64_t id = 0;
  wo_input* in = wt_int(wt_input(), "subtype_id", f->sub);
  wt_text(wt_text(in, "description", "Lights flicker 灯闪"), "address", "Tower B, 12F");
  wt_int(in, "source_channel", WO_SOURCE_TENANT_APP);
  later(MINUTE);
  CHECK_OK(wo_order_submit(&id, f->env.db, contact, in));
  wo_input_free(in);
  return id;
}

static void assign_accept(fixture* f, int64_t order, int64_t staff, const wo_actor* who) {
  later(5 * MINUTE);
  CHECK_OK(wo_order_assign(f->env.db, f->env.a.admin, order, staff, 0));
  later(10 * MINUTE);
  CHECK_OK(wo_order_accept(f->env.db, who, order));
}

/* The ids of a list, read through `it` (freed), into ids[]; returns how many. */
static int read_ids(wo_iter* it, int64_t* ids, int max) {
  int n = 0, rc;
  wo_record* r = NULL;
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    CHECK(n < max);
    ids[n++] = wt_get_int(r, "id");
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  return n;
}

/* The ids of view `view` for `actor`, whole, with the given query (may be NULL). */
static int view_ids(fixture* f, const wo_actor* actor, int32_t view, const wo_input* query, int64_t* ids, int max) {
  wo_iter* it = NULL;
  CHECK_OK(wo_order_list(&it, f->env.db, actor, view, query, NULL, 200));
  return read_ids(it, ids, max);
}

static void check_ids(const int64_t* got, int n_got, const int64_t* expected, int n_expected) {
  int i;
  CHECK_I64(n_got, n_expected);
  for (i = 0; i < n_got; ++i) CHECK_I64(got[i], expected[i]);
}

/* A copy of the iterator's current cursor (freed by the caller). */
static char* cursor_of(wo_iter* it) {
  const char* c = NULL;
  char* copy;
  CHECK_OK(wo_iter_cursor(&c, it));
  CHECK(c != NULL);
  copy = malloc(strlen(c) + 1);
  CHECK(copy != NULL);
  strcpy(copy, c);
  return copy;
}

/* ---- the story -------------------------------------------------------------------------------- */

static void setup(fixture* f) {
  wt_env* e = &f->env;
  int i;
  wt_env_open(e, "views", WO_OPEN_SYNC_NORMAL);
  CHECK_OK(wo_db_set_clock(e->db, test_clock, &now_ms));
  f->dept = create(wo_department_create, f, wt_text(wt_input(), "name", "Electrical"));
  f->pos = create(wo_position_create, f, wt_text(wt_input(), "name", "Electrician"));
#define STAFF(name, phone, roles)                                                                              \
  create(wo_staff_create, f,                                                                                   \
         wt_int(wt_int(wt_int(wt_text(wt_text(wt_input(), "name", name), "phone", phone), "department_id", f->dept), \
                       "position_id", f->pos),                                                                 \
                "roles", (roles)))
  f->t1 = STAFF("Wang", "13100000001", WO_ROLE_TECHNICIAN);
  f->t2 = STAFF("Zhao", "13100000002", WO_ROLE_TECHNICIAN);
  f->disp = STAFF("Sun", "13100000003", WO_ROLE_DISPATCHER);
#undef STAFF
  CHECK_OK(wo_actor_staff(&f->t1a, f->t1));
  CHECK_OK(wo_actor_staff(&f->t2a, f->t2));
  CHECK_OK(wo_actor_staff(&f->disp_a, f->disp));
  f->tenant1 = create(wo_tenant_create, f, wt_text(wt_input(), "name", "ACME"));
  f->tenant2 = create(wo_tenant_create, f, wt_text(wt_input(), "name", "Globex"));
  f->c1 = create(wo_contact_create, f,
                 wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant1), "name", "Zhang"), "phone", "13900000001"));
  f->c2 = create(wo_contact_create, f,
                 wt_text(wt_text(wt_int(wt_input(), "tenant_id", f->tenant2), "name", "Li"), "phone", "13900000002"));
  CHECK_OK(wo_actor_contact(&f->c1a, f->c1));
  CHECK_OK(wo_actor_contact(&f->c2a, f->c2));
  f->order_type = create(wo_order_type_create, f,
                         wt_int(wt_int(wt_text(wt_input(), "name", "Electrical"), "department_id", f->dept),
                                "position_id", f->pos));
  f->sub = create(wo_subtype_create, f,
                  wt_int(wt_text(wt_int(wt_input(), "order_type_id", f->order_type), "name", "Lights"), "charge_mode",
                         WO_CHARGE_FREE));

  f->start_ms = now_ms;
  for (i = 0; i < ORDERS; ++i) f->o[i] = submit(f, i < 7 ? f->c1a : f->c2a);

  assign_accept(f, f->o[0], f->t1, f->t1a);
  later(30 * MINUTE);
  CHECK_OK(wo_order_finish(f->env.db, f->t1a, f->o[0]));
  later(MINUTE);
  CHECK_OK(wo_order_rate(f->env.db, f->c1a, f->o[0], 5, "fast"));
  assign_accept(f, f->o[1], f->t1, f->t1a);
  later(30 * MINUTE);
  CHECK_OK(wo_order_finish(f->env.db, f->t1a, f->o[1]));
  later(MINUTE);
  CHECK_OK(wo_order_assign(f->env.db, f->env.a.admin, f->o[2], f->t1, 0));
  later(MINUTE);
  CHECK_OK(wo_order_message(f->env.db, f->c1a, f->o[2], "Is anyone coming?"));
  later(MINUTE);
  CHECK_OK(wo_order_message(f->env.db, f->t1a, f->o[2], "Tomorrow at 9 明早九点"));
  assign_accept(f, f->o[3], f->t2, f->t2a);
  later(MINUTE);
  CHECK_OK(wo_order_cancel(f->env.db, f->c1a, f->o[4], "fixed it myself"));
}

static void teardown(fixture* f) {
  wo_actor_free(f->t1a);
  wo_actor_free(f->t2a);
  wo_actor_free(f->disp_a);
  wo_actor_free(f->c1a);
  wo_actor_free(f->c2a);
  wt_env_close(&f->env);
}

/* ---- 1. views and filters ----------------------------------------------------------------------- */

static void views(fixture* f) {
  int64_t ids[ORDERS + 1];
  int n;
  wo_input* q;
  wo_record* r = NULL;
  wo_iter* it = NULL;
  const int64_t* o = f->o;
  {
    const int64_t all[] = {o[8], o[7], o[6], o[5], o[4], o[3], o[2], o[1], o[0]};
    const int64_t c1_all[] = {o[6], o[5], o[4], o[3], o[2], o[1], o[0]};
    const int64_t c2_all[] = {o[8], o[7]};
    const int64_t todo[] = {o[1]};
    const int64_t pool[] = {o[8], o[7], o[6], o[5]};
    const int64_t t1_tasks[] = {o[2]};
    const int64_t t2_tasks[] = {o[3]};
    n = view_ids(f, f->env.a.admin, WO_VIEW_ALL, NULL, ids, ORDERS);
    check_ids(ids, n, all, 9);
    n = view_ids(f, f->disp_a, WO_VIEW_ALL, NULL, ids, ORDERS);
    check_ids(ids, n, all, 9);
    n = view_ids(f, f->c1a, WO_VIEW_ALL, NULL, ids, ORDERS);
    check_ids(ids, n, c1_all, 7);
    n = view_ids(f, f->c2a, WO_VIEW_ALL, NULL, ids, ORDERS);
    check_ids(ids, n, c2_all, 2);
    n = view_ids(f, f->c1a, WO_VIEW_TENANT_TODO, NULL, ids, ORDERS);
    check_ids(ids, n, todo, 1);
    n = view_ids(f, f->c1a, WO_VIEW_SUBMITTED_BY_ME, NULL, ids, ORDERS);
    check_ids(ids, n, c1_all, 7);
    n = view_ids(f, f->t1a, WO_VIEW_MY_TASKS, NULL, ids, ORDERS);
    check_ids(ids, n, t1_tasks, 1);
    n = view_ids(f, f->t2a, WO_VIEW_MY_TASKS, NULL, ids, ORDERS);
    check_ids(ids, n, t2_tasks, 1);
    n = view_ids(f, f->t1a, WO_VIEW_POOL, NULL, ids, ORDERS);
    check_ids(ids, n, pool, 4);
    /* Nobody of org B sees org A's orders. */
    CHECK_I64(view_ids(f, f->env.b.admin, WO_VIEW_ALL, NULL, ids, ORDERS), 0);
  }

  /* The records are the orders with their bill, as wo_order_get gives them. */
  {
    wo_record* one = NULL;
    char *a, *b;
    CHECK_OK(wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, NULL, 1));
    CHECK_OK(wo_iter_next(&r, it));
    CHECK_STR(wo_record_kind(r), "order");
    CHECK_STR(wt_get_text(r, "number"), "20231115-000009");
    CHECK_OK(wo_order_get(&one, f->env.db, f->env.a.admin, o[8]));
    a = wt_snapshot(r);
    b = wt_snapshot(one);
    CHECK_STR(a, b);
    free(a);
    free(b);
    wo_record_free(one);
    wo_record_free(r);
    wo_iter_free(it);
  }

  /* Query filters. */
  {
    const int64_t waiting[] = {o[8], o[7], o[6], o[5]};
    const int64_t closed[] = {o[4], o[0]};
    const int64_t third[] = {o[2]};
    const int64_t globex[] = {o[8], o[7]};
    const int64_t t1_held[] = {o[2], o[1], o[0]};
    q = wt_int(wt_input(), "status_mask", WO_STATUS_BIT(WO_STATUS_PENDING_DISPATCH));
    check_ids(ids, view_ids(f, f->env.a.admin, WO_VIEW_ALL, q, ids, ORDERS), waiting, 4);
    wo_input_free(q);
    q = wt_int(wt_input(), "status_mask", WO_STATUS_BIT(WO_STATUS_COMPLETED) | WO_STATUS_BIT(WO_STATUS_CANCELLED));
    check_ids(ids, view_ids(f, f->env.a.admin, WO_VIEW_ALL, q, ids, ORDERS), closed, 2);
    wo_input_free(q);
    q = wt_text(wt_input(), "text", "20231115-000003");
    check_ids(ids, view_ids(f, f->env.a.admin, WO_VIEW_ALL, q, ids, ORDERS), third, 1);
    wo_input_free(q);
    q = wt_int(wt_input(), "tenant_id", f->tenant2);
    check_ids(ids, view_ids(f, f->env.a.admin, WO_VIEW_ALL, q, ids, ORDERS), globex, 2);
    /* A filter narrows a contact's sight, never widens it. */
    CHECK_I64(view_ids(f, f->c1a, WO_VIEW_ALL, q, ids, ORDERS), 0);
    wo_input_free(q);
    q = wt_int(wt_input(), "assignee_id", f->t1);
    check_ids(ids, view_ids(f, f->env.a.admin, WO_VIEW_ALL, q, ids, ORDERS), t1_held, 3);
    wo_input_free(q);
    q = wt_int(wt_int(wt_input(), "created_from", f->start_ms + 2 * MINUTE), "created_to", f->start_ms + 4 * MINUTE);
    {
      const int64_t second_third[] = {o[2], o[1]};
      check_ids(ids, view_ids(f, f->env.a.admin, WO_VIEW_ALL, q, ids, ORDERS), second_third, 2);
    }
    wo_input_free(q);
  }

  /* Bad input: the code, a message naming it, and no iterator. */
  it = (wo_iter*)f; /* any non-NULL value: a failed call must reset it */
  CHECK_FAIL(WO_EINVALID, "view", wo_order_list(&it, f->env.db, f->env.a.admin, 5, NULL, NULL, 10));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "view", wo_order_list(&it, f->env.db, f->env.a.admin, -1, NULL, NULL, 10));
  CHECK_FAIL(WO_EINVALID, "page_size", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, NULL, 0));
  CHECK_FAIL(WO_EINVALID, "page_size", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, NULL, 201));
  q = wt_int(wt_input(), "bogus", 1);
  CHECK_FAIL(WO_EINVALID, "bogus", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, q, NULL, 10));
  wo_input_free(q);
  q = wt_int(wt_input(), "status_mask", 1 << 8);
  CHECK_FAIL(WO_EINVALID, "status_mask", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, q, NULL, 10));
  wo_input_free(q);
  q = wt_text(wt_input(), "status_mask", "open");
  CHECK_FAIL(WO_EINVALID, "status_mask", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, q, NULL, 10));
  wo_input_free(q);
  q = wt_int(wt_int(wt_input(), "created_from", f->start_ms), "created_to", f->start_ms);
  CHECK_FAIL(WO_EINVALID, "created_to", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, q, NULL, 10));
  wo_input_free(q);
  q = wt_int(wt_input(), "tenant_id", 999999);
  CHECK_FAIL(WO_ENOTFOUND, "tenant_id", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, q, NULL, 10));
  wo_input_free(q);
  /* Org A's tenant is not a filter org B may use. */
  q = wt_int(wt_input(), "tenant_id", f->tenant1);
  CHECK_FAIL(WO_ENOTFOUND, "tenant_id", wo_order_list(&it, f->env.db, f->env.b.admin, WO_VIEW_ALL, q, NULL, 10));
  wo_input_free(q);
  CHECK(it == NULL);

  /* Views an actor cannot use. */
  CHECK_FAIL(WO_EFORBIDDEN, "pool", wo_order_list(&it, f->env.db, f->c1a, WO_VIEW_POOL, NULL, NULL, 10));
  CHECK_FAIL(WO_EFORBIDDEN, "my_tasks", wo_order_list(&it, f->env.db, f->c1a, WO_VIEW_MY_TASKS, NULL, NULL, 10));
  CHECK_FAIL(WO_EFORBIDDEN, "tenant_todo", wo_order_list(&it, f->env.db, f->t1a, WO_VIEW_TENANT_TODO, NULL, NULL, 10));
  CHECK_FAIL(WO_EFORBIDDEN, "pool", wo_order_list(&it, f->env.db, f->disp_a, WO_VIEW_POOL, NULL, NULL, 10));
  CHECK_RC(WO_EFORBIDDEN, wo_order_list(&it, f->env.db, f->env.sys, WO_VIEW_ALL, NULL, NULL, 10));
  CHECK(it == NULL);

  /* NULL arguments. */
  CHECK_FAIL(WO_EINVALID, "out", wo_order_list(NULL, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, NULL, 10));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_list(&it, NULL, f->env.a.admin, WO_VIEW_ALL, NULL, NULL, 10));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_list(&it, f->env.db, NULL, WO_VIEW_ALL, NULL, NULL, 10));
  CHECK(it == NULL);
}

/* ---- 2. cursors: stop anywhere, resume exactly there --------------------------------------------- */

typedef int (*list_fn)(wo_iter**, fixture*, const char* cursor, int32_t page);

static int list_all(wo_iter** out, fixture* f, const char* cursor, int32_t page) {
  return wo_order_list(out, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, cursor, page);
}

static int records_all(wo_iter** out, fixture* f, const char* cursor, int32_t page) {
  return wo_order_records(out, f->env.db, f->env.a.admin, NULL, cursor, page);
}

/* Reads n records of a fresh list from `cursor` with `page` per page and returns the cursor
 * after them (malloc'ed); their ids go to ids[]. */
static char* take(fixture* f, list_fn list, const char* cursor, int32_t page, int n, int64_t* ids) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  char* after;
  int i;
  CHECK_OK(list(&it, f, cursor, page));
  for (i = 0; i < n; ++i) {
    CHECK_OK(wo_iter_next(&r, it));
    ids[i] = wt_get_int(r, "id");
    wo_record_free(r);
  }
  after = cursor_of(it);
  wo_iter_free(it);
  return after;
}

/* Every way of cutting the list into runs gives the uninterrupted list back. */
static void resume_everywhere(fixture* f, list_fn list, const int64_t* whole) {
  int64_t ids[ORDERS];
  int first, page;
  for (page = 1; page <= 4; ++page)
    for (first = 0; first <= ORDERS; ++first) {
      char* c1 = take(f, list, NULL, page, first, ids);
      char* c2;
      int i;
      if (first == ORDERS) {
        CHECK_STR(c1, ""); /* everything handed out: nothing is left */
      } else {
        CHECK(c1[0] != '\0' || first == 0);
      }
      /* Resume with another page size, take the rest. */
      c2 = take(f, list, c1, 5 - page, ORDERS - first, ids + first);
      CHECK_STR(c2, "");
      for (i = 0; i < ORDERS; ++i) CHECK_I64(ids[i], whole[i]);
      free(c1);
      free(c2);
    }
}

static void cursors(fixture* f) {
  const int64_t* o = f->o;
  const int64_t newest[] = {o[8], o[7], o[6], o[5], o[4], o[3], o[2], o[1], o[0]};
  const int64_t oldest[] = {o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8]};
  int64_t ids[ORDERS];
  wo_iter* it = NULL;
  wo_record* r = NULL;
  const char* c = NULL;
  char *mid, *bad, *rec_mid;
  int i;

  resume_everywhere(f, list_all, newest);
  resume_everywhere(f, records_all, oldest);

  /* Before the first record the cursor is the one the list started from. */
  mid = take(f, list_all, NULL, 2, 3, ids);
  CHECK_OK(wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, mid, 2));
  CHECK_OK(wo_iter_cursor(&c, it));
  CHECK_STR(c, mid);
  wo_iter_free(it);
  CHECK_OK(wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, "", 2));
  CHECK_OK(wo_iter_cursor(&c, it));
  CHECK_STR(c, "");
  /* "" as soon as the last record is out, and after WO_DONE too. */
  CHECK_I64(read_ids(it, ids, ORDERS), ORDERS); /* frees it */
  CHECK_OK(wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, NULL, 200));
  for (i = 0; i < ORDERS; ++i) {
    CHECK_OK(wo_iter_cursor(&c, it));
    CHECK(c[0] != '\0' || i == 0);
    CHECK_OK(wo_iter_next(&r, it));
    wo_record_free(r);
  }
  CHECK_OK(wo_iter_cursor(&c, it));
  CHECK_STR(c, "");
  CHECK_RC(WO_DONE, wo_iter_next(&r, it));
  CHECK_OK(wo_iter_cursor(&c, it));
  CHECK_STR(c, "");
  wo_iter_free(it);

  /* A cursor of one direction is refused by the other. */
  rec_mid = take(f, records_all, NULL, 2, 3, ids);
  CHECK_FAIL(WO_EINVALID, "cursor", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, rec_mid, 2));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "cursor", wo_order_records(&it, f->env.db, f->env.a.admin, NULL, mid, 2));
  CHECK(it == NULL);

  /* A damaged or hand-made cursor is refused, naming it. */
  bad = malloc(strlen(mid) + 1);
  CHECK(bad != NULL);
  strcpy(bad, mid);
  bad[10] = bad[10] == '0' ? '1' : '0';
  CHECK_FAIL(WO_EINVALID, "cursor", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, bad, 2));
  CHECK_FAIL(WO_EINVALID, "cursor", wo_order_list(&it, f->env.db, f->env.a.admin, WO_VIEW_ALL, NULL, "next page", 2));
  CHECK_FAIL(WO_EINVALID, "cursor", wo_order_records(&it, f->env.db, f->env.a.admin, NULL, "12", 2));
  CHECK(it == NULL);
  free(bad);
  free(mid);
  free(rec_mid);

  /* Iterators without cursors, and NULL arguments. */
  CHECK_OK(wo_department_list(&it, f->env.db, f->env.a.admin, NULL));
  c = "x";
  CHECK_FAIL(WO_EINVALID, "cursor", wo_iter_cursor(&c, it));
  CHECK(c == NULL);
  wo_iter_free(it);
  CHECK_OK(wo_event_feed(&it, f->env.db, f->env.a.admin, 0));
  CHECK_FAIL(WO_EINVALID, "cursor", wo_iter_cursor(&c, it));
  CHECK_FAIL(WO_EINVALID, "out", wo_iter_cursor(NULL, it));
  wo_iter_free(it);
  CHECK_FAIL(WO_EINVALID, "iter", wo_iter_cursor(&c, NULL));
}

/* ---- 3. order records ------------------------------------------------------------------------- */

static void records(fixture* f) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  wo_input* q;
  int64_t ids[ORDERS];
  CHECK_OK(wo_order_records(&it, f->env.db, f->env.a.admin, NULL, NULL, 200));
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wo_record_kind(r), "order_record");
  CHECK_I64(wt_get_int(r, "id"), f->o[0]);
  CHECK_STR(wt_get_text(r, "number"), "20231115-000001");
  CHECK_STR(wt_get_text(r, "order_type"), "Electrical");
  CHECK_STR(wt_get_text(r, "subtype"), "Lights");
  CHECK_STR(wt_get_text(r, "content"), "Lights flicker 灯闪");
  CHECK_I64(wt_get_int(r, "status"), WO_STATUS_COMPLETED);
  CHECK_STR(wt_get_text(r, "reporter"), "Zhang");
  CHECK_STR(wt_get_text(r, "responsible"), "Wang");
  CHECK_I64(wt_get_int(r, "created_at"), f->start_ms + MINUTE);
  CHECK(!wt_is_null(r, "accepted_at"));
  CHECK(!wt_is_null(r, "finished_at"));
  CHECK(!wt_is_null(r, "completed_at"));
  CHECK_I64(wt_get_int(r, "total"), 0);
  wo_record_free(r);
  CHECK_I64(wt_count(it), ORDERS - 1);

  /* A contact's records are their own orders; the query narrows them. */
  CHECK_OK(wo_order_records(&it, f->env.db, f->c2a, NULL, NULL, 10));
  {
    const int64_t c2_orders[] = {f->o[7], f->o[8]};
    check_ids(ids, read_ids(it, ids, ORDERS), c2_orders, 2);
  }
  q = wt_int(wt_input(), "status_mask", WO_STATUS_BIT(WO_STATUS_CANCELLED));
  CHECK_OK(wo_order_records(&it, f->env.db, f->env.a.admin, q, NULL, 10));
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_I64(wt_get_int(r, "id"), f->o[4]);
  CHECK(wt_is_null(r, "responsible"));
  wo_record_free(r);
  CHECK_I64(wt_count(it), 0);
  wo_input_free(q);

  it = (wo_iter*)f;
  CHECK_RC(WO_EFORBIDDEN, wo_order_records(&it, f->env.db, f->env.sys, NULL, NULL, 10));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "page_size", wo_order_records(&it, f->env.db, f->env.a.admin, NULL, NULL, 0));
  q = wt_int(wt_input(), "order_type_id", 999999);
  CHECK_FAIL(WO_ENOTFOUND, "order_type_id", wo_order_records(&it, f->env.db, f->env.a.admin, q, NULL, 10));
  wo_input_free(q);
  CHECK_FAIL(WO_EINVALID, "out", wo_order_records(NULL, f->env.db, f->env.a.admin, NULL, NULL, 10));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_records(&it, NULL, f->env.a.admin, NULL, NULL, 10));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_records(&it, f->env.db, NULL, NULL, NULL, 10));
  CHECK(it == NULL);
}

/* ---- 4. the CSV export ------------------------------------------------------------------------ */

typedef struct sink {
  char* data;
  size_t len, cap;
  int calls;
  int stop_with; /* returned from the first call when nonzero */
} sink;

static int sink_write(void* ctx, const char* data, int64_t len) {
  sink* s = ctx;
  ++s->calls;
  CHECK(len >= 0);
  if (s->stop_with) return s->stop_with;
  if (s->len + (size_t)len + 1 > s->cap) {
    while (s->len + (size_t)len + 1 > s->cap) s->cap = s->cap ? 2 * s->cap : 4096;
    s->data = realloc(s->data, s->cap);
    CHECK(s->data != NULL);
  }
  memcpy(s->data + s->len, data, (size_t)len);
  s->len += (size_t)len;
  s->data[s->len] = '\0';
  return 0;
}

static int count_of(const char* text, const char* needle) {
  int n = 0;
  const char* p = text;
  while ((p = strstr(p, needle)) != NULL) {
    ++n;
    p += strlen(needle);
  }
  return n;
}

static void export_csv(fixture* f) {
  sink s;
  wo_input* q;
  memset(&s, 0, sizeof s);
  CHECK_OK(wo_export_csv(f->env.db, f->env.a.admin, NULL, sink_write, &s));
  CHECK(s.calls >= 1);
  CHECK(s.data != NULL);
  CHECK(strncmp(s.data, "number,", 7) == 0);
  CHECK_I64(count_of(s.data, "\r\n"), ORDERS + 1); /* the header and one line per order */
  CHECK(strstr(s.data, "\r\n20231115-000001,Electrical,Lights,") != NULL);
  CHECK(strstr(s.data, "20231115-000009") != NULL);
  CHECK(strstr(s.data, "灯闪") != NULL);
  CHECK(strstr(s.data, "2023-11-15T06:14:20+08:00") != NULL); /* o[0] created, org-local */
  /* Oldest first. */
  CHECK(strstr(s.data, "20231115-000001") < strstr(s.data, "20231115-000002"));
  free(s.data);

  /* The query and the actor's sight apply. */
  memset(&s, 0, sizeof s);
  q = wt_text(wt_input(), "text", "20231115-000008");
  CHECK_OK(wo_export_csv(f->env.db, f->c2a, q, sink_write, &s));
  CHECK_I64(count_of(s.data, "\r\n"), 2);
  CHECK(strstr(s.data, "20231115-000008") != NULL);
  free(s.data);
  memset(&s, 0, sizeof s);
  CHECK_OK(wo_export_csv(f->env.db, f->c1a, q, sink_write, &s));
  CHECK_I64(count_of(s.data, "\r\n"), 1); /* the header only: not c1's order */
  free(s.data);
  wo_input_free(q);

  /* The writer stops the export: WO_EABORTED naming what it returned. */
  memset(&s, 0, sizeof s);
  s.stop_with = 7;
  CHECK_FAIL(WO_EABORTED, "returned 7", wo_export_csv(f->env.db, f->env.a.admin, NULL, sink_write, &s));
  CHECK_I64(s.calls, 1);
  CHECK(s.data == NULL);
  s.stop_with = -1;
  CHECK_FAIL(WO_EABORTED, "returned -1", wo_export_csv(f->env.db, f->env.a.admin, NULL, sink_write, &s));
  CHECK_STR(wo_strerror(WO_EABORTED), "the host's callback stopped the operation");
  /* The database is still usable after an aborted read. */
  {
    int64_t ids[ORDERS];
    CHECK_I64(view_ids(f, f->env.a.admin, WO_VIEW_ALL, NULL, ids, ORDERS), ORDERS);
  }

  memset(&s, 0, sizeof s);
  CHECK_RC(WO_EFORBIDDEN, wo_export_csv(f->env.db, f->env.sys, NULL, sink_write, &s));
  q = wt_int(wt_input(), "subtype_id", 999999);
  CHECK_FAIL(WO_ENOTFOUND, "subtype_id", wo_export_csv(f->env.db, f->env.a.admin, q, sink_write, &s));
  wo_input_free(q);
  CHECK_FAIL(WO_EINVALID, "write", wo_export_csv(f->env.db, f->env.a.admin, NULL, NULL, &s));
  CHECK_FAIL(WO_EINVALID, "db", wo_export_csv(NULL, f->env.a.admin, NULL, sink_write, &s));
  CHECK_FAIL(WO_EINVALID, "actor", wo_export_csv(f->env.db, NULL, NULL, sink_write, &s));
  CHECK_I64(s.calls, 0);
}

/* ---- 5. the dashboard ------------------------------------------------------------------------- */

static wo_record* find_row(wo_iter* it, const char* field, int64_t value) {
  wo_record* r = NULL;
  while (wo_iter_next(&r, it) == WO_OK) {
    if (wt_get_int(r, field) == value) return r;
    wo_record_free(r);
  }
  return NULL;
}

static void dashboard(fixture* f) {
  wo_dashboard* d = NULL;
  const wo_record* s = NULL;
  wo_iter *it = NULL, *days = NULL;
  wo_record* r = NULL;
  const int64_t from = f->start_ms, to = f->start_ms + 24 * HOUR;

  CHECK_OK(wo_dashboard_get(&d, f->env.db, f->env.a.admin, from, to));
  CHECK(d != NULL);
  CHECK_OK(wo_dashboard_summary(&s, d));
  CHECK_STR(wo_record_kind(s), "dashboard");
  CHECK_I64(wt_get_int(s, "from"), from);
  CHECK_I64(wt_get_int(s, "to"), to);
  CHECK_I64(wt_get_int(s, "orders"), ORDERS);
  CHECK_I64(wt_get_int(s, "status_awaiting_prepayment"), 0);
  CHECK_I64(wt_get_int(s, "status_pending_dispatch"), 4);
  CHECK_I64(wt_get_int(s, "status_pending_accept"), 1);
  CHECK_I64(wt_get_int(s, "status_in_progress"), 1);
  CHECK_I64(wt_get_int(s, "status_awaiting_payment"), 0);
  CHECK_I64(wt_get_int(s, "status_awaiting_rating"), 1);
  CHECK_I64(wt_get_int(s, "status_completed"), 1);
  CHECK_I64(wt_get_int(s, "status_cancelled"), 1);
  CHECK_I64(wt_get_int(s, "rated"), 1);
  CHECK_I64(wt_get_int(s, "rating_mean_x100"), 500);
  CHECK_I64(wt_get_int(s, "rating_1"), 0);
  CHECK_I64(wt_get_int(s, "rating_4"), 0);
  CHECK_I64(wt_get_int(s, "rating_5"), 1);
  CHECK_I64(wt_get_int(s, "submit_to_accept_count"), 3);
  CHECK_I64(wt_get_int(s, "accept_to_finish_count"), 2);
  CHECK_I64(wt_get_int(s, "accept_to_finish_mean_ms"), 30 * MINUTE);
  CHECK_I64(wt_get_int(s, "accept_to_finish_median_ms"), 30 * MINUTE);
  CHECK_I64(wt_get_int(s, "accept_to_finish_p90_ms"), 30 * MINUTE);
  CHECK_I64(wt_get_int(s, "submit_to_complete_count"), 1);
  CHECK(wt_get_int(s, "submit_to_accept_mean_ms") > 0);
  CHECK(wt_get_int(s, "submit_to_accept_median_ms") > 0);
  CHECK(wt_get_int(s, "submit_to_accept_p90_ms") >= wt_get_int(s, "submit_to_accept_median_ms"));
  CHECK(wt_get_int(s, "submit_to_complete_mean_ms") > 0);
  CHECK_I64(wt_get_int(s, "submit_to_complete_median_ms"), wt_get_int(s, "submit_to_complete_mean_ms"));
  CHECK_I64(wt_get_int(s, "submit_to_complete_p90_ms"), wt_get_int(s, "submit_to_complete_mean_ms"));
  CHECK(wt_get_int(s, "completion_rate_bp") > 0);
  CHECK_I64(wt_get_int(s, "reopen_rate_bp"), 0);
  CHECK_I64(wt_get_int(s, "billed"), 0); /* free repairs */
  CHECK_I64(wt_get_int(s, "collected"), 0);
  CHECK_I64(wt_get_int(s, "refunded"), 0);
  CHECK_I64(wt_get_int(s, "org_borne"), 0);
  /* No service-level targets: nothing to attain. */
  CHECK_I64(wt_get_int(s, "response_met"), 0);
  CHECK_I64(wt_get_int(s, "resolution_open"), 0);
  /* 3 + 8 statuses + 2 rates + 2 rating + 5 scores + 12 durations + 4 money + 6 attainment. */
  CHECK_I64(wo_record_field_count(s), 42);

  /* Tables. */
  CHECK_OK(wo_dashboard_rows(&it, d, WO_DASHBOARD_TYPES));
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wo_record_kind(r), "dashboard_type");
  CHECK_I64(wt_get_int(r, "id"), f->order_type);
  CHECK_I64(wt_get_int(r, "orders"), ORDERS);
  wo_record_free(r);
  CHECK_I64(wt_count(it), 0);
  CHECK_OK(wo_dashboard_rows(&it, d, WO_DASHBOARD_SUBTYPES));
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wo_record_kind(r), "dashboard_subtype");
  CHECK_I64(wt_get_int(r, "id"), f->sub);
  CHECK_I64(wt_get_int(r, "orders"), ORDERS);
  wo_record_free(r);
  CHECK_I64(wt_count(it), 0);
  CHECK_OK(wo_dashboard_rows(&it, d, WO_DASHBOARD_STAFF));
  r = find_row(it, "staff_id", f->t1);
  CHECK(r != NULL);
  CHECK_STR(wo_record_kind(r), "dashboard_staff");
  CHECK_I64(wt_get_int(r, "finished"), 2);
  CHECK_I64(wt_get_int(r, "handling_mean_ms"), 30 * MINUTE);
  CHECK_I64(wt_get_int(r, "rated"), 1);
  CHECK_I64(wt_get_int(r, "rating_mean_x100"), 500);
  CHECK_I64(wt_get_int(r, "held_now"), 1);
  wo_record_free(r);
  wo_iter_free(it);
  CHECK_OK(wo_dashboard_rows(&it, d, WO_DASHBOARD_STAFF));
  r = find_row(it, "staff_id", f->t2);
  CHECK(r != NULL);
  CHECK_I64(wt_get_int(r, "finished"), 0);
  CHECK_I64(wt_get_int(r, "held_now"), 1);
  wo_record_free(r);
  wo_iter_free(it);
  /* The rows outlive the dashboard. */
  CHECK_OK(wo_dashboard_rows(&days, d, WO_DASHBOARD_DAYS));
  wo_dashboard_free(d);
  CHECK_OK(wo_iter_next(&r, days));
  CHECK_STR(wo_record_kind(r), "dashboard_day");
  CHECK_STR(wt_get_text(r, "date"), "2023-11-15");
  CHECK_I64(wt_get_int(r, "created"), ORDERS);
  CHECK_I64(wt_get_int(r, "completed"), 1);
  wo_record_free(r);
  CHECK_OK(wo_iter_next(&r, days)); /* 2023-11-16, local: the range is 24 h from 06:13 */
  CHECK_STR(wt_get_text(r, "date"), "2023-11-16");
  CHECK_I64(wt_get_int(r, "created"), 0);
  wo_record_free(r);
  CHECK_I64(wt_count(days), 0);
  /* Dashboard rows have no cursor. */
  CHECK_OK(wo_dashboard_get(&d, f->env.db, f->disp_a, from, to)); /* dispatchers may read it too */
  CHECK_OK(wo_dashboard_rows(&it, d, WO_DASHBOARD_DAYS));
  {
    const char* c = NULL;
    CHECK_FAIL(WO_EINVALID, "cursor", wo_iter_cursor(&c, it));
  }
  wo_iter_free(it);

  /* Bad input. */
  it = (wo_iter*)f;
  CHECK_FAIL(WO_EINVALID, "table", wo_dashboard_rows(&it, d, 4));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "table", wo_dashboard_rows(&it, d, -1));
  CHECK_FAIL(WO_EINVALID, "out", wo_dashboard_rows(NULL, d, WO_DASHBOARD_DAYS));
  CHECK_FAIL(WO_EINVALID, "dashboard", wo_dashboard_rows(&it, NULL, WO_DASHBOARD_DAYS));
  s = (const wo_record*)f;
  CHECK_FAIL(WO_EINVALID, "dashboard", wo_dashboard_summary(&s, NULL));
  CHECK(s == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_dashboard_summary(NULL, d));
  wo_dashboard_free(d);
  wo_dashboard_free(NULL);

  d = (wo_dashboard*)f;
  CHECK_RC(WO_EFORBIDDEN, wo_dashboard_get(&d, f->env.db, f->t1a, from, to));
  CHECK(d == NULL);
  CHECK_RC(WO_EFORBIDDEN, wo_dashboard_get(&d, f->env.db, f->c1a, from, to));
  CHECK_FAIL(WO_EINVALID, "to", wo_dashboard_get(&d, f->env.db, f->env.a.admin, to, from));
  CHECK_FAIL(WO_EINVALID, "to", wo_dashboard_get(&d, f->env.db, f->env.a.admin, from, from));
  CHECK_FAIL(WO_EINVALID, "out", wo_dashboard_get(NULL, f->env.db, f->env.a.admin, from, to));
  CHECK_FAIL(WO_EINVALID, "db", wo_dashboard_get(&d, NULL, f->env.a.admin, from, to));
  CHECK_FAIL(WO_EINVALID, "actor", wo_dashboard_get(&d, f->env.db, NULL, from, to));
  CHECK(d == NULL);

  /* Org B's dashboard is its own: empty. */
  CHECK_OK(wo_dashboard_get(&d, f->env.db, f->env.b.admin, from, to));
  CHECK_OK(wo_dashboard_summary(&s, d));
  CHECK_I64(wt_get_int(s, "orders"), 0);
  CHECK_I64(wt_get_int(s, "rating_mean_x100"), 0);
  wo_dashboard_free(d);
}

/* ---- 6. messages and the event feed ------------------------------------------------------------- */

static void messages(fixture* f) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int i;
  CHECK_OK(wo_order_messages(&it, f->env.db, f->c1a, f->o[2]));
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wo_record_kind(r), "event");
  CHECK_I64(wt_get_int(r, "action"), WO_ACTION_MESSAGE);
  CHECK_I64(wt_get_int(r, "actor_kind"), WO_ACTOR_CONTACT);
  CHECK_STR(wt_get_text(r, "details"), "Is anyone coming?");
  /* The reporter's message concerns the assignee. */
  CHECK_I64(wt_get_int(r, "concerns"), WO_AUDIENCE_STAFF);
  CHECK_I64(wt_get_int(r, "concerns_id"), f->t1);
  wo_record_free(r);
  CHECK_OK(wo_iter_next(&r, it));
  CHECK_STR(wt_get_text(r, "details"), "Tomorrow at 9 明早九点");
  CHECK_I64(wt_get_int(r, "concerns"), WO_AUDIENCE_CONTACT);
  CHECK_I64(wt_get_int(r, "concerns_id"), f->c1);
  wo_record_free(r);
  CHECK_I64(wt_count(it), 0);
  CHECK_OK(wo_order_messages(&it, f->env.db, f->t1a, f->o[2]));
  CHECK_I64(wt_count(it), 2);
  CHECK_OK(wo_order_messages(&it, f->env.db, f->env.a.admin, f->o[0]));
  CHECK_I64(wt_count(it), 0);

  /* More than a page of messages. */
  for (i = 0; i < EXTRA_MESSAGES; ++i) {
    char text[32];
    sprintf(text, "note %d", i);
    CHECK_OK(wo_order_message(f->env.db, f->c1a, f->o[5], text));
  }
  CHECK_OK(wo_order_messages(&it, f->env.db, f->env.a.admin, f->o[5]));
  CHECK_I64(wt_count(it), EXTRA_MESSAGES);

  it = (wo_iter*)f;
  CHECK_RC(WO_ENOTFOUND, wo_order_messages(&it, f->env.db, f->c2a, f->o[2])); /* not c2's order */
  CHECK(it == NULL);
  CHECK_RC(WO_ENOTFOUND, wo_order_messages(&it, f->env.db, f->env.b.admin, f->o[2]));
  CHECK_RC(WO_ENOTFOUND, wo_order_messages(&it, f->env.db, f->env.a.admin, 999999));
  CHECK_FAIL(WO_EINVALID, "out", wo_order_messages(NULL, f->env.db, f->env.a.admin, f->o[2]));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_messages(&it, NULL, f->env.a.admin, f->o[2]));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_messages(&it, f->env.db, NULL, f->o[2]));
  CHECK(it == NULL);
}

/* Every event of the org, read from the orders' timelines (the reference for the feed). */
typedef struct event_ref {
  int64_t id, concerns, concerns_id;
} event_ref;

static int org_events(fixture* f, event_ref* out, int max) {
  int n = 0, i, j;
  for (i = 0; i < ORDERS; ++i) {
    wo_iter* it = NULL;
    wo_record* r = NULL;
    CHECK_OK(wo_order_timeline(&it, f->env.db, f->env.a.admin, f->o[i], 0));
    while (wo_iter_next(&r, it) == WO_OK) {
      CHECK(n < max);
      out[n].id = wt_get_int(r, "id");
      out[n].concerns = wt_get_int(r, "concerns");
      out[n].concerns_id = wt_is_null(r, "concerns_id") ? 0 : wt_get_int(r, "concerns_id");
      ++n;
      wo_record_free(r);
    }
    wo_iter_free(it);
  }
  /* Ascending ids (insertion sort: the lists are short). */
  for (i = 1; i < n; ++i)
    for (j = i; j > 0 && out[j - 1].id > out[j].id; --j) {
      event_ref t = out[j];
      out[j] = out[j - 1];
      out[j - 1] = t;
    }
  return n;
}

/* The feed of `actor` after `after` must be exactly the events of refs[] that `wanted`
 * accepts, in order. */
static void check_feed(fixture* f, const wo_actor* actor, int64_t after, const event_ref* refs, int n,
                       int64_t audience, int64_t who) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int i = 0, rc;
  CHECK_OK(wo_event_feed(&it, f->env.db, actor, after));
  for (;;) {
    while (i < n && (refs[i].id <= after || (audience >= 0 && (refs[i].concerns != audience || refs[i].concerns_id != who))))
      ++i;
    rc = wo_iter_next(&r, it);
    if (i == n) break;
    CHECK_OK(rc);
    CHECK_STR(wo_record_kind(r), "event");
    CHECK_I64(wt_get_int(r, "id"), refs[i].id);
    CHECK_I64(wt_get_int(r, "concerns"), refs[i].concerns);
    wo_record_free(r);
    ++i;
  }
  CHECK_RC(WO_DONE, rc);
  CHECK(r == NULL);
  wo_iter_free(it);
}

static void event_feed(fixture* f) {
  enum { MAX_EVENTS = 400 };
  static event_ref refs[MAX_EVENTS];
  const int n = org_events(f, refs, MAX_EVENTS);
  int64_t total = 0;
  wo_iter* it = NULL;
  CHECK(n > 200 + 20); /* the feed spans pages */

  check_feed(f, f->env.a.admin, 0, refs, n, -1, 0);
  check_feed(f, f->disp_a, 0, refs, n, -1, 0);
  check_feed(f, f->env.a.admin, refs[10].id, refs, n, -1, 0); /* resume after the 11th */
  check_feed(f, f->env.a.admin, refs[n - 1].id, refs, n, -1, 0);
  check_feed(f, f->c1a, 0, refs, n, WO_AUDIENCE_CONTACT, f->c1);
  check_feed(f, f->c2a, 0, refs, n, WO_AUDIENCE_CONTACT, f->c2);
  check_feed(f, f->t1a, 0, refs, n, WO_AUDIENCE_STAFF, f->t1);
  check_feed(f, f->t2a, 0, refs, n, WO_AUDIENCE_STAFF, f->t2);

  /* The story's notable events reach the right people. */
  {
    int i, assign_to_t1 = 0, reply_to_c1 = 0;
    for (i = 0; i < n; ++i) {
      if (refs[i].concerns == WO_AUDIENCE_STAFF && refs[i].concerns_id == f->t1) ++assign_to_t1;
      if (refs[i].concerns == WO_AUDIENCE_CONTACT && refs[i].concerns_id == f->c1) ++reply_to_c1;
    }
    CHECK(assign_to_t1 >= 3); /* three assignments, one message */
    CHECK(reply_to_c1 >= 1);
  }

  /* The system actor reads every org's events; org B has none. */
  CHECK_OK(wo_event_feed(&it, f->env.db, f->env.sys, 0));
  total = wt_count(it);
  CHECK_I64(total, n);
  CHECK_OK(wo_event_feed(&it, f->env.db, f->env.b.admin, 0));
  CHECK_I64(wt_count(it), 0);

  it = (wo_iter*)f;
  CHECK_FAIL(WO_EINVALID, "after", wo_event_feed(&it, f->env.db, f->env.a.admin, -1));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_event_feed(NULL, f->env.db, f->env.a.admin, 0));
  CHECK_FAIL(WO_EINVALID, "db", wo_event_feed(&it, NULL, f->env.a.admin, 0));
  CHECK_FAIL(WO_EINVALID, "actor", wo_event_feed(&it, f->env.db, NULL, 0));
  CHECK(it == NULL);
}

int main(void) {
  fixture f;
  memset(&f, 0, sizeof f);
  setup(&f);
  views(&f);
  cursors(&f);
  records(&f);
  export_csv(&f);
  dashboard(&f);
  messages(&f);
  event_feed(&f);
  teardown(&f);
  printf("capi_views_test: ok\n");
  return 0;
}
