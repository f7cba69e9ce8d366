/* SPDX-License-Identifier: MIT */
/*
 * Every wo_errmsg() is valid UTF-8, even when the message names bytes a caller passed that are
 * not: those are escaped as \xNN (docs/c-abi.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_support.h"

/* 1 when s is valid UTF-8: shortest forms only, no surrogates, nothing above U+10FFFF. */
static int is_utf8(const char* s) {
  const unsigned char* p = (const unsigned char*)s;
  while (*p) {
    unsigned cp;
    int n, i;
    if (*p < 0x80) { ++p; continue; }
    if (*p >= 0xC2 && *p <= 0xDF) { cp = *p & 0x1Fu; n = 1; }
    else if (*p >= 0xE0 && *p <= 0xEF) { cp = *p & 0x0Fu; n = 2; }
    else if (*p >= 0xF0 && *p <= 0xF4) { cp = *p & 0x07u; n = 3; }
    else return 0;
    for (i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    p += n + 1;
  }
  return 1;
}

int main(void) {
  char location[512];
  wo_db* db;
  wo_actor* system;
  wo_input* org;
  wo_input* admin;
  wo_record* record;
  int64_t org_id, admin_id, value;
  const char* text;

  wt_db_location(location, sizeof location, "messages_utf8");
  db = wt_open(location, 0);
  CHECK_OK(wo_actor_system(&system));
  org = wt_text(wt_text(wt_input(), "name", "Sunshine"), "time_zone", "Asia/Shanghai");
  admin = wt_text(wt_text(wt_input(), "name", "Ada"), "phone", "13800000000");
  CHECK_OK(wo_org_create(&org_id, &admin_id, db, system, org, admin));
  CHECK_OK(wo_org_get(&record, db, system, org_id));

  /* A field name that is not UTF-8: the message names it, escaped. */
  CHECK_FAIL(WO_EINVALID, "na\\xC3me", wo_record_get_int(&value, record, "na\xC3me"));
  CHECK(is_utf8(wo_errmsg()));
  CHECK_FAIL(WO_EINVALID, "\\xFF\\xFE", wo_record_get_text(&text, record, "\xFF\xFE"));
  CHECK(is_utf8(wo_errmsg()));
  /* Valid UTF-8 is named as it is. */
  CHECK_FAIL(WO_EINVALID, "名称", wo_record_get_int(&value, record, "名称"));
  CHECK(is_utf8(wo_errmsg()));

  wo_record_free(record);
  wo_input_free(org);
  wo_input_free(admin);
  wo_actor_free(system);
  wo_db_free(db);
  wt_db_drop(location);
  puts("capi_messages_utf8_test: ok");
  return 0;
}
