/* capi_support.c — helpers shared by the C API tests; see capi_support.h. */
#define _POSIX_C_SOURCE 200809L
#include "capi_support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Temp files to remove at exit, also when a check fails and exits early. */
#define WT_MAX_PATHS 16
static char wt_paths[WT_MAX_PATHS][256];
static int wt_path_count = 0;

static void wt_remove_all(void) {
  int i;
  for (i = 0; i < wt_path_count; ++i) wt_db_remove(wt_paths[i]);
}

static void wt_fail_here(void) {
  fflush(stdout);
  exit(1); /* atexit removes the temp databases */
}

void wt_check_rc(int got, int expected, const char* needle, const char* expr, const char* file, int line) {
  const char* msg = wo_errmsg();
  if (got != expected) {
    fprintf(stderr, "%s:%d: FAILED: %s\n  status %d (%s), expected %d (%s)\n  wo_errmsg: \"%s\"\n", file, line, expr,
            got, wo_strerror(got), expected, wo_strerror(expected), msg ? msg : "(NULL)");
    wt_fail_here();
  }
  if (msg == NULL) {
    fprintf(stderr, "%s:%d: FAILED: %s\n  wo_errmsg() returned NULL\n", file, line, expr);
    wt_fail_here();
  }
  if (expected == WO_OK && msg[0] != '\0') {
    fprintf(stderr, "%s:%d: FAILED: %s\n  status 0 but wo_errmsg is \"%s\", expected \"\"\n", file, line, expr, msg);
    wt_fail_here();
  }
  if (expected != WO_OK && expected != WO_DONE && msg[0] == '\0') {
    fprintf(stderr, "%s:%d: FAILED: %s\n  status %d (%s) with an empty wo_errmsg\n", file, line, expr, got,
            wo_strerror(got));
    wt_fail_here();
  }
  if (needle && !strstr(msg, needle)) {
    fprintf(stderr, "%s:%d: FAILED: %s\n  status %d (%s) as expected, but wo_errmsg \"%s\" does not name \"%s\"\n",
            file, line, expr, got, wo_strerror(got), msg, needle);
    wt_fail_here();
  }
}

void wt_check(int cond, const char* expr, const char* file, int line) {
  if (!cond) {
    const char* msg = wo_errmsg();
    fprintf(stderr, "%s:%d: FAILED: %s\n  last wo_errmsg: \"%s\"\n", file, line, expr, msg ? msg : "(NULL)");
    wt_fail_here();
  }
}

void wt_check_str(const char* got, const char* expected, const char* expr, const char* file, int line) {
  if (got == NULL || expected == NULL || strcmp(got, expected) != 0) {
    const char* msg = wo_errmsg();
    fprintf(stderr, "%s:%d: FAILED: %s\n  got \"%s\", expected \"%s\"\n  last wo_errmsg: \"%s\"\n", file, line, expr,
            got ? got : "(NULL)", expected ? expected : "(NULL)", msg ? msg : "(NULL)");
    wt_fail_here();
  }
}

void wt_check_i64(int64_t got, int64_t expected, const char* expr, const char* file, int line) {
  if (got != expected) {
    const char* msg = wo_errmsg();
    fprintf(stderr, "%s:%d: FAILED: %s\n  got %" PRId64 ", expected %" PRId64 "\n  last wo_errmsg: \"%s\"\n", file,
            line, expr, got, expected, msg ? msg : "(NULL)");
    wt_fail_here();
  }
}

void wt_db_path(char* buf, size_t size, const char* name) {
  snprintf(buf, size, "/tmp/wo_capi_%s_%ld.db", name, (long)getpid());
  wt_db_remove(buf);
  if (wt_path_count == 0) atexit(wt_remove_all);
  if (wt_path_count < WT_MAX_PATHS) snprintf(wt_paths[wt_path_count++], sizeof wt_paths[0], "%s", buf);
}

void wt_db_remove(const char* path) {
  static const char* suffixes[] = {"", "-wal", "-shm", "-journal"};
  size_t i;
  for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; ++i) {
    char file[512];
    snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
    unlink(file);
  }
}

wo_db* wt_open(const char* path, int32_t flags) {
  wo_db* db = NULL;
  CHECK_OK(wo_db_open(&db, path, flags, 0));
  CHECK(db != NULL);
  return db;
}

wo_input* wt_input(void) {
  wo_input* in = NULL;
  CHECK_OK(wo_input_new(&in));
  CHECK(in != NULL);
  return in;
}

wo_input* wt_int(wo_input* in, const char* field, int64_t value) {
  CHECK_OK(wo_input_set_int(in, field, value));
  return in;
}

wo_input* wt_text(wo_input* in, const char* field, const char* value) {
  CHECK_OK(wo_input_set_text(in, field, value));
  return in;
}

wo_input* wt_null(wo_input* in, const char* field) {
  CHECK_OK(wo_input_set_null(in, field));
  return in;
}

int64_t wt_get_int(const wo_record* rec, const char* field) {
  int64_t v = -12345;
  int32_t type = -1;
  CHECK_OK(wo_record_field_type(&type, rec, field));
  if (type != WO_TYPE_INT) fprintf(stderr, "field %s of %s has type %d\n", field, wo_record_kind(rec), (int)type);
  CHECK(type == WO_TYPE_INT);
  CHECK_OK(wo_record_get_int(&v, rec, field));
  return v;
}

const char* wt_get_text(const wo_record* rec, const char* field) {
  const char* v = NULL;
  int32_t type = -1;
  CHECK_OK(wo_record_field_type(&type, rec, field));
  if (type != WO_TYPE_TEXT) fprintf(stderr, "field %s of %s has type %d\n", field, wo_record_kind(rec), (int)type);
  CHECK(type == WO_TYPE_TEXT);
  CHECK_OK(wo_record_get_text(&v, rec, field));
  CHECK(v != NULL);
  return v;
}

int wt_is_null(const wo_record* rec, const char* field) {
  int32_t type = -1;
  CHECK_OK(wo_record_field_type(&type, rec, field));
  return type == WO_TYPE_NULL;
}

char* wt_snapshot(const wo_record* rec) {
  size_t cap = 256, len = 0;
  char* out = malloc(cap);
  int32_t i, n = wo_record_field_count(rec);
  CHECK(out != NULL);
  out[0] = '\0';
  CHECK(n > 0);
  for (i = 0; i < n; ++i) {
    const char* name = wo_record_field_name(rec, i);
    char value[600];
    int32_t type = -1;
    size_t need;
    CHECK(name != NULL);
    CHECK_OK(wo_record_field_type(&type, rec, name));
    if (type == WO_TYPE_INT)
      snprintf(value, sizeof value, "%" PRId64, wt_get_int(rec, name));
    else if (type == WO_TYPE_TEXT)
      snprintf(value, sizeof value, "'%s'", wt_get_text(rec, name));
    else
      snprintf(value, sizeof value, "null");
    need = len + strlen(name) + strlen(value) + 3;
    if (need > cap) {
      char* bigger;
      while (cap < need) cap *= 2;
      bigger = realloc(out, cap);
      CHECK(bigger != NULL);
      out = bigger;
    }
    len += (size_t)sprintf(out + len, "%s=%s;", name, value);
  }
  return out;
}

int64_t wt_count(wo_iter* it) {
  int64_t n = 0;
  wo_record* rec = NULL;
  int rc;
  CHECK(it != NULL);
  while ((rc = wo_iter_next(&rec, it)) == WO_OK) {
    CHECK(rec != NULL);
    wo_record_free(rec);
    ++n;
  }
  CHECK_RC(WO_DONE, rc);
  CHECK(rec == NULL);
  /* WO_DONE is sticky. */
  rec = (wo_record*)it; /* any non-NULL value: the call must reset it */
  CHECK_RC(WO_DONE, wo_iter_next(&rec, it));
  CHECK(rec == NULL);
  wo_iter_free(it);
  return n;
}

char* wt_repeat(const char* unit, int n) {
  size_t u = strlen(unit);
  char* s = malloc(u * (size_t)n + 1);
  int i;
  CHECK(s != NULL);
  for (i = 0; i < n; ++i) memcpy(s + u * (size_t)i, unit, u);
  s[u * (size_t)n] = '\0';
  return s;
}

static void wt_make_org(wt_env* env, wt_org* org, const char* name, const char* tz, const char* admin_phone) {
  wo_input* o = wt_text(wt_text(wt_input(), "name", name), "time_zone", tz);
  wo_input* a = wt_text(wt_text(wt_input(), "name", "Admin"), "phone", admin_phone);
  CHECK_OK(wo_org_create(&org->org_id, &org->admin_id, env->db, env->sys, o, a));
  CHECK(org->org_id > 0);
  CHECK(org->admin_id > 0);
  CHECK_OK(wo_actor_staff(&org->admin, org->admin_id));
  wo_input_free(o);
  wo_input_free(a);
}

void wt_env_open(wt_env* env, const char* name, int32_t flags) {
  memset(env, 0, sizeof *env);
  wt_db_path(env->path, sizeof env->path, name);
  env->db = wt_open(env->path, flags);
  CHECK_OK(wo_actor_system(&env->sys));
  wt_make_org(env, &env->a, "Org A", "Asia/Shanghai", "13800000000");
  wt_make_org(env, &env->b, "Org B", "Europe/Berlin", "+49 30 1234567");
}

void wt_env_close(wt_env* env) {
  wo_actor_free(env->a.admin);
  wo_actor_free(env->b.admin);
  wo_actor_free(env->sys);
  wo_db_free(env->db);
  wt_db_remove(env->path);
  memset(env, 0, sizeof *env);
}

int64_t wt_staff(wo_db* db, const wo_actor* admin, const char* name, const char* phone, int32_t roles) {
  int64_t id = 0;
  wo_input* in = wt_int(wt_text(wt_text(wt_input(), "name", name), "phone", phone), "roles", roles);
  CHECK_OK(wo_staff_create(&id, db, admin, in));
  CHECK(id > 0);
  wo_input_free(in);
  return id;
}
