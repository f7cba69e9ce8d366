/* SPDX-License-Identifier: MIT */
/* capi_org_test.c — organisations (create, get, update, list), work-order settings and
 * payment channels through the C ABI: defaults read back, updates read back, and every bad
 * input (NULL arguments, missing / unknown / wrongly typed fields, bad time zone, bad
 * currency, bad phone, another org, the wrong actor) fails with the right code, a message
 * naming the field, and no change. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

static int64_t clock_ms = 1700000000000LL;
static int64_t test_clock(void* ctx) { return *(int64_t*)ctx; }

static int64_t count_orgs(wt_env* env) {
  wo_iter* it = NULL;
  CHECK_OK(wo_org_list(&it, env->db, env->sys));
  return wt_count(it);
}

static char* org_snapshot(wt_env* env, int64_t org_id) {
  wo_record* r = NULL;
  char* s;
  CHECK_OK(wo_org_get(&r, env->db, env->sys, org_id));
  s = wt_snapshot(r);
  wo_record_free(r);
  return s;
}

/* Calls wo_org_create with the given inputs and expects failure `code` naming `needle`, no
 * new org, and zeroed out-params. */
static void org_create_fails(wt_env* env, const wo_actor* actor, wo_input* org, wo_input* admin, int code,
                             const char* needle, int line) {
  int64_t org_id = 99, admin_id = 99;
  const int64_t before = count_orgs(env);
  int rc = wo_org_create(&org_id, &admin_id, env->db, actor, org, admin);
  if (rc != code) fprintf(stderr, "(org_create_fails called from line %d)\n", line);
  CHECK_FAIL(code, needle, rc);
  CHECK_I64(org_id, 0);
  CHECK_I64(admin_id, 0);
  CHECK_I64(count_orgs(env), before);
  wo_input_free(org);
  wo_input_free(admin);
}

static wo_input* good_org(void) { return wt_text(wt_text(wt_input(), "name", "Org C"), "time_zone", "Asia/Shanghai"); }
static wo_input* good_admin(void) { return wt_text(wt_text(wt_input(), "name", "Boss"), "phone", "139 0000 0000"); }

static void test_org_create(wt_env* env) {
  int64_t org_id = 0, admin_id = 0;
  wo_record* r = NULL;
  wo_actor* c_admin = NULL;
  wo_input* org = wt_text(good_org(), "currency", "USD");
  wo_input* admin = wt_int(good_admin(), "roles", WO_ROLE_TECHNICIAN);

  CHECK_OK(wo_org_create(&org_id, &admin_id, env->db, env->sys, org, admin));
  wo_input_free(org);
  wo_input_free(admin);
  CHECK(org_id > env->b.org_id);

  CHECK_OK(wo_org_get(&r, env->db, env->sys, org_id));
  CHECK_STR(wo_record_kind(r), "org");
  CHECK_I64(wt_get_int(r, "id"), org_id);
  CHECK_STR(wt_get_text(r, "name"), "Org C");
  CHECK_STR(wt_get_text(r, "time_zone"), "Asia/Shanghai");
  CHECK_STR(wt_get_text(r, "currency"), "USD");
  CHECK_I64(wt_get_int(r, "created_at"), clock_ms); /* the injected clock */
  wo_record_free(r);

  /* The first admin: normalised phone, admin role always added, no department yet. */
  CHECK_OK(wo_actor_staff(&c_admin, admin_id));
  CHECK_OK(wo_staff_get(&r, env->db, c_admin, admin_id));
  CHECK_STR(wt_get_text(r, "name"), "Boss");
  CHECK_STR(wt_get_text(r, "phone"), "13900000000");
  CHECK_I64(wt_get_int(r, "roles"), WO_ROLE_ADMIN | WO_ROLE_TECHNICIAN);
  CHECK_I64(wt_get_int(r, "org_id"), org_id);
  CHECK_I64(wt_get_int(r, "active"), 1);
  CHECK(wt_is_null(r, "department_id"));
  CHECK(wt_is_null(r, "position_id"));
  wo_record_free(r);
  wo_actor_free(c_admin);

  /* The default currency is CNY. */
  CHECK_OK(wo_org_get(&r, env->db, env->a.admin, env->a.org_id));
  CHECK_STR(wt_get_text(r, "currency"), "CNY");
  wo_record_free(r);

  /* NULL arguments. */
  org = good_org();
  admin = good_admin();
  CHECK_FAIL(WO_EINVALID, "org_out", wo_org_create(NULL, &admin_id, env->db, env->sys, org, admin));
  CHECK_FAIL(WO_EINVALID, "admin_out", wo_org_create(&org_id, NULL, env->db, env->sys, org, admin));
  CHECK_FAIL(WO_EINVALID, "db", wo_org_create(&org_id, &admin_id, NULL, env->sys, org, admin));
  CHECK_FAIL(WO_EINVALID, "actor", wo_org_create(&org_id, &admin_id, env->db, NULL, org, admin));
  wo_input_free(org);
  wo_input_free(admin);
  org_create_fails(env, env->sys, NULL, good_admin(), WO_EINVALID, "org", __LINE__);
  org_create_fails(env, env->sys, good_org(), NULL, WO_EINVALID, "admin", __LINE__);

  /* Only the system actor creates orgs. */
  org_create_fails(env, env->a.admin, good_org(), good_admin(), WO_EFORBIDDEN, "system", __LINE__);

  /* Required, unknown, wrongly typed and malformed fields. */
  org_create_fails(env, env->sys, wt_text(wt_input(), "time_zone", "Asia/Shanghai"), good_admin(), WO_EINVALID,
                   "name", __LINE__);
  org_create_fails(env, env->sys, wt_text(wt_input(), "name", "Org C"), good_admin(), WO_EINVALID, "time_zone",
                   __LINE__);
  org_create_fails(env, env->sys, wt_text(good_org(), "time_zone", "Mars/Olympus_Mons"), good_admin(), WO_EINVALID,
                   "time_zone", __LINE__);
  org_create_fails(env, env->sys, wt_text(good_org(), "time_zone", ""), good_admin(), WO_EINVALID, "time_zone",
                   __LINE__);
  org_create_fails(env, env->sys, wt_text(good_org(), "currency", "XYZ"), good_admin(), WO_EINVALID, "currency",
                   __LINE__);
  org_create_fails(env, env->sys, wt_text(good_org(), "colour", "red"), good_admin(), WO_EINVALID, "colour",
                   __LINE__);
  org_create_fails(env, env->sys, wt_int(good_org(), "name", 5), good_admin(), WO_EINVALID, "name", __LINE__);
  org_create_fails(env, env->sys, wt_text(good_org(), "name", "bad \xC3\x28 utf-8"), good_admin(), WO_EINVALID, "name",
                   __LINE__);
  org_create_fails(env, env->sys, good_org(), wt_text(wt_input(), "name", "Boss"), WO_EINVALID, "phone", __LINE__);
  org_create_fails(env, env->sys, good_org(), wt_text(good_admin(), "phone", "call me"), WO_EINVALID, "phone",
                   __LINE__);
  org_create_fails(env, env->sys, good_org(), wt_int(good_admin(), "roles", 64), WO_EINVALID, "roles", __LINE__);
  org_create_fails(env, env->sys, good_org(), wt_int(good_admin(), "shoe_size", 42), WO_EINVALID, "shoe_size",
                   __LINE__);
  {
    char* long_name = wt_repeat("x", 201);
    org_create_fails(env, env->sys, wt_text(good_org(), "name", long_name), good_admin(), WO_EINVALID, "name",
                     __LINE__);
    free(long_name);
  }
}

static void test_org_get_update_list(wt_env* env) {
  wo_record* r = (wo_record*)env;
  wo_iter* it = (wo_iter*)env;
  wo_input* in;
  char* before;
  char* after;
  int64_t tech = wt_staff(env->db, env->a.admin, "Tech", "13800000001", WO_ROLE_TECHNICIAN);
  wo_actor* tech_actor = NULL;
  CHECK_OK(wo_actor_staff(&tech_actor, tech));

  /* Anyone of the org may read it; another org's id is not found. */
  CHECK_OK(wo_org_get(&r, env->db, tech_actor, env->a.org_id));
  CHECK_STR(wt_get_text(r, "name"), "Org A");
  wo_record_free(r);
  r = (wo_record*)env;
  CHECK_FAIL(WO_ENOTFOUND, "org", wo_org_get(&r, env->db, env->a.admin, env->b.org_id));
  CHECK(r == NULL);
  CHECK_FAIL(WO_ENOTFOUND, "999", wo_org_get(&r, env->db, env->sys, 999));
  CHECK_FAIL(WO_EINVALID, "out", wo_org_get(NULL, env->db, env->sys, env->a.org_id));
  CHECK_FAIL(WO_EINVALID, "db", wo_org_get(&r, NULL, env->sys, env->a.org_id));
  CHECK_FAIL(WO_EINVALID, "actor", wo_org_get(&r, env->db, NULL, env->a.org_id));

  /* Update name and time zone; read back. */
  in = wt_text(wt_text(wt_input(), "name", "Org A Renamed"), "time_zone", "Asia/Tokyo");
  CHECK_OK(wo_org_update(env->db, env->a.admin, env->a.org_id, in));
  wo_input_free(in);
  CHECK_OK(wo_org_get(&r, env->db, env->a.admin, env->a.org_id));
  CHECK_STR(wt_get_text(r, "name"), "Org A Renamed");
  CHECK_STR(wt_get_text(r, "time_zone"), "Asia/Tokyo");
  CHECK_STR(wt_get_text(r, "currency"), "CNY");
  wo_record_free(r);

  /* Failing updates change nothing. */
  before = org_snapshot(env, env->a.org_id);
  in = wt_text(wt_input(), "time_zone", "Not/AZone");
  CHECK_FAIL(WO_EINVALID, "time_zone", wo_org_update(env->db, env->a.admin, env->a.org_id, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "currency", "USD");
  CHECK_FAIL(WO_EINVALID, "currency", wo_org_update(env->db, env->a.admin, env->a.org_id, in));
  wo_input_free(in);
  in = wt_int(wt_input(), "name", 12);
  CHECK_FAIL(WO_EINVALID, "name", wo_org_update(env->db, env->a.admin, env->a.org_id, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "name", "   ");
  CHECK_FAIL(WO_EINVALID, "name", wo_org_update(env->db, env->a.admin, env->a.org_id, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "nickname", "A");
  CHECK_FAIL(WO_EINVALID, "nickname", wo_org_update(env->db, env->a.admin, env->a.org_id, in));
  wo_input_free(in);
  in = wt_text(wt_input(), "name", "Hijacked");
  CHECK_FAIL(WO_EFORBIDDEN, "admin", wo_org_update(env->db, tech_actor, env->a.org_id, in));
  CHECK_FAIL(WO_ENOTFOUND, "org", wo_org_update(env->db, env->b.admin, env->a.org_id, in));
  CHECK_FAIL(WO_EINVALID, "db", wo_org_update(NULL, env->a.admin, env->a.org_id, in));
  CHECK_FAIL(WO_EINVALID, "actor", wo_org_update(env->db, NULL, env->a.org_id, in));
  wo_input_free(in);
  CHECK_FAIL(WO_EINVALID, "fields", wo_org_update(env->db, env->a.admin, env->a.org_id, NULL));
  after = org_snapshot(env, env->a.org_id);
  CHECK_STR(after, before);
  free(before);
  free(after);

  /* The system actor lists every org by id; staff may not. */
  {
    wo_record* rec = NULL;
    int64_t prev = 0, n = 0;
    CHECK_OK(wo_org_list(&it, env->db, env->sys));
    while (wo_iter_next(&rec, it) == WO_OK) {
      CHECK_STR(wo_record_kind(rec), "org");
      CHECK(wt_get_int(rec, "id") > prev);
      prev = wt_get_int(rec, "id");
      ++n;
      wo_record_free(rec);
    }
    CHECK(rec == NULL);
    wo_iter_free(it);
    CHECK_I64(n, 3); /* A, B and the org test_org_create made */
  }
  it = (wo_iter*)env;
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_org_list(&it, env->db, env->a.admin));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_org_list(NULL, env->db, env->sys));
  CHECK_FAIL(WO_EINVALID, "db", wo_org_list(&it, NULL, env->sys));

  /* An unknown or inactive staff actor. */
  {
    wo_actor* ghost = NULL;
    CHECK_OK(wo_actor_staff(&ghost, 424242));
    CHECK_FAIL(WO_ENOTFOUND, "424242", wo_org_get(&r, env->db, ghost, env->a.org_id));
    wo_actor_free(ghost);
    CHECK_OK(wo_staff_set_active(env->db, env->a.admin, tech, 0));
    CHECK_FAIL(WO_EFORBIDDEN, "inactive", wo_org_get(&r, env->db, tech_actor, env->a.org_id));
    CHECK(r == NULL);
    CHECK_OK(wo_staff_set_active(env->db, env->a.admin, tech, 1));
  }
  wo_actor_free(tech_actor);
}

static char* settings_snapshot(wt_env* env, const wo_actor* actor) {
  wo_record* r = NULL;
  char* s;
  CHECK_OK(wo_settings_get(&r, env->db, actor));
  s = wt_snapshot(r);
  wo_record_free(r);
  return s;
}

static void settings_update_fails(wt_env* env, const wo_actor* actor, wo_input* in, int code, const char* needle) {
  char* before = settings_snapshot(env, env->a.admin);
  char* after;
  CHECK_FAIL(code, needle, wo_settings_update(env->db, actor, in));
  after = settings_snapshot(env, env->a.admin);
  CHECK_STR(after, before);
  free(before);
  free(after);
  wo_input_free(in);
}

static void test_settings(wt_env* env) {
  wo_record* r = NULL;
  wo_input* in;
  char* b_before = settings_snapshot(env, env->b.admin);
  char* b_after;
  int64_t tech = wt_staff(env->db, env->a.admin, "Tech 2", "13800000002", WO_ROLE_TECHNICIAN | WO_ROLE_DISPATCHER);
  wo_actor* tech_actor = NULL;
  CHECK_OK(wo_actor_staff(&tech_actor, tech));

  /* Defaults. */
  CHECK_OK(wo_settings_get(&r, env->db, env->a.admin));
  CHECK_STR(wo_record_kind(r), "order_settings");
  CHECK_I64(wt_get_int(r, "id"), env->a.org_id);
  CHECK_I64(wt_get_int(r, "grab_enabled"), 1);
  CHECK_I64(wt_get_int(r, "grab_limit"), 0);
  CHECK_I64(wt_get_int(r, "prepay_timeout_min"), 30);
  CHECK_I64(wt_get_int(r, "accept_timeout_min"), 60);
  CHECK_I64(wt_get_int(r, "rating_timeout_days"), 7);
  CHECK_I64(wt_get_int(r, "auto_rating_score"), 5);
  CHECK_I64(wt_get_int(r, "reopen_window_days"), 7);
  wo_record_free(r);

  /* Update some, read back; the others keep their values. */
  in = wt_int(wt_int(wt_int(wt_input(), "grab_limit", 3), "grab_enabled", 0), "auto_rating_score", 4);
  wt_int(in, "reopen_window_days", 0);
  CHECK_OK(wo_settings_update(env->db, env->a.admin, in));
  wo_input_free(in);
  CHECK_OK(wo_settings_get(&r, env->db, tech_actor)); /* anyone of the org may read */
  CHECK_I64(wt_get_int(r, "grab_enabled"), 0);
  CHECK_I64(wt_get_int(r, "grab_limit"), 3);
  CHECK_I64(wt_get_int(r, "auto_rating_score"), 4);
  CHECK_I64(wt_get_int(r, "reopen_window_days"), 0);
  CHECK_I64(wt_get_int(r, "prepay_timeout_min"), 30);
  wo_record_free(r);

  /* Bad values change nothing and name the field. */
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "auto_rating_score", 6), WO_EINVALID,
                        "auto_rating_score");
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "auto_rating_score", 0), WO_EINVALID,
                        "auto_rating_score");
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "grab_limit", -1), WO_EINVALID, "grab_limit");
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "accept_timeout_min", -5), WO_EINVALID,
                        "accept_timeout_min");
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "grab_enabled", 2), WO_EINVALID, "grab_enabled");
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "grab_limit", 4294967296LL), WO_EINVALID, "grab_limit");
  settings_update_fails(env, env->a.admin, wt_text(wt_input(), "grab_limit", "3"), WO_EINVALID, "grab_limit");
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "grab_speed", 3), WO_EINVALID, "grab_speed");
  settings_update_fails(env, env->a.admin, wt_int(wt_input(), "id", env->b.org_id), WO_EINVALID, "id");
  /* A valid field next to a bad one: the call is atomic. */
  settings_update_fails(env, env->a.admin, wt_int(wt_int(wt_input(), "grab_limit", 9), "auto_rating_score", 9),
                        WO_EINVALID, "auto_rating_score");
  /* Only an admin configures. */
  settings_update_fails(env, tech_actor, wt_int(wt_input(), "grab_limit", 9), WO_EFORBIDDEN, "admin");
  settings_update_fails(env, env->sys, wt_int(wt_input(), "grab_limit", 9), WO_EFORBIDDEN, "system");
  in = wt_int(wt_input(), "grab_limit", 9);
  CHECK_FAIL(WO_EINVALID, "db", wo_settings_update(NULL, env->a.admin, in));
  CHECK_FAIL(WO_EINVALID, "actor", wo_settings_update(env->db, NULL, in));
  wo_input_free(in);
  CHECK_FAIL(WO_EINVALID, "fields", wo_settings_update(env->db, env->a.admin, NULL));

  r = (wo_record*)env;
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_settings_get(&r, env->db, env->sys));
  CHECK(r == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_settings_get(NULL, env->db, env->a.admin));
  CHECK_FAIL(WO_EINVALID, "db", wo_settings_get(&r, NULL, env->a.admin));
  CHECK_FAIL(WO_EINVALID, "actor", wo_settings_get(&r, env->db, NULL));

  /* Org B's settings were never touched. */
  b_after = settings_snapshot(env, env->b.admin);
  CHECK_STR(b_after, b_before);
  free(b_before);
  free(b_after);
  wo_actor_free(tech_actor);
}

/* enabled[c] for each channel of the actor's org. */
static void read_channels(wt_env* env, const wo_actor* actor, int64_t enabled[6]) {
  wo_iter* it = NULL;
  wo_record* r = NULL;
  int n = 0, rc;
  int64_t prev_id = 0;
  CHECK_OK(wo_channel_list(&it, env->db, actor));
  while ((rc = wo_iter_next(&r, it)) == WO_OK) {
    int64_t ch = wt_get_int(r, "channel");
    CHECK_STR(wo_record_kind(r), "payment_channel");
    CHECK(wt_get_int(r, "id") > prev_id);
    prev_id = wt_get_int(r, "id");
    CHECK(ch >= WO_CHANNEL_WECHAT && ch <= WO_CHANNEL_OTHER);
    CHECK_I64(ch, n); /* one per channel, in channel order */
    enabled[ch] = wt_get_int(r, "enabled");
    wo_record_free(r);
    ++n;
  }
  CHECK_RC(WO_DONE, rc);
  CHECK_I64(n, 6);
  wo_iter_free(it);
}

static void test_channels(wt_env* env) {
  int64_t en[6], en_b[6];
  int c;
  int64_t tech = wt_staff(env->db, env->a.admin, "Tech 3", "13800000003", WO_ROLE_DISPATCHER);
  wo_actor* disp = NULL;
  wo_iter* it = (wo_iter*)env;
  CHECK_OK(wo_actor_staff(&disp, tech));

  read_channels(env, env->a.admin, en);
  for (c = 0; c < 6; ++c) CHECK_I64(en[c], 0); /* all disabled at creation */

  CHECK_OK(wo_channel_set_enabled(env->db, env->a.admin, WO_CHANNEL_WECHAT, 1));
  CHECK_OK(wo_channel_set_enabled(env->db, env->a.admin, WO_CHANNEL_CASH, 1));
  CHECK_OK(wo_channel_set_enabled(env->db, env->a.admin, WO_CHANNEL_CASH, 1)); /* idempotent */
  read_channels(env, disp, en); /* anyone of the org may read */
  CHECK_I64(en[WO_CHANNEL_WECHAT], 1);
  CHECK_I64(en[WO_CHANNEL_ALIPAY], 0);
  CHECK_I64(en[WO_CHANNEL_CASH], 1);
  CHECK_OK(wo_channel_set_enabled(env->db, env->a.admin, WO_CHANNEL_WECHAT, 0));
  read_channels(env, env->a.admin, en);
  CHECK_I64(en[WO_CHANNEL_WECHAT], 0);
  CHECK_I64(en[WO_CHANNEL_CASH], 1);

  /* Errors change nothing. */
  CHECK_FAIL(WO_EINVALID, "channel", wo_channel_set_enabled(env->db, env->a.admin, 6, 1));
  CHECK_FAIL(WO_EINVALID, "channel", wo_channel_set_enabled(env->db, env->a.admin, -1, 1));
  CHECK_FAIL(WO_EINVALID, "enabled", wo_channel_set_enabled(env->db, env->a.admin, WO_CHANNEL_ALIPAY, 2));
  CHECK_FAIL(WO_EFORBIDDEN, "admin", wo_channel_set_enabled(env->db, disp, WO_CHANNEL_ALIPAY, 1));
  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_channel_set_enabled(env->db, env->sys, WO_CHANNEL_ALIPAY, 1));
  CHECK_FAIL(WO_EINVALID, "db", wo_channel_set_enabled(NULL, env->a.admin, WO_CHANNEL_ALIPAY, 1));
  CHECK_FAIL(WO_EINVALID, "actor", wo_channel_set_enabled(env->db, NULL, WO_CHANNEL_ALIPAY, 1));
  read_channels(env, env->a.admin, en);
  CHECK_I64(en[WO_CHANNEL_ALIPAY], 0);
  CHECK_I64(en[WO_CHANNEL_CASH], 1);

  /* Org B is independent. */
  read_channels(env, env->b.admin, en_b);
  for (c = 0; c < 6; ++c) CHECK_I64(en_b[c], 0);

  CHECK_FAIL(WO_EFORBIDDEN, "system", wo_channel_list(&it, env->db, env->sys));
  CHECK(it == NULL);
  CHECK_FAIL(WO_EINVALID, "out", wo_channel_list(NULL, env->db, env->a.admin));
  CHECK_FAIL(WO_EINVALID, "db", wo_channel_list(&it, NULL, env->a.admin));
  CHECK_FAIL(WO_EINVALID, "actor", wo_channel_list(&it, env->db, NULL));
  wo_actor_free(disp);
}

int main(void) {
  wt_env env;
  /* Orgs A and B are created on the system clock; test_org_create checks the created_at of
   * a third org against the injected clock. */
  wt_env_open(&env, "org", 0);
  CHECK_OK(wo_db_set_clock(env.db, test_clock, &clock_ms));
  test_org_create(&env);
  test_org_get_update_list(&env);
  test_settings(&env);
  test_channels(&env);
  wt_env_close(&env);
  printf("capi_org_test: OK\n");
  return 0;
}
