/* SPDX-License-Identifier: MIT */
/* capi_basics_test.c — versions, status codes and messages, opening databases (flags, bad
 * arguments, an unreachable PostgreSQL server, two handles on one database, a schema written
 * by a newer library), the injected clock, the schema version, actors and inputs' argument
 * checks, and NULL handling of every free function and record getter. Runs on the backend
 * of the run (WO_TEST_POSTGRES, see capi_support.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "capi_support.h"

static void test_version(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", WO_VERSION_MAJOR, WO_VERSION_MINOR, WO_VERSION_PATCH);
  CHECK_STR(wo_version(), WO_VERSION_STRING);
  CHECK_STR(wo_version(), expected);
  CHECK(wo_libversion_number() == WO_VERSION_NUMBER);
  CHECK(WO_VERSION_NUMBER == WO_VERSION_MAJOR * 1000000 + WO_VERSION_MINOR * 1000 + WO_VERSION_PATCH);
  CHECK(WO_VERSION_AT_LEAST(WO_VERSION_MAJOR, WO_VERSION_MINOR, WO_VERSION_PATCH));
  CHECK(WO_VERSION_AT_LEAST(0, 0, 999));
  CHECK(!WO_VERSION_AT_LEAST(WO_VERSION_MAJOR, WO_VERSION_MINOR, WO_VERSION_PATCH + 1));
  CHECK(!WO_VERSION_AT_LEAST(WO_VERSION_MAJOR + 1, 0, 0));
}

/* The statuses the CHECK macros accept for a call are the ones its comment lists. */
static void test_documented_codes(void) {
  CHECK(wt_documents("wo_order_assign", WO_EINELIGIBLE));
  CHECK(wt_documents("wo_order_assign", WO_EGRABLIMIT));
  CHECK(wt_documents("wo_record_get_int", WO_ENULL));
  CHECK(!wt_documents("wo_record_get_int", WO_ENOTFOUND));
  CHECK(!wt_documents("wo_order_accept", WO_EGRABLIMIT));
  CHECK(!wt_documents("wo_input_new", WO_EBUSY));
  CHECK(!wt_documents("wo_order_list", WO_EINELIGIBLE)); /* "wo_order_list" is not "wo_order_lines" */
  CHECK(wt_documents("wo_iter_next", WO_DONE));
}

static void test_strerror(void) {
  /* Every stable code of workorder.h. */
  static const int codes[] = {WO_OK,           WO_ENOTFOUND,   WO_EINVALID,         WO_ESTATE,      WO_EFORBIDDEN,
                              WO_ECONFLICT,    WO_ESLOTFULL,   WO_ESLOTUNAVAILABLE, WO_EGRABLIMIT,  WO_EOUTOFSTOCK,
                              WO_EPAYMENT,     WO_ECHANNEL,    WO_EBUSY,            WO_ESTORAGE,    WO_ESCHEMA,
                              WO_EOVERFLOW,    WO_EINTERNAL,   WO_ESLOTHORIZON,     WO_ESLOTTOOEARLY, WO_EABORTED, WO_EINELIGIBLE, WO_ENULL,
                              WO_DONE};
  size_t i, j;
  CHECK_STR(wo_strerror(WO_OK), "ok");
  CHECK_STR(wo_strerror(WO_ENOTFOUND), "not found");
  CHECK_STR(wo_strerror(WO_EINVALID), "invalid argument");
  CHECK_STR(wo_strerror(WO_EOUTOFSTOCK), "out of stock, a requisition is needed");
  CHECK_STR(wo_strerror(WO_DONE), "no more records");
  CHECK_STR(wo_strerror(-1), "unknown status code");
  CHECK_STR(wo_strerror(22), "unknown status code");
  CHECK_STR(wo_strerror(99), "unknown status code");
  CHECK_STR(wo_strerror(101), "unknown status code");
  CHECK_STR(wo_strerror(1000000), "unknown status code");
  /* Each has its own non-empty text. */
  for (i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    CHECK(wo_strerror(codes[i]) != NULL);
    CHECK(strlen(wo_strerror(codes[i])) > 0);
    if (strcmp(wo_strerror(codes[i]), "unknown status code") == 0) fprintf(stderr, "code %d\n", codes[i]);
    CHECK(strcmp(wo_strerror(codes[i]), "unknown status code") != 0);
    for (j = 0; j < i; ++j) CHECK(strcmp(wo_strerror(codes[i]), wo_strerror(codes[j])) != 0);
  }
}

static void test_errmsg(void) {
  wo_input* in = NULL;
  /* "" before any failure and after a success; names the argument after a failure. */
  CHECK(wo_errmsg() != NULL);
  CHECK_OK(wo_input_new(&in));
  CHECK_STR(wo_errmsg(), "");
  CHECK_FAIL(WO_EINVALID, "field", wo_input_set_int(in, NULL, 1));
  CHECK(strlen(wo_errmsg()) > 0);
  CHECK_OK(wo_input_set_int(in, "x", 1));
  CHECK_STR(wo_errmsg(), "");
  wo_input_free(in);
}

/* Tables in the schema a PostgreSQL test location names. */
static int64_t pg_tables(const char* location) {
  return wt_pg_sql(location, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
}

/* Bad arguments are refused before anything is opened or created, on either backend. */
static void test_open_errors(void) {
  char location[WT_LOCATION_MAX];
  wo_db* db = (wo_db*)&location; /* any non-NULL value: failures must reset *out */
  struct stat st;
  wt_db_location(location, sizeof location, "open_errors");

  CHECK_FAIL(WO_EINVALID, "out", wo_db_open(NULL, location, 0, 0));
  CHECK_FAIL(WO_EINVALID, "path", wo_db_open(&db, NULL, 0, 0));
  CHECK(db == NULL);
  db = (wo_db*)&location;
  CHECK_FAIL(WO_EINVALID, "flags", wo_db_open(&db, location, 2, 0));
  CHECK(db == NULL);
  CHECK_FAIL(WO_EINVALID, "flags", wo_db_open(&db, location, -1, 0));
  CHECK_FAIL(WO_EINVALID, "busy_timeout_ms", wo_db_open(&db, location, 0, -1));
  CHECK(db == NULL);
  /* None of the failed calls created the database. */
  if (wt_on_postgres())
    CHECK_I64(pg_tables(location), 0);
  else
    CHECK(stat(location, &st) != 0);

  /* The flags and timeouts the header documents are accepted. */
  CHECK_OK(wo_db_open(&db, location, WO_OPEN_SYNC_NORMAL, 250));
  CHECK(db != NULL);
  wo_db_free(db);
  CHECK_OK(wo_db_open(&db, location, 0, 60000));
  CHECK(db != NULL);
  wo_db_free(db);
  if (wt_on_postgres()) CHECK(pg_tables(location) > 0); /* the schema was created in it */
  wt_db_drop(location);
}

/* SQLite paths: a directory that does not exist, and the private in-memory database. */
static void test_open_sqlite_errors(void) {
  char path[256];
  char bad[300];
  wo_db* db = (wo_db*)&path;
  wt_db_path(path, sizeof path, "open_sqlite");
  snprintf(bad, sizeof bad, "%s.no_such_dir/sub/x.db", path);
  CHECK_FAIL(WO_ESTORAGE, bad, wo_db_open(&db, bad, 0, 0));
  CHECK(db == NULL);
  CHECK_OK(wo_db_open(&db, ":memory:", 0, 0));
  CHECK(db != NULL);
  wo_db_free(db);
  wt_db_drop(path);
}

/* A PostgreSQL server that cannot be reached: WO_ESTORAGE naming the host and the database,
 * never the password, whether it came in the URI or from PGPASSWORD. Needs no server, so it
 * runs on both backends. */
static void test_open_postgres_unreachable(void) {
  static const char* uris[] = {"postgresql://u:secret@/nodb?host=/nonexistent",
                               "postgres://u:secret@/nodb?host=/nonexistent"};
  const char* old = getenv("PGPASSWORD");
  char saved[256] = "";
  size_t i;
  wo_db* db;
  for (i = 0; i < sizeof uris / sizeof uris[0]; ++i) {
    db = (wo_db*)&db;
    CHECK_FAIL(WO_ESTORAGE, "nodb", wo_db_open(&db, uris[i], 0, 0));
    CHECK(db == NULL);
    CHECK(strstr(wo_errmsg(), "/nonexistent") != NULL);
    CHECK(strstr(wo_errmsg(), "secret") == NULL);
  }

  if (old) snprintf(saved, sizeof saved, "%s", old);
  CHECK(setenv("PGPASSWORD", "envsecret", 1) == 0);
  db = (wo_db*)&db;
  CHECK_FAIL(WO_ESTORAGE, "nodb", wo_db_open(&db, "postgresql://u@/nodb?host=/nonexistent", 0, 0));
  CHECK(db == NULL);
  CHECK(strstr(wo_errmsg(), "envsecret") == NULL);
  if (old)
    CHECK(setenv("PGPASSWORD", saved, 1) == 0);
  else
    CHECK(unsetenv("PGPASSWORD") == 0);
}

static int64_t fake_now(void* ctx) {
  int64_t* t = (int64_t*)ctx;
  *t += 1000; /* each reading advances the clock by a second */
  return *t;
}

static void test_clock_and_schema(void) {
  char path[WT_LOCATION_MAX];
  wo_db* db;
  int64_t t = 1700000000000LL, now = -1;
  int32_t version = -1, again = -1;
  int64_t sys_ms;

  wt_db_location(path, sizeof path, "clock");
  db = wt_open(path, 0);

  /* The installed clock is what wo_db_now and every time rule read. */
  CHECK_OK(wo_db_set_clock(db, fake_now, &t));
  CHECK_OK(wo_db_now(&now, db));
  CHECK_I64(now, 1700000001000LL);
  CHECK_I64(t, 1700000001000LL);
  CHECK_OK(wo_db_now(&now, db));
  CHECK_I64(now, 1700000002000LL);

  /* NULL restores the system clock. */
  CHECK_OK(wo_db_set_clock(db, NULL, NULL));
  sys_ms = (int64_t)time(NULL) * 1000;
  CHECK_OK(wo_db_now(&now, db));
  CHECK(now >= sys_ms - 5000 && now <= sys_ms + 5000);
  CHECK_I64(t, 1700000002000LL); /* the old callback is no longer called */

  CHECK_FAIL(WO_EINVALID, "db", wo_db_set_clock(NULL, fake_now, &t));
  now = 42;
  CHECK_FAIL(WO_EINVALID, "db", wo_db_now(&now, NULL));
  CHECK_I64(now, 0);
  CHECK_FAIL(WO_EINVALID, "out", wo_db_now(NULL, db));

  CHECK_OK(wo_db_schema_version(&version, db));
  CHECK(version >= 1);
  CHECK_FAIL(WO_EINVALID, "out", wo_db_schema_version(NULL, db));
  again = 42;
  CHECK_FAIL(WO_EINVALID, "db", wo_db_schema_version(&again, NULL));
  CHECK_I64(again, 0);
  wo_db_free(db);

  /* Reopening keeps the version (no second migration). */
  db = wt_open(path, 0);
  CHECK_OK(wo_db_schema_version(&again, db));
  CHECK_I64(again, version);
  wo_db_free(db);
  wt_db_drop(path);
}

/* Reads a whole file into a malloc'ed buffer. */
static unsigned char* slurp(const char* path, long* size) {
  FILE* f = fopen(path, "rb");
  unsigned char* buf;
  CHECK(f != NULL);
  CHECK(fseek(f, 0, SEEK_END) == 0);
  *size = ftell(f);
  CHECK(*size > 100);
  CHECK(fseek(f, 0, SEEK_SET) == 0);
  buf = malloc((size_t)*size);
  CHECK(buf != NULL);
  CHECK(fread(buf, 1, (size_t)*size, f) == (size_t)*size);
  fclose(f);
  return buf;
}

/* A SQLite database whose PRAGMA user_version (header bytes 60..63, big-endian) is above
 * the library's: WO_ESCHEMA, and the file is left untouched. */
static void test_schema_too_new_sqlite(void) {
  char path[256];
  wo_db* db;
  int32_t version = 0;
  unsigned char* before;
  unsigned char* after;
  long size_before, size_after;
  FILE* f;
  unsigned char newer[4];
  const uint32_t v = 1000000u;

  wt_db_path(path, sizeof path, "schema");
  db = wt_open(path, 0);
  CHECK_OK(wo_db_schema_version(&version, db));
  wo_db_free(db); /* checkpoints and removes the WAL */

  newer[0] = (unsigned char)(v >> 24);
  newer[1] = (unsigned char)(v >> 16);
  newer[2] = (unsigned char)(v >> 8);
  newer[3] = (unsigned char)v;
  f = fopen(path, "r+b");
  CHECK(f != NULL);
  CHECK(fseek(f, 60, SEEK_SET) == 0);
  CHECK(fwrite(newer, 1, 4, f) == 4);
  fclose(f);

  before = slurp(path, &size_before);
  db = (wo_db*)path;
  CHECK_FAIL(WO_ESCHEMA, path, wo_db_open(&db, path, 0, 0));
  CHECK(db == NULL);
  after = slurp(path, &size_after);
  CHECK_I64(size_after, size_before);
  CHECK(memcmp(before, after, (size_t)size_before) == 0);
  free(before);
  free(after);
  wt_db_drop(path);
}

/* A PostgreSQL schema whose wo_schema table says version 99, above the library's: WO_ESCHEMA
 * naming the version, and nothing in the schema changes (no migration, no new version). */
static void test_schema_too_new_postgres(void) {
  char location[WT_LOCATION_MAX];
  wo_db* db;
  int32_t version = 0;
  int64_t tables;

  wt_db_location(location, sizeof location, "schema_pg");
  db = wt_open(location, 0);
  CHECK_OK(wo_db_schema_version(&version, db));
  CHECK(version >= 1 && version < 99);
  wo_db_free(db);

  CHECK_I64(wt_pg_sql(location, "UPDATE wo_schema SET version = 99"), 1);
  tables = pg_tables(location);
  db = (wo_db*)location;
  CHECK_FAIL(WO_ESCHEMA, "schema version 99", wo_db_open(&db, location, 0, 0));
  CHECK(db == NULL);
  CHECK(strstr(wo_errmsg(), "newer") != NULL);
  CHECK_I64(wt_pg_sql(location, "SELECT count(*) FROM wo_schema"), 1);
  CHECK_I64(wt_pg_sql(location, "SELECT max(version) FROM wo_schema"), 99);
  CHECK_I64(pg_tables(location), tables);
  wt_db_drop(location);
}

/* Two handles on one database see each other's commits. */
static void test_two_handles(void) {
  wt_env env;
  wo_db* second;
  wo_record* org = NULL;
  wt_env_open(&env, "two_handles", 0);
  second = wt_open(env.location, 0);
  CHECK_OK(wo_org_get(&org, second, env.sys, env.a.org_id));
  CHECK_STR(wt_get_text(org, "name"), "Org A");
  wo_record_free(org);
  wo_db_free(second);
  wt_env_close(&env);
}

static void test_actors(void) {
  wo_actor* a = (wo_actor*)&a;
  CHECK_FAIL(WO_EINVALID, "out", wo_actor_system(NULL));
  CHECK_FAIL(WO_EINVALID, "out", wo_actor_staff(NULL, 1));
  CHECK_FAIL(WO_EINVALID, "out", wo_actor_contact(NULL, 1));
  CHECK_FAIL(WO_EINVALID, "staff_id", wo_actor_staff(&a, 0));
  CHECK(a == NULL);
  a = (wo_actor*)&a;
  CHECK_FAIL(WO_EINVALID, "staff_id", wo_actor_staff(&a, -5));
  CHECK(a == NULL);
  a = (wo_actor*)&a;
  CHECK_FAIL(WO_EINVALID, "contact_id", wo_actor_contact(&a, 0));
  CHECK(a == NULL);
  CHECK_OK(wo_actor_staff(&a, 7));
  CHECK(a != NULL);
  wo_actor_free(a);
  CHECK_OK(wo_actor_contact(&a, 7));
  CHECK(a != NULL);
  wo_actor_free(a);
  CHECK_OK(wo_actor_system(&a));
  CHECK(a != NULL);
  wo_actor_free(a);
}

static void test_inputs(void) {
  wo_input* in = (wo_input*)&in;
  CHECK_FAIL(WO_EINVALID, "out", wo_input_new(NULL));
  CHECK_FAIL(WO_EINVALID, "input", wo_input_set_int(NULL, "name", 1));
  CHECK_FAIL(WO_EINVALID, "input", wo_input_set_text(NULL, "name", "x"));
  CHECK_FAIL(WO_EINVALID, "input", wo_input_set_null(NULL, "name"));
  CHECK_OK(wo_input_new(&in));
  CHECK_FAIL(WO_EINVALID, "field", wo_input_set_int(in, NULL, 1));
  CHECK_FAIL(WO_EINVALID, "field", wo_input_set_text(in, NULL, "x"));
  CHECK_FAIL(WO_EINVALID, "value of field 'name' is NULL", wo_input_set_text(in, "name", NULL));
  CHECK_FAIL(WO_EINVALID, "value of field 'tags' is NULL", wo_input_add_text(in, "tags", NULL));
  CHECK_FAIL(WO_EINVALID, "field", wo_input_set_null(in, NULL));
  CHECK_OK(wo_input_set_text(in, "name", "x"));
  CHECK_OK(wo_input_set_null(in, "name"));
  wo_input_free(in);
}

/* Every free accepts NULL; every getter handles a NULL record. */
static void test_null_handles(void) {
  wo_record* rec = (wo_record*)&rec;
  int32_t type = 7;
  int64_t i = 7;
  const char* s = "x";
  wo_db_free(NULL);
  wo_actor_free(NULL);
  wo_input_free(NULL);
  wo_record_free(NULL);
  wo_iter_free(NULL);
  CHECK(wo_record_kind(NULL) == NULL);
  CHECK(wo_record_field_count(NULL) == 0);
  CHECK(wo_record_field_name(NULL, 0) == NULL);
  CHECK_FAIL(WO_EINVALID, "record", wo_record_field_type(&type, NULL, "id"));
  CHECK(type == WO_TYPE_NULL);
  CHECK_FAIL(WO_EINVALID, "record", wo_record_get_int(&i, NULL, "id"));
  CHECK_I64(i, 0);
  CHECK_FAIL(WO_EINVALID, "record", wo_record_get_text(&s, NULL, "name"));
  CHECK(s == NULL);
  CHECK_FAIL(WO_EINVALID, "iter", wo_iter_next(&rec, NULL));
  CHECK(rec == NULL);
}

int main(void) {
  test_version();
  test_documented_codes();
  test_strerror();
  test_errmsg();
  test_open_errors();
  test_open_postgres_unreachable();
  test_clock_and_schema();
  /* Each backend's own way of being newer; the other backend's test would only repeat the
   * run without WO_TEST_POSTGRES. */
  if (wt_on_postgres()) {
    test_schema_too_new_postgres();
  } else {
    test_open_sqlite_errors();
    test_schema_too_new_sqlite();
  }
  test_two_handles();
  test_actors();
  test_inputs();
  test_null_handles();
  printf("capi_basics_test: OK\n");
  return 0;
}
