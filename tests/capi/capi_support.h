/* SPDX-License-Identifier: MIT */
/*
 * capi_support.h — the small helpers shared by the C API tests (C99, C ABI only).
 *
 * CHECK_OK(call)                    the call returns WO_OK
 * CHECK_RC(code, call)              the call returns `code`
 * CHECK_FAIL(code, "needle", call)  the call returns `code` and wo_errmsg() contains "needle"
 *                                   (the field or value the message must name)
 * CHECK(cond)                       a plain condition
 * CHECK_STR(a, b) / CHECK_I64(a, b) equality with both values printed
 *
 * On failure each prints file:line, the call, the status, wo_strerror and wo_errmsg, and
 * exits with status 1. The CHECK_OK/RC/FAIL macros also fail when the status is not one the
 * header's comment lists for the wo_* function the checked expression calls.
 */
#ifndef WO_CAPI_SUPPORT_H
#define WO_CAPI_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "workorder.h"

void wt_check_rc(int got, int expected, const char* needle, const char* expr, const char* file, int line);
void wt_check(int cond, const char* expr, const char* file, int line);
void wt_check_str(const char* got, const char* expected, const char* expr, const char* file, int line);
void wt_check_i64(int64_t got, int64_t expected, const char* expr, const char* file, int line);

#define CHECK_OK(call) wt_check_rc((call), WO_OK, NULL, #call, __FILE__, __LINE__)
#define CHECK_RC(code, call) wt_check_rc((call), (code), NULL, #call, __FILE__, __LINE__)
#define CHECK_FAIL(code, needle, call) wt_check_rc((call), (code), (needle), #call, __FILE__, __LINE__)
#define CHECK(cond) wt_check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
#define CHECK_STR(got, expected) wt_check_str((got), (expected), #got " == " #expected, __FILE__, __LINE__)
#define CHECK_I64(got, expected) wt_check_i64((got), (expected), #got " == " #expected, __FILE__, __LINE__)

/* Whether the header's comment for function `fn` names status `code` (what the CHECK macros
 * hold every status to); 1 also for a name that is not a status-returning function. */
int wt_documents(const char* fn, int code);

/* ---- test databases --------------------------------------------------------------------- */

/* The backend of this run: PostgreSQL when the environment variable WO_TEST_POSTGRES holds a
 * server URI (ctest's "<name>:pg" variants set it), SQLite otherwise. Tests that are about
 * the engine run on whichever it is; only tests of one backend's own behaviour ask. */
int wt_on_postgres(void);

/* Room for any location wt_db_location writes. */
#define WT_LOCATION_MAX 1024

/* Writes into buf (size >= WT_LOCATION_MAX) the location of a fresh, empty database for test
 * `name` on this run's backend: a new temp file path on SQLite; on PostgreSQL the server URI with
 * options=-csearch_path%3D<schema> for a schema created just for it. wt_db_drop or the exit
 * (also after a failed check) removes it. */
void wt_db_location(char* buf, size_t size, const char* name);
/* Removes a database made by wt_db_location or wt_db_path (its files, or its schema) now.
 * Handles open on it must be freed first. */
void wt_db_drop(const char* location);

/* Writes "/tmp/wo_capi_<name>_<pid>.db" into buf (size >= 256) and removes any leftovers:
 * for the tests of SQLite files as such; removed at exit. */
void wt_db_path(char* buf, size_t size, const char* name);
/* Removes the database file and its -wal, -shm and -journal files. */
void wt_db_remove(const char* path);
/* Opens location (flags, default busy timeout), failing the test on error. */
wo_db* wt_open(const char* location, int32_t flags);

/* PostgreSQL runs only: runs one statement on the database `location` names (a URI from
 * wt_db_location, so unqualified names are its schema's) and returns the first column of
 * the first row as an integer for a query, the number of rows affected for a command.
 * Fails the test on any error. */
int64_t wt_pg_sql(const char* location, const char* sql);

/* ---- inputs and records -------------------------------------------------------------------- */

wo_input* wt_input(void);
/* Set a field and return the input (for chaining); fail the test on error. */
wo_input* wt_int(wo_input* in, const char* field, int64_t value);
wo_input* wt_text(wo_input* in, const char* field, const char* value);
wo_input* wt_null(wo_input* in, const char* field);

/* Field values of a record; fail the test unless the field has that type. */
int64_t wt_get_int(const wo_record* rec, const char* field);
const char* wt_get_text(const wo_record* rec, const char* field);
/* True when the field exists and is null. */
int wt_is_null(const wo_record* rec, const char* field);

/* Every field of the record as "name=value;..." in a malloc'ed string the caller frees;
 * used to check that a failed call changed nothing. */
char* wt_snapshot(const wo_record* rec);

/* Drains the iterator (checking WO_DONE sets *out to NULL and is repeatable), frees it and
 * returns how many records it produced. */
int64_t wt_count(wo_iter* it);

/* A string of n copies of the UTF-8 sequence `unit`, malloc'ed; the caller frees it. */
char* wt_repeat(const char* unit, int n);

/* ---- a standard fixture -------------------------------------------------------------------- */

/* An org with its first admin. */
typedef struct wt_org {
  int64_t org_id;
  int64_t admin_id;
  wo_actor* admin;
} wt_org;

typedef struct wt_env {
  char location[WT_LOCATION_MAX]; /* of the database (wt_db_location): for a second handle */
  wo_db* db;
  wo_actor* sys;
  wt_org a; /* "Org A", Asia/Shanghai */
  wt_org b; /* "Org B", Europe/Berlin */
} wt_env;

/* Opens a fresh database on this run's backend for test `name` and creates orgs A and B. */
void wt_env_open(wt_env* env, const char* name, int32_t flags);
/* Frees everything and drops the database (wt_db_drop). */
void wt_env_close(wt_env* env);
/* Creates a staff member of the admin's org with the given roles and phone (no department or
 * position) and returns its id. */
int64_t wt_staff(wo_db* db, const wo_actor* admin, const char* name, const char* phone, int32_t roles);

#endif /* WO_CAPI_SUPPORT_H */
