/* SPDX-License-Identifier: MIT */
/* capi_slots_test.c — appointment slots through the C ABI: a schedule set, read back
 * (normalised), replaced field by field and cleared; availability over a week (weekdays,
 * windows, lead time, horizon, capacity, booked counts) and across both DST changes of
 * Europe/Berlin (the missing hour skipped, the repeated hour once at its first occurrence);
 * booking through wo_order_submit with every slot error code; rescheduling (atomic: a full
 * target changes nothing); cancel releasing the slot; and bad schedules, dates, ranges and
 * actors failing with the field named and nothing changed. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

#define MIN_MS 60000LL
#define HOUR (60 * MIN_MS)
#define DAY_MS (24 * HOUR)
/* Monday 2024-06-03 00:00 in Asia/Shanghai (org A). */
#define MON0 1717344000000LL

static int64_t now_ms = MON0 + 7 * HOUR; /* Monday 07:00 local */
static int64_t test_clock(void* ctx) { return *(const int64_t*)ctx; }

typedef struct slot_info {
  int64_t start, end, capacity, booked, available;
  char local[40];
} slot_info;

/* Reads the availability into out (at most max), returns the count. */
static int64_t availability(wt_env* e, const wo_actor* actor, int64_t subtype, const char* from, const char* to,
                            slot_info* out, int max) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int64_t n = 0, prev = INT64_MIN;
  int rc;
  CHECK_OK(wo_slot_availability(&it, e->db, actor, subtype, from, to));
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    CHECK_STR(wo_record_kind(r), "slot");
    CHECK(wt_get_int(r, "start") > prev);
    prev = wt_get_int(r, "start");
    if (n < max) {
      out[n].start = wt_get_int(r, "start");
      out[n].end = wt_get_int(r, "end");
      out[n].capacity = wt_get_int(r, "capacity");
      out[n].booked = wt_get_int(r, "booked");
      out[n].available = wt_get_int(r, "available");
      snprintf(out[n].local, sizeof out[n].local, "%s", wt_get_text(r, "local_start"));
    }
    ++n;
    wo_record_free(r);
  }
  CHECK_RC(WO_DONE, rc);
  wo_iter_free(it);
  return n;
}

static const slot_info* find_slot(const slot_info* slots, int64_t n, int64_t start) {
  int64_t i;
  for (i = 0; i < n; ++i)
    if (slots[i].start == start) return &slots[i];
  fprintf(stderr, "no slot starting at %ld\n", (long)start);
  CHECK(0);
  return NULL;
}

static int64_t booked_at(wt_env* e, int64_t subtype, int64_t start) {
  slot_info slots[64];
  int64_t n = availability(e, e->a.admin, subtype, "2024-06-03", "2024-06-09", slots, 64);
  return find_slot(slots, n, start)->booked;
}

static char* schedule_snapshot(wt_env* e, const wo_actor* actor, int64_t subtype) {
  wo_record* r = NULL;
  char* s;
  CHECK_OK(wo_schedule_get(&r, e->db, actor, subtype));
  s = wt_snapshot(r);
  wo_record_free(r);
  return s;
}

/* A department, position, order type and free subtype of the admin's org; returns the subtype. */
static int64_t make_subtype(wt_env* e, const wo_actor* admin) {
  static int made = 0;
  char name[32];
  int64_t d = 0, p = 0, t = 0, s = 0;
  wo_input* in;
  snprintf(name, sizeof name, "Slots %d", ++made);
  in = wt_text(wt_input(), "name", name);
  CHECK_OK(wo_department_create(&d, e->db, admin, in));
  CHECK_OK(wo_position_create(&p, e->db, admin, in));
  wo_input_free(in);
  in = wt_int(wt_int(wt_text(wt_input(), "name", name), "department_id", d), "position_id", p);
  CHECK_OK(wo_order_type_create(&t, e->db, admin, in));
  wo_input_free(in);
  in = wt_int(wt_text(wt_int(wt_input(), "order_type_id", t), "name", "Visit"), "charge_mode", WO_CHARGE_FREE);
  CHECK_OK(wo_subtype_create(&s, e->db, admin, in));
  wo_input_free(in);
  return s;
}

static wo_input* schedule(const char* days, const char* windows, int64_t minutes, int64_t capacity, int64_t horizon) {
  wo_input* in = wt_text(wt_text(wt_input(), "days", days), "windows", windows);
  return wt_int(wt_int(wt_int(in, "slot_minutes", minutes), "capacity", capacity), "horizon_days", horizon);
}

static wo_input* booking(int64_t subtype, int64_t slot) {
  wo_input* in = wt_int(wt_int(wt_input(), "subtype_id", subtype), "source_channel", WO_SOURCE_TENANT_APP);
  wt_text(wt_text(in, "description", "Install a lamp"), "address", "Room 101");
  if (slot) wt_int(in, "slot_start", slot);
  return in;
}

static int64_t submit_at(wt_env* e, const wo_actor* actor, int64_t subtype, int64_t slot, int code,
                         const char* needle) {
  int64_t id = 0;
  wo_input* in = booking(subtype, slot);
  CHECK_FAIL(code, needle, wo_order_submit(&id, e->db, actor, in));
  wo_input_free(in);
  CHECK(code == WO_OK ? id > 0 : id == 0);
  return id;
}

static int64_t order_slot(wt_env* e, int64_t order) {
  wo_record* r = NULL;
  int64_t v;
  CHECK_OK(wo_order_get(&r, e->db, e->a.admin, order));
  v = wt_get_int(r, "slot_start");
  wo_record_free(r);
  return v;
}

static void test_schedule_crud(wt_env* e, int64_t sub, const wo_actor* contact, const wo_actor* tech) {
  wo_record* r = NULL;
  wo_input* in;
  char* before;
  char* after;
  int64_t b_sub = make_subtype(e, e->b.admin);

  /* Not there yet. */
  CHECK_FAIL(WO_ENOTFOUND, "schedule", wo_schedule_get(&r, e->db, e->a.admin, sub));
  CHECK(r == NULL);
  /* Create: every field but lead_minutes is required. */
  in = wt_text(wt_input(), "days", "mon");
  CHECK_FAIL(WO_EINVALID, "required", wo_schedule_set(e->db, e->a.admin, sub, in));
  wo_input_free(in);
  in = schedule("fri, mon,tue,wed,thu", "13:30-18:00,08:00-12:00", 60, 2, 3);
  wt_int(in, "lead_minutes", 120);
  CHECK_FAIL(WO_EFORBIDDEN, "admin", wo_schedule_set(e->db, tech, sub, in));
  CHECK_FAIL(WO_ENOTFOUND, "subtype_id", wo_schedule_set(e->db, e->b.admin, sub, in));
  CHECK_OK(wo_schedule_set(e->db, e->a.admin, sub, in));
  wo_input_free(in);

  /* Read back, normalised; staff and contacts may read. */
  CHECK_OK(wo_schedule_get(&r, e->db, contact, sub));
  CHECK_STR(wo_record_kind(r), "slot_schedule");
  CHECK_I64(wt_get_int(r, "id"), sub);
  CHECK_I64(wt_get_int(r, "org_id"), e->a.org_id);
  CHECK_STR(wt_get_text(r, "days"), "mon,tue,wed,thu,fri");
  CHECK_STR(wt_get_text(r, "windows"), "08:00-12:00,13:30-18:00");
  CHECK_I64(wt_get_int(r, "slot_minutes"), 60);
  CHECK_I64(wt_get_int(r, "capacity"), 2);
  CHECK_I64(wt_get_int(r, "horizon_days"), 3);
  CHECK_I64(wt_get_int(r, "lead_minutes"), 120);
  wo_record_free(r);
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_schedule_get(&r, e->db, e->sys, sub));
  CHECK_FAIL(WO_ENOTFOUND, "subtype_id", wo_schedule_get(&r, e->db, e->b.admin, sub));
  CHECK_FAIL(WO_ENOTFOUND, "schedule", wo_schedule_get(&r, e->db, e->b.admin, b_sub));
  CHECK_FAIL(WO_EINVALID, "out", wo_schedule_get(NULL, e->db, e->a.admin, sub));
  CHECK_FAIL(WO_EINVALID, "db", wo_schedule_get(&r, NULL, e->a.admin, sub));
  CHECK_FAIL(WO_EINVALID, "actor", wo_schedule_get(&r, e->db, NULL, sub));

  /* Bad replacements change nothing. */
  before = schedule_snapshot(e, e->a.admin, sub);
#define BAD_SCHEDULE(needle, input)                                             \
  do {                                                                          \
    wo_input* in_ = (input);                                                    \
    CHECK_FAIL(WO_EINVALID, (needle), wo_schedule_set(e->db, e->a.admin, sub, in_)); \
    wo_input_free(in_);                                                         \
  } while (0)
  BAD_SCHEDULE("days", wt_text(wt_input(), "days", "mon,funday"));
  BAD_SCHEDULE("days", wt_int(wt_input(), "days", 1));
  BAD_SCHEDULE("windows", wt_text(wt_input(), "windows", "12:00-08:00"));
  BAD_SCHEDULE("windows", wt_text(wt_input(), "windows", "8-12"));
  BAD_SCHEDULE("windows", wt_text(wt_input(), "windows", "08:00-25:00"));
  BAD_SCHEDULE("overlap", wt_text(wt_input(), "windows", "08:00-12:00,11:00-13:00"));
  BAD_SCHEDULE("windows", wt_text(wt_input(), "windows", "08:00-08:30"));
  BAD_SCHEDULE("capacity", wt_int(wt_input(), "capacity", 0));
  BAD_SCHEDULE("slot_minutes", wt_int(wt_input(), "slot_minutes", 0));
  BAD_SCHEDULE("horizon_days", wt_int(wt_input(), "horizon_days", 0));
  BAD_SCHEDULE("lead_minutes", wt_int(wt_input(), "lead_minutes", -1));
  BAD_SCHEDULE("capacity", wt_int(wt_input(), "capacity", 4294967296LL));
  BAD_SCHEDULE("colour", wt_int(wt_input(), "colour", 1));
  BAD_SCHEDULE("id", wt_int(wt_input(), "id", sub));
#undef BAD_SCHEDULE
  CHECK_FAIL(WO_EINVALID, "fields", wo_schedule_set(e->db, e->a.admin, sub, NULL));
  in = wt_int(wt_input(), "capacity", 5);
  CHECK_FAIL(WO_EINVALID, "db", wo_schedule_set(NULL, e->a.admin, sub, in));
  CHECK_FAIL(WO_EINVALID, "actor", wo_schedule_set(e->db, NULL, sub, in));
  CHECK_FAIL(WO_EFORBIDDEN, "contact", wo_schedule_set(e->db, contact, sub, in));
  wo_input_free(in);
  after = schedule_snapshot(e, e->a.admin, sub);
  CHECK_STR(after, before);
  free(before);
  free(after);
}

static void test_availability(wt_env* e, int64_t sub, const wo_actor* contact) {
  slot_info s[64];
  int64_t n, i;
  wo_iter* it = (wo_iter*)e;

  n = availability(e, contact, sub, "2024-06-03", "2024-06-09", s, 64);
  CHECK_I64(n, 40); /* 5 weekdays x (4 morning + 4 afternoon slots); 17:30-18:30 does not fit */
  CHECK_I64(s[0].start, MON0 + 8 * HOUR);
  CHECK_I64(s[0].end, MON0 + 9 * HOUR);
  CHECK_STR(s[0].local, "2024-06-03T08:00+08:00");
  CHECK_I64(s[0].capacity, 2);
  CHECK_I64(s[0].booked, 0);
  CHECK_I64(s[0].available, 0); /* before now + 120 min lead */
  CHECK_I64(s[1].available, 1); /* 09:00 */
  CHECK_STR(s[4].local, "2024-06-03T13:30+08:00");
  CHECK_I64(s[7].start, MON0 + 16 * HOUR + 30 * MIN_MS);
  for (i = 8; i < 24; ++i) CHECK_I64(s[i].available, 1);  /* Tuesday and Wednesday */
  for (i = 24; i < 40; ++i) CHECK_I64(s[i].available, 0); /* Thursday and Friday: beyond the 3-day horizon */
  CHECK_STR(s[39].local, "2024-06-07T16:30+08:00");

  /* One day; a weekend without slots; bad dates and ranges. */
  CHECK_I64(availability(e, e->a.admin, sub, "2024-06-04", "2024-06-04", s, 64), 8);
  CHECK_I64(availability(e, e->a.admin, sub, "2024-06-08", "2024-06-09", s, 64), 0);
  CHECK_I64(availability(e, e->a.admin, sub, "2024-06-03", "2024-08-03", s, 0), 8 * 45); /* 62 days */
  CHECK_FAIL(WO_EINVALID, "from_date", wo_slot_availability(&it, e->db, e->a.admin, sub, "2024-6-3", "2024-06-09"));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "to_date", wo_slot_availability(&it, e->db, e->a.admin, sub, "2024-06-03", "2024-02-30"));
  CHECK_FAIL(WO_EINVALID, "to_date", wo_slot_availability(&it, e->db, e->a.admin, sub, "2024-06-03", "2024-06-09x"));
  CHECK_FAIL(WO_EINVALID, "from_date", wo_slot_availability(&it, e->db, e->a.admin, sub, NULL, "2024-06-09"));
  CHECK_FAIL(WO_EINVALID, "to_date", wo_slot_availability(&it, e->db, e->a.admin, sub, "2024-06-03", NULL));
  CHECK_FAIL(WO_EINVALID, "before", wo_slot_availability(&it, e->db, e->a.admin, sub, "2024-06-09", "2024-06-03"));
  CHECK_FAIL(WO_EINVALID, "62", wo_slot_availability(&it, e->db, e->a.admin, sub, "2024-06-03", "2024-08-04"));
  CHECK_FAIL(WO_ENOTFOUND, "subtype_id", wo_slot_availability(&it, e->db, e->b.admin, sub, "2024-06-03", "2024-06-09"));
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_slot_availability(&it, e->db, e->sys, sub, "2024-06-03", "2024-06-09"));
  CHECK_FAIL(WO_EINVALID, "out", wo_slot_availability(NULL, e->db, e->a.admin, sub, "2024-06-03", "2024-06-09"));
  CHECK_FAIL(WO_EINVALID, "db", wo_slot_availability(&it, NULL, e->a.admin, sub, "2024-06-03", "2024-06-09"));
  CHECK_FAIL(WO_EINVALID, "actor", wo_slot_availability(&it, e->db, NULL, sub, "2024-06-03", "2024-06-09"));
  CHECK(it == NULL);
}

static void test_booking(wt_env* e, int64_t sub, const wo_actor* contact, const wo_actor* tech) {
  const int64_t tue9 = MON0 + DAY_MS + 9 * HOUR, tue10 = tue9 + HOUR, wed9 = tue9 + DAY_MS;
  int64_t o1, o2, o3;
  wo_input* in;
  char* before;
  char* after;

  /* Every way a slot can be wrong. */
  submit_at(e, contact, sub, 0, WO_EINVALID, "slot_start");
  submit_at(e, contact, sub, tue9 + 30 * MIN_MS, WO_ESLOTUNAVAILABLE, "2024-06-04T09:30+08:00");
  submit_at(e, contact, sub, MON0 + DAY_MS + 7 * HOUR, WO_ESLOTUNAVAILABLE, "slot_start"); /* before the window */
  submit_at(e, contact, sub, MON0 + 12 * HOUR, WO_ESLOTUNAVAILABLE, "slot_start");               /* lunch */
  submit_at(e, contact, sub, MON0 + 8 * HOUR, WO_ESLOTTOOEARLY, "lead");
  submit_at(e, contact, sub, MON0 + 3 * DAY_MS + 9 * HOUR, WO_ESLOTHORIZON, "horizon"); /* Thursday */
  submit_at(e, contact, sub, MON0 + 400 * DAY_MS, WO_ESLOTHORIZON, "horizon");            /* far off */
  submit_at(e, contact, sub, MON0 - 400 * DAY_MS, WO_ESLOTTOOEARLY, "past");
  CHECK_I64(booked_at(e, sub, tue9), 0);

  /* Two bookings fill a slot of capacity 2. */
  o1 = submit_at(e, contact, sub, tue9, WO_OK, NULL);
  o2 = submit_at(e, e->a.admin, sub, tue9, WO_OK, NULL);
  submit_at(e, contact, sub, tue9, WO_ESLOTFULL, "2024-06-04T09:00+08:00");
  CHECK_I64(booked_at(e, sub, tue9), 2);
  CHECK_I64(order_slot(e, o1), tue9);
  {
    slot_info s[64];
    int64_t n = availability(e, contact, sub, "2024-06-04", "2024-06-04", s, 64);
    CHECK_I64(n, 8);
    CHECK_I64(find_slot(s, n, tue9)->available, 0);
    CHECK_I64(find_slot(s, n, tue10)->available, 1);
  }

  /* Reschedule: the old slot is released and the new one booked. */
  CHECK_OK(wo_order_reschedule(e->db, contact, o1, tue10));
  CHECK_I64(order_slot(e, o1), tue10);
  CHECK_I64(booked_at(e, sub, tue9), 1);
  CHECK_I64(booked_at(e, sub, tue10), 1);
  o3 = submit_at(e, contact, sub, tue9, WO_OK, NULL);
  CHECK_I64(booked_at(e, sub, tue9), 2);

  /* A failed reschedule changes nothing. */
  CHECK_FAIL(WO_ESLOTFULL, "full", wo_order_reschedule(e->db, contact, o1, tue9));
  CHECK_FAIL(WO_EINVALID, "slot_start", wo_order_reschedule(e->db, contact, o1, tue10));
  CHECK_FAIL(WO_ESLOTUNAVAILABLE, "slot_start", wo_order_reschedule(e->db, contact, o1, tue10 + MIN_MS));
  CHECK_FAIL(WO_ESLOTHORIZON, "horizon", wo_order_reschedule(e->db, e->a.admin, o1, MON0 + 4 * DAY_MS + 9 * HOUR));
  CHECK_FAIL(WO_ENOTFOUND, "order", wo_order_reschedule(e->db, e->b.admin, o1, wed9));
  CHECK_FAIL(WO_EINVALID, "db", wo_order_reschedule(NULL, contact, o1, wed9));
  CHECK_FAIL(WO_EINVALID, "actor", wo_order_reschedule(e->db, NULL, o1, wed9));
  CHECK_I64(order_slot(e, o1), tue10);
  CHECK_I64(booked_at(e, sub, tue9), 2);
  CHECK_I64(booked_at(e, sub, tue10), 1);
  CHECK_I64(booked_at(e, sub, wed9), 0);

  /* Once work has started the slot stays. */
  CHECK_OK(wo_order_grab(e->db, tech, o2));
  CHECK_FAIL(WO_ESTATE, "reschedule", wo_order_reschedule(e->db, e->a.admin, o2, wed9));
  CHECK_I64(order_slot(e, o2), tue9);

  /* Cancelling releases the slot. */
  CHECK_OK(wo_order_cancel(e->db, contact, o3, "Changed my mind"));
  CHECK_I64(booked_at(e, sub, tue9), 1);

  /* Lowering the capacity below the bookings makes the slot full, bookings kept. */
  in = wt_int(wt_input(), "capacity", 1);
  CHECK_OK(wo_schedule_set(e->db, e->a.admin, sub, in));
  wo_input_free(in);
  {
    slot_info s[64];
    int64_t n = availability(e, contact, sub, "2024-06-04", "2024-06-04", s, 64);
    CHECK_I64(find_slot(s, n, tue9)->booked, 1);
    CHECK_I64(find_slot(s, n, tue9)->capacity, 1);
    CHECK_I64(find_slot(s, n, tue9)->available, 0);
  }
  submit_at(e, contact, sub, tue9, WO_ESLOTFULL, "capacity");
  {
    wo_record* r = NULL;
    CHECK_OK(wo_schedule_get(&r, e->db, e->a.admin, sub));
    CHECK_STR(wt_get_text(r, "windows"), "08:00-12:00,13:30-18:00"); /* the rest kept */
    CHECK_I64(wt_get_int(r, "lead_minutes"), 120);
    wo_record_free(r);
  }

  /* Clearing: booked orders keep their slots; new orders take none. */
  before = schedule_snapshot(e, e->a.admin, sub);
  CHECK_FAIL(WO_EFORBIDDEN, "admin", wo_schedule_clear(e->db, tech, sub));
  CHECK_FAIL(WO_ENOTFOUND, "subtype_id", wo_schedule_clear(e->db, e->b.admin, sub));
  CHECK_FAIL(WO_EINVALID, "db", wo_schedule_clear(NULL, e->a.admin, sub));
  CHECK_FAIL(WO_EINVALID, "actor", wo_schedule_clear(e->db, NULL, sub));
  after = schedule_snapshot(e, e->a.admin, sub);
  CHECK_STR(after, before);
  free(before);
  free(after);
  CHECK_OK(wo_schedule_clear(e->db, e->a.admin, sub));
  CHECK_FAIL(WO_ENOTFOUND, "schedule", wo_schedule_clear(e->db, e->a.admin, sub));
  CHECK_FAIL(WO_ENOTFOUND, "schedule", wo_schedule_get(&(wo_record*){NULL}, e->db, e->a.admin, sub));
  CHECK_FAIL(WO_ENOTFOUND, "schedule",
             wo_slot_availability(&(wo_iter*){NULL}, e->db, e->a.admin, sub, "2024-06-03", "2024-06-09"));
  CHECK_I64(order_slot(e, o1), tue10);
  submit_at(e, contact, sub, tue9, WO_EINVALID, "slot_start");
  submit_at(e, contact, sub, 0, WO_OK, NULL);
}

/* Europe/Berlin: 2024-03-31 02:00-03:00 does not exist; 2024-10-27 02:00-03:00 happens twice. */
static void test_dst(wt_env* e) {
  int64_t sub = make_subtype(e, e->b.admin);
  wo_input* in = schedule("sun", "01:00-04:00", 60, 1, 7);
  slot_info s[8];
  int64_t n, order = 0;
  CHECK_OK(wo_schedule_set(e->db, e->b.admin, sub, in));
  wo_input_free(in);

  now_ms = 1711756800000LL; /* 2024-03-30 00:00 UTC */
  n = availability(e, e->b.admin, sub, "2024-03-31", "2024-03-31", s, 8);
  CHECK_I64(n, 2);
  CHECK_STR(s[0].local, "2024-03-31T01:00+01:00");
  CHECK_I64(s[0].start, 1711843200000LL);
  CHECK_STR(s[1].local, "2024-03-31T03:00+02:00");
  CHECK_I64(s[1].start, 1711846800000LL);
  CHECK_I64(s[1].start - s[0].start, HOUR); /* an hour apart in real time */

  now_ms = 1729900800000LL; /* 2024-10-26 00:00 UTC */
  n = availability(e, e->b.admin, sub, "2024-10-27", "2024-10-27", s, 8);
  CHECK_I64(n, 3);
  CHECK_STR(s[0].local, "2024-10-27T01:00+02:00");
  CHECK_STR(s[1].local, "2024-10-27T02:00+02:00"); /* the first 02:00 */
  CHECK_I64(s[1].start, 1729987200000LL);
  CHECK_STR(s[2].local, "2024-10-27T03:00+01:00");
  CHECK_I64(s[2].start, 1729994400000LL);

  /* The second 02:00 is not a slot; the first is. */
  in = booking(sub, 1729990800000LL);
  CHECK_FAIL(WO_ESLOTUNAVAILABLE, "2024-10-27T02:00+01:00", wo_order_submit(&order, e->db, e->b.admin, in));
  wo_input_free(in);
  in = booking(sub, 1729987200000LL);
  CHECK_OK(wo_order_submit(&order, e->db, e->b.admin, in));
  wo_input_free(in);
  n = availability(e, e->b.admin, sub, "2024-10-27", "2024-10-27", s, 8);
  CHECK_I64(s[1].booked, 1);
  CHECK_I64(s[1].available, 0);
}

int main(void) {
  wt_env env;
  int64_t sub, tenant = 0, contact_id = 0, tech_id;
  wo_actor* contact = NULL;
  wo_actor* tech = NULL;
  wo_input* in;

  wt_env_open(&env, "slots", 0);
  CHECK_OK(wo_db_set_clock(env.db, test_clock, &now_ms));
  sub = make_subtype(&env, env.a.admin);
  in = wt_text(wt_input(), "name", "Tenant");
  CHECK_OK(wo_tenant_create(&tenant, env.db, env.a.admin, in));
  wo_input_free(in);
  in = wt_text(wt_text(wt_int(wt_input(), "tenant_id", tenant), "name", "C"), "phone", "13200000000");
  CHECK_OK(wo_contact_create(&contact_id, env.db, env.a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_actor_contact(&contact, contact_id));
  {
    /* An eligible technician: the subtype's department and position. */
    wo_record* st = NULL;
    wo_record* ot = NULL;
    CHECK_OK(wo_subtype_get(&st, env.db, env.a.admin, sub));
    CHECK_OK(wo_order_type_get(&ot, env.db, env.a.admin, wt_get_int(st, "order_type_id")));
    in = wt_int(wt_text(wt_text(wt_input(), "name", "Tech"), "phone", "13200000001"), "roles", WO_ROLE_TECHNICIAN);
    wt_int(wt_int(in, "department_id", wt_get_int(ot, "department_id")), "position_id", wt_get_int(ot, "position_id"));
    CHECK_OK(wo_staff_create(&tech_id, env.db, env.a.admin, in));
    wo_input_free(in);
    wo_record_free(st);
    wo_record_free(ot);
    CHECK_OK(wo_actor_staff(&tech, tech_id));
  }
  test_schedule_crud(&env, sub, contact, tech);
  test_availability(&env, sub, contact);
  test_booking(&env, sub, contact, tech);
  test_dst(&env);
  wo_actor_free(contact);
  wo_actor_free(tech);
  wt_env_close(&env);
  printf("capi_slots_test: OK\n");
  return 0;
}
