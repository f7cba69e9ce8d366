/* SPDX-License-Identifier: MIT */
/* Threads (docs/c-abi.md, "Threads"): what the header promises each handle, shown with POSIX
 * threads. One wo_db written by 4 threads at once; one record read by 4 threads at once; an
 * iterator made on one thread and drained on another; a wo_input read by calls on several
 * threads; and wo_export_csv, whose writer runs inside the export's read transaction, holding
 * back a call on the same handle but not one on a second handle. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capi_support.h"

enum { threads = 4, per_thread = 25 };

typedef struct writer {
  wo_db* db;
  const wo_actor* admin;
  const wo_input* shared_input; /* read by every thread at once, changed by none */
  int index;
  int failures;
} writer;

static void* write_departments(void* arg) {
  writer* w = (writer*)arg;
  int i;
  for (i = 0; i < per_thread; ++i) {
    char name[64];
    int64_t id = 0;
    wo_input* in = NULL;
    snprintf(name, sizeof name, "Dept %d-%d", w->index, i);
    if (wo_input_new(&in) != WO_OK || wo_input_set_text(in, "name", name) != WO_OK) ++w->failures;
    if (wo_department_create(&id, w->db, w->admin, in) != WO_OK) ++w->failures;
    wo_input_free(in);
    if (i % 5 == 0) { /* the shared input, a filter, read by every thread at once */
      wo_iter* it = NULL;
      if (wo_department_list(&it, w->db, w->admin, w->shared_input) != WO_OK) ++w->failures;
      wo_iter_free(it);
    }
  }
  return NULL;
}

static void test_one_db_many_writers(wt_env* env) {
  pthread_t t[threads];
  writer w[threads];
  wo_input* shared = wt_int(wt_input(), "active", 1);
  wo_iter* it = NULL;
  int i, failures = 0;
  for (i = 0; i < threads; ++i) {
    w[i].db = env->db;
    w[i].admin = env->a.admin;
    w[i].shared_input = shared;
    w[i].index = i;
    w[i].failures = 0;
    CHECK(pthread_create(&t[i], NULL, write_departments, &w[i]) == 0);
  }
  for (i = 0; i < threads; ++i) {
    CHECK(pthread_join(t[i], NULL) == 0);
    failures += w[i].failures;
  }
  CHECK(failures == 0);
  CHECK_OK(wo_department_list(&it, env->db, env->a.admin, NULL));
  CHECK_I64(wt_count(it), threads * per_thread); /* wt_count frees it */
  wo_input_free(shared);
}

typedef struct reader {
  const wo_record* record;
  const char* expected_name;
  int64_t expected_id;
  int mismatches;
} reader;

static void* read_record(void* arg) {
  reader* r = (reader*)arg;
  int i;
  for (i = 0; i < 2000; ++i) {
    const char* name = NULL;
    int64_t id = 0;
    if (wo_record_get_text(&name, r->record, "name") != WO_OK || strcmp(name, r->expected_name) != 0) ++r->mismatches;
    if (wo_record_get_int(&id, r->record, "id") != WO_OK || id != r->expected_id) ++r->mismatches;
  }
  return NULL;
}

static void test_one_record_many_readers(wt_env* env) {
  pthread_t t[threads];
  reader r[threads];
  wo_record* org = NULL;
  int i;
  CHECK_OK(wo_org_get(&org, env->db, env->a.admin, env->a.org_id));
  for (i = 0; i < threads; ++i) {
    r[i].record = org;
    r[i].expected_name = "Org A";
    r[i].expected_id = env->a.org_id;
    r[i].mismatches = 0;
    CHECK(pthread_create(&t[i], NULL, read_record, &r[i]) == 0);
  }
  for (i = 0; i < threads; ++i) {
    CHECK(pthread_join(t[i], NULL) == 0);
    CHECK(r[i].mismatches == 0);
  }
  wo_record_free(org);
}

typedef struct drain {
  wo_iter* it;
  int64_t count;
} drain;

static void* drain_iterator(void* arg) {
  drain* d = (drain*)arg;
  d->count = wt_count(d->it);
  return NULL;
}

static void test_iterator_moves_to_another_thread(wt_env* env) {
  pthread_t t;
  drain d;
  d.it = NULL;
  d.count = -1;
  CHECK_OK(wo_department_list(&d.it, env->db, env->a.admin, NULL));
  CHECK(pthread_create(&t, NULL, drain_iterator, &d) == 0);
  CHECK(pthread_join(t, NULL) == 0);
  CHECK_I64(d.count, threads * per_thread); /* wt_count freed the iterator */
}

/* The export's writer waits until the test lets it go; meanwhile other threads call. */
typedef struct gate {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  int exporting; /* the writer has been called and waits */
  int released;
  int same_done, other_done;
  int same_rc, other_rc;
  int export_rc;
  wt_env* env;
  wo_db* other_db;
} gate;

static int blocking_write(void* ctx, const char* data, int64_t len) {
  gate* g = (gate*)ctx;
  (void)data;
  (void)len;
  pthread_mutex_lock(&g->lock);
  g->exporting = 1;
  pthread_cond_broadcast(&g->changed);
  while (!g->released) pthread_cond_wait(&g->changed, &g->lock);
  pthread_mutex_unlock(&g->lock);
  return 0;
}

static void* run_export(void* arg) {
  gate* g = (gate*)arg;
  g->export_rc = wo_export_csv(g->env->db, g->env->a.admin, NULL, blocking_write, g);
  return NULL;
}

static void* read_settings(void* arg, wo_db* db, int* rc, int* done) {
  gate* g = (gate*)arg;
  wo_record* settings = NULL;
  const int result = wo_settings_get(&settings, db, g->env->a.admin);
  wo_record_free(settings);
  pthread_mutex_lock(&g->lock);
  *rc = result;
  *done = 1;
  pthread_cond_broadcast(&g->changed);
  pthread_mutex_unlock(&g->lock);
  return NULL;
}

static void* read_on_same_handle(void* arg) {
  gate* g = (gate*)arg;
  return read_settings(arg, g->env->db, &g->same_rc, &g->same_done);
}

static void* read_on_other_handle(void* arg) {
  gate* g = (gate*)arg;
  return read_settings(arg, g->other_db, &g->other_rc, &g->other_done);
}

/* Waits until *flag is set or `seconds` pass; returns the flag. Call with g->lock held. */
static int wait_for(gate* g, const int* flag, int seconds) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += seconds;
  while (!*flag && pthread_cond_timedwait(&g->changed, &g->lock, &until) == 0) {
  }
  return *flag;
}

static void test_export_holds_back_its_handle_only(wt_env* env) {
  pthread_t exporter, same, other;
  gate g;
  memset(&g, 0, sizeof g);
  pthread_mutex_init(&g.lock, NULL);
  pthread_cond_init(&g.changed, NULL);
  g.env = env;
  g.other_db = wt_open(env->location, 0);

  CHECK(pthread_create(&exporter, NULL, run_export, &g) == 0);
  pthread_mutex_lock(&g.lock);
  CHECK(wait_for(&g, &g.exporting, 30));
  pthread_mutex_unlock(&g.lock);

  /* The export is inside its read transaction, in the host's writer. */
  CHECK(pthread_create(&same, NULL, read_on_same_handle, &g) == 0);
  CHECK(pthread_create(&other, NULL, read_on_other_handle, &g) == 0);
  pthread_mutex_lock(&g.lock);
  CHECK(wait_for(&g, &g.other_done, 30)); /* a second handle is not held back */
  CHECK(g.other_rc == WO_OK);
  CHECK(!wait_for(&g, &g.same_done, 1)); /* the export's own handle is, however long */
  g.released = 1;
  pthread_cond_broadcast(&g.changed);
  pthread_mutex_unlock(&g.lock);

  CHECK(pthread_join(exporter, NULL) == 0);
  CHECK(pthread_join(same, NULL) == 0);
  CHECK(pthread_join(other, NULL) == 0);
  CHECK(g.export_rc == WO_OK);
  CHECK(g.same_done && g.same_rc == WO_OK);
  wo_db_free(g.other_db);
  pthread_cond_destroy(&g.changed);
  pthread_mutex_destroy(&g.lock);
}

int main(void) {
  wt_env env;
  wt_env_open(&env, "capi_threads", 0);
  test_one_db_many_writers(&env);
  test_one_record_many_readers(&env);
  test_iterator_moves_to_another_thread(&env);
  test_export_holds_back_its_handle_only(&env);
  wt_env_close(&env);
  printf("capi_threads_test: OK\n");
  return 0;
}
