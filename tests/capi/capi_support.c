/* SPDX-License-Identifier: MIT */
/* capi_support.c — helpers shared by the C API tests; see capi_support.h. */
#define _POSIX_C_SOURCE 200809L
#include "capi_support.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

/* Every database a test made, removed (files) or dropped (schema) at exit, also when a
 * check fails and exits early. A slot is free again once its database is gone. */
#define WT_MAX_DBS 32
typedef struct wt_made {
  char location[WT_LOCATION_MAX]; /* "" when the slot is free */
  char schema[64];                /* PostgreSQL: the schema; "" for a SQLite file */
} wt_made;
static wt_made wt_dbs[WT_MAX_DBS];
static int wt_cleanup_registered = 0;
static PGconn* wt_admin = NULL; /* schema housekeeping on the test server, opened on first use */

static void wt_forget(wt_made* m, int at_exit);

static void wt_cleanup_at_exit(void) {
  int i;
  for (i = 0; i < WT_MAX_DBS; ++i)
    if (wt_dbs[i].location[0]) wt_forget(&wt_dbs[i], 1);
  PQfinish(wt_admin);
  wt_admin = NULL;
}

static void wt_fail_here(void) {
  fflush(stdout);
  exit(1); /* atexit removes the temp databases */
}

/* ---- the status codes the header documents -------------------------------------------------
 * Every status a checked call returns must be one the comment before its declaration in
 * workorder.h names (the header's rule: a function's comment lists every code it can return).
 * The header is read once, from the path the build compiles in. */

static const struct {
  const char* name;
  int code;
} wt_codes[] = {
    {"WO_OK", WO_OK},
    {"WO_ENOTFOUND", WO_ENOTFOUND},
    {"WO_EINVALID", WO_EINVALID},
    {"WO_ESTATE", WO_ESTATE},
    {"WO_EFORBIDDEN", WO_EFORBIDDEN},
    {"WO_ECONFLICT", WO_ECONFLICT},
    {"WO_ESLOTFULL", WO_ESLOTFULL},
    {"WO_ESLOTUNAVAILABLE", WO_ESLOTUNAVAILABLE},
    {"WO_EGRABLIMIT", WO_EGRABLIMIT},
    {"WO_EOUTOFSTOCK", WO_EOUTOFSTOCK},
    {"WO_EPAYMENT", WO_EPAYMENT},
    {"WO_ECHANNEL", WO_ECHANNEL},
    {"WO_EBUSY", WO_EBUSY},
    {"WO_ESTORAGE", WO_ESTORAGE},
    {"WO_ESCHEMA", WO_ESCHEMA},
    {"WO_EOVERFLOW", WO_EOVERFLOW},
    {"WO_EINTERNAL", WO_EINTERNAL},
    {"WO_ESLOTHORIZON", WO_ESLOTHORIZON},
    {"WO_ESLOTTOOEARLY", WO_ESLOTTOOEARLY},
    {"WO_EABORTED", WO_EABORTED},
    {"WO_EINELIGIBLE", WO_EINELIGIBLE},
    {"WO_ENULL", WO_ENULL},
    {"WO_DONE", WO_DONE},
};

static char* wt_header = NULL;

static void wt_read_header(void) {
  FILE* f = fopen(WT_HEADER_PATH, "rb");
  long size;
  if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
      !(wt_header = malloc((size_t)size + 1)) || fread(wt_header, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "cannot read the header %s\n", WT_HEADER_PATH);
    exit(1);
  }
  wt_header[size] = '\0';
  fclose(f);
}

/* Whether the comment before `WO_API int <fn>(` names status `code`; 1 also when fn is not an
 * int function of the header (nothing to check). */
static int wt_documented(const char* fn, size_t fn_len, int code) {
  char decl[128];
  const char *at, *end, *start, *p;
  size_t i;
  if (fn_len + 12 >= sizeof decl) return 1;
  if (!wt_header) wt_read_header();
  snprintf(decl, sizeof decl, "WO_API int %.*s(", (int)fn_len, fn);
  at = strstr(wt_header, decl);
  if (!at) return 1;
  /* The comment ends right before the declaration and starts at the "/" "**" before that. */
  end = at;
  while (end > wt_header && end[-1] != '/') --end;
  for (start = end - 1; start > wt_header && strncmp(start, "/" "**", 3) != 0; --start) {
  }
  for (p = start; p < end && (p = strstr(p, "WO_")) != NULL && p < end; p += 3) {
    size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
    for (i = 0; i < sizeof wt_codes / sizeof wt_codes[0]; ++i)
      if (wt_codes[i].code == code && strlen(wt_codes[i].name) == n && strncmp(p, wt_codes[i].name, n) == 0) return 1;
  }
  return 0;
}

int wt_documents(const char* fn, int code) { return wt_documented(fn, strlen(fn), code); }

/* The wo_* function a checked expression calls first ("wo_order_assign(e->db, ...)"). */
static const char* wt_called(const char* expr, size_t* len) {
  const char* p = expr;
  while ((p = strstr(p, "wo_")) != NULL) {
    size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
    if ((p == expr || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))) && p[n] == '(') {
      *len = n;
      return p;
    }
    p += n;
  }
  return NULL;
}

void wt_check_rc(int got, int expected, const char* needle, const char* expr, const char* file, int line) {
  const char* msg = wo_errmsg();
  size_t fn_len = 0;
  const char* fn = wt_called(expr, &fn_len);
  if (fn && !wt_documented(fn, fn_len, got)) {
    fprintf(stderr, "%s:%d: FAILED: %s\n  status %d (%s) is not among the codes the header lists for %.*s\n", file,
            line, expr, got, wo_strerror(got), (int)fn_len, fn);
    wt_fail_here();
  }
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

int wt_on_postgres(void) {
  const char* uri = getenv("WO_TEST_POSTGRES");
  return uri != NULL && uri[0] != '\0';
}

static void wt_quiet(void* arg, const char* message) {
  (void)arg; /* DROP SCHEMA ... CASCADE notices are expected, not news */
  (void)message;
}

/* Runs one housekeeping statement on the test server. At exit a failure only warns: the run's
 * server is a throwaway one, and exit() must not be called again from an atexit handler. */
static int wt_admin_exec(const char* sql, int at_exit) {
  PGresult* r = NULL;
  int ok;
  if (wt_admin == NULL) {
    wt_admin = PQconnectdb(getenv("WO_TEST_POSTGRES"));
    if (wt_admin) PQsetNoticeProcessor(wt_admin, wt_quiet, NULL);
  }
  if (wt_admin && PQstatus(wt_admin) == CONNECTION_OK) r = PQexec(wt_admin, sql);
  ok = r != NULL && PQresultStatus(r) == PGRES_COMMAND_OK;
  if (!ok) {
    fprintf(stderr, "%s: %s on the test server (WO_TEST_POSTGRES): %s", at_exit ? "warning" : "FAILED", sql,
            wt_admin ? PQerrorMessage(wt_admin) : "out of memory\n");
    if (!at_exit) {
      PQclear(r);
      wt_fail_here();
    }
  }
  PQclear(r);
  return ok;
}

static wt_made* wt_remember(const char* location, const char* schema) {
  int i;
  if (!wt_cleanup_registered) {
    atexit(wt_cleanup_at_exit);
    wt_cleanup_registered = 1;
  }
  for (i = 0; i < WT_MAX_DBS; ++i) {
    if (wt_dbs[i].location[0] == '\0') {
      snprintf(wt_dbs[i].location, sizeof wt_dbs[i].location, "%s", location);
      snprintf(wt_dbs[i].schema, sizeof wt_dbs[i].schema, "%s", schema);
      return &wt_dbs[i];
    }
  }
  fprintf(stderr, "FAILED: more than %d test databases at once (drop some with wt_db_drop)\n", WT_MAX_DBS);
  wt_fail_here();
  return NULL;
}

static void wt_forget(wt_made* m, int at_exit) {
  if (m->schema[0]) {
    char sql[128];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", m->schema);
    wt_admin_exec(sql, at_exit);
  } else {
    wt_db_remove(m->location);
  }
  m->location[0] = '\0';
  m->schema[0] = '\0';
}

void wt_db_location(char* buf, size_t size, const char* name) {
  static int counter = 0;
  const char* server = getenv("WO_TEST_POSTGRES");
  char schema[64];
  char sql[128];
  size_t i;
  int n;
  if (!wt_on_postgres()) {
    snprintf(buf, size, "/tmp/wo_capi_%s_%ld_%d.db", name, (long)getpid(), counter++);
    wt_db_remove(buf);
    wt_remember(buf, "");
    return;
  }
  /* Unique per process and call; only [a-z0-9_], so the name needs no quoting anywhere. */
  snprintf(schema, sizeof schema, "t_capi_%.24s_%ld_%d", name, (long)getpid(), counter++);
  for (i = 0; schema[i]; ++i) {
    char c = schema[i];
    if (c >= 'A' && c <= 'Z')
      schema[i] = (char)(c - 'A' + 'a');
    else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      schema[i] = '_';
  }
  n = snprintf(buf, size, "%s%soptions=-csearch_path%%3D%s", server, strchr(server, '?') ? "&" : "?", schema);
  if (n < 0 || (size_t)n >= size) {
    fprintf(stderr, "FAILED: WO_TEST_POSTGRES is too long for a test location (%d bytes)\n", n);
    wt_fail_here();
  }
  snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
  wt_admin_exec(sql, 0);
  wt_remember(buf, schema);
}

void wt_db_drop(const char* location) {
  int i;
  for (i = 0; i < WT_MAX_DBS; ++i)
    if (wt_dbs[i].location[0] && strcmp(wt_dbs[i].location, location) == 0) wt_forget(&wt_dbs[i], 0);
}

void wt_db_path(char* buf, size_t size, const char* name) {
  snprintf(buf, size, "/tmp/wo_capi_%s_%ld.db", name, (long)getpid());
  wt_db_remove(buf);
  wt_remember(buf, "");
}

void wt_db_remove(const char* path) {
  static const char* suffixes[] = {"", "-wal", "-shm", "-journal"};
  char file[WT_LOCATION_MAX + 16];
  size_t i, n = strlen(path);
  if (n >= WT_LOCATION_MAX) return; /* not one of ours */
  memcpy(file, path, n);
  for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; ++i) {
    strcpy(file + n, suffixes[i]);
    unlink(file);
  }
}

wo_db* wt_open(const char* location, int32_t flags) {
  wo_db* db = NULL;
  CHECK_OK(wo_db_open(&db, location, flags, 0));
  CHECK(db != NULL);
  return db;
}

int64_t wt_pg_sql(const char* location, const char* sql) {
  PGconn* c = PQconnectdb(location);
  PGresult* r = NULL;
  ExecStatusType status = PGRES_FATAL_ERROR;
  int64_t value = 0;
  if (c) PQsetNoticeProcessor(c, wt_quiet, NULL);
  if (c && PQstatus(c) == CONNECTION_OK) r = PQexec(c, sql);
  if (r) status = PQresultStatus(r);
  if (status == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0 && !PQgetisnull(r, 0, 0))
    value = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  else if (status == PGRES_COMMAND_OK)
    value = strtoll(PQcmdTuples(r), NULL, 10);
  else if (status != PGRES_TUPLES_OK) {
    fprintf(stderr, "FAILED: %s: %s", sql, c ? PQerrorMessage(c) : "out of memory\n");
    PQclear(r);
    PQfinish(c);
    wt_fail_here();
  }
  PQclear(r);
  PQfinish(c);
  return value;
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
  wt_db_location(env->location, sizeof env->location, name);
  env->db = wt_open(env->location, flags);
  CHECK_OK(wo_actor_system(&env->sys));
  wt_make_org(env, &env->a, "Org A", "Asia/Shanghai", "13800000000");
  wt_make_org(env, &env->b, "Org B", "Europe/Berlin", "+49 30 1234567");
}

void wt_env_close(wt_env* env) {
  wo_actor_free(env->a.admin);
  wo_actor_free(env->b.admin);
  wo_actor_free(env->sys);
  wo_db_free(env->db);
  wt_db_drop(env->location);
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
