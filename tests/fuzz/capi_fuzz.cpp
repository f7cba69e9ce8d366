// SPDX-License-Identifier: MIT
// capi_fuzz.cpp — a libFuzzer target over the C ABI, written against workorder.h alone
// (tests/fuzz/README.md).
//
// An input is a program run on a fresh private in-memory database: a sequence of operations,
// at most max_ops of them, each an opcode byte, a length byte and that many bytes of
// arguments, so that a mutation of an argument never shifts the operations after it. Ids
// come from pools of the ids earlier calls returned (or from another pool, or any integer);
// texts from small dictionaries of good values or straight from the input, invalid UTF-8
// included; integers include INT64_MIN and INT64_MAX; instants lie around the test clock or
// outside 1970..9999. Arguments that run out read as 0, and 0 always makes the ordinary
// choice, so an operation given no argument bytes runs with its usual arguments. Arguments are
// drawn one statement at a time, never two in the arguments of one call (whose order C++
// leaves to the compiler), so an input is the same program in the clang build that fuzzes and
// the g++ builds that replay the corpus.
//
// What is checked, each by __builtin_trap() so that libFuzzer reports it:
//  - every status is one the header documents for the call; WO_EINTERNAL (a bug: nothing runs
//    out of memory here), WO_ESTORAGE, WO_EBUSY and WO_ESCHEMA (one thread, one private
//    in-memory database) never;
//  - wo_errmsg() is never NULL and always valid UTF-8: "" after a success, not "" after a failure;
//  - a failed call leaves its out-parameters NULL / 0;
//  - records: every field has a name, its type agrees with the getters, text is valid UTF-8;
//    figures the rules bound are within bounds (an order never refunded more than paid, stock
//    never below 0, a dashboard's counts by status and by rating add up, ...);
//  - iterators: WO_DONE repeats; lists come in key order; a cursor-paged list stopped anywhere
//    and resumed from wo_iter_cursor gives exactly the uninterrupted list;
//  - the CSV export is valid UTF-8 ending in CRLF, and stops with WO_EABORTED exactly when
//    the callback asks;
//  - wo_db_now reads the installed clock, and refuses it exactly outside 1970..9999.
// Every handle is freed before the input ends (the wo_db before its last iterators, as the
// header allows), so LeakSanitizer reports any leak.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "workorder.h"

namespace {

constexpr int max_ops = 64;             // operations per input
constexpr std::size_t max_drain = 64;   // records read from one iterator by one operation
constexpr std::size_t max_pool = 24;    // ids kept per kind
constexpr std::size_t max_actors = 32;  // actor handles kept
constexpr std::size_t max_iters = 4;    // iterators kept open across operations
constexpr std::size_t max_csv = 1 << 20;

constexpr int64_t i64_min = std::numeric_limits<int64_t>::min();
constexpr int64_t i64_max = std::numeric_limits<int64_t>::max();
constexpr int32_t i32_min = std::numeric_limits<int32_t>::min();
constexpr int32_t i32_max = std::numeric_limits<int32_t>::max();
constexpr int64_t minute = 60000;
constexpr int64_t hour = 60 * minute;
constexpr int64_t day = 24 * hour;
constexpr int64_t start_ms = 1700000000000;     // 2023-11-14T22:13:20Z, a Tuesday
constexpr int64_t latest_ms = 253370764800000;  // 9999-01-01T00:00Z, the last instant accepted

// Arithmetic of the program itself wraps instead of overflowing.
int64_t wrap_add(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); }
int64_t wrap_mul(int64_t a, int64_t b) { return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); }

template <class T, std::size_t N>
constexpr std::size_t count_of(const T (&)[N]) {
  return N;
}

// ---- checks ----------------------------------------------------------------------------------

bool valid_utf8(const char* s, std::size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(s);
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    std::size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

bool valid_utf8(const char* s) { return valid_utf8(s, std::strlen(s)); }

[[noreturn]] void violation(const char* what, const char* call, int rc) {
  const char* msg = wo_errmsg();
  std::fprintf(stderr, "capi_fuzz: %s\n  call: %s\n  status: %d (%s)\n  wo_errmsg: \"%s\"\n", what, call, rc,
               wo_strerror(rc), msg ? msg : "(NULL)");
  std::fflush(stderr);
  __builtin_trap();
}

void require(bool cond, const char* what, const char* call) {
  if (!cond) violation(what, call, WO_OK);
}

// Status sets: one bit per WO_* code, bit 31 for WO_DONE.
constexpr uint32_t bit(int code) { return 1u << code; }
constexpr uint32_t done_bit = 1u << 31;
constexpr uint32_t k_invalid = bit(WO_EINVALID);
// A call naming an actor: bad arguments, an actor that is unknown or may not see the record
// (WO_ENOTFOUND), an inactive actor (WO_EFORBIDDEN).
constexpr uint32_t k_actor = bit(WO_EINVALID) | bit(WO_ENOTFOUND) | bit(WO_EFORBIDDEN);
constexpr uint32_t k_create = k_actor | bit(WO_ECONFLICT);
constexpr uint32_t k_update = k_actor | bit(WO_ECONFLICT) | bit(WO_ESTATE);
constexpr uint32_t k_set_active = k_actor | bit(WO_ESTATE);
constexpr uint32_t k_step = k_actor | bit(WO_ESTATE);  // a life-cycle call (the header's common codes)
constexpr uint32_t k_slot = bit(WO_ESLOTFULL) | bit(WO_ESLOTUNAVAILABLE) | bit(WO_ESLOTHORIZON) | bit(WO_ESLOTTOOEARLY);
constexpr uint32_t k_payment = bit(WO_EPAYMENT) | bit(WO_ECHANNEL) | bit(WO_ECONFLICT);
constexpr uint32_t k_stock = k_actor | bit(WO_EOUTOFSTOCK) | bit(WO_EOVERFLOW);  // wo_stock_movement_create

// CAPI_FUZZ_TRACE=1 in the environment prints every call checked, with its status.
const bool trace = std::getenv("CAPI_FUZZ_TRACE") != nullptr;

// Checks the status of a call and the message that goes with it; returns the status.
int checked(int rc, uint32_t allowed, const char* call) {
  const char* msg = wo_errmsg();
  if (trace) std::fprintf(stderr, "%s -> %d %s\n", call, rc, msg ? msg : "(NULL)");
  if (!msg) violation("wo_errmsg() returned NULL", call, rc);
  if (!valid_utf8(msg)) violation("wo_errmsg() is not valid UTF-8", call, rc);
  const char* text = wo_strerror(rc);
  if (!text || !*text || !valid_utf8(text)) violation("wo_strerror() gave no valid text", call, rc);
  if (rc == WO_OK) {
    if (*msg) violation("a call that succeeded left a message", call, rc);
    return rc;
  }
  if (rc == WO_DONE) {
    if (!(allowed & done_bit)) violation("WO_DONE from a call that is not wo_iter_next", call, rc);
    return rc;
  }
  if (rc < 1 || rc > 30 || !(allowed & bit(rc))) violation("a status the header does not document for this call", call, rc);
  if (!*msg) violation("a call that failed left no message", call, rc);
  return rc;
}

#define CALL(allowed, expr) checked((expr), (allowed), #expr)
#define MUST(expr) must_ok((expr), #expr)

void must_ok(int rc, const char* call) {
  checked(rc, 0, call);  // anything but WO_OK is a violation
}

// ---- dictionaries ------------------------------------------------------------------------------

const char* const names[] = {"Electrical", "Plumbing", "水电维修", "A", "Zhang San", "李四", " padded ", "Tab\there",
                             "Ünïcødé", "🔧 Repairs", "x", "Line\nbreak", "Quote \" and ' and ,"};
const char* const phones[] = {"13900000001", "13900000002", "+86 139 0000 0003", "139-0000-0004", "(139) 0000 0005",
                              "+1 555 0100", "13100000001", "0", "abc", "+", "１３９０００００００６",
                              "1390000000712345678901234567890", "+86+86"};
const char* const zones[] = {"Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                             "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Niue", "UTC", "Etc/GMT+12",
                             "America/Sao_Paulo", "Africa/Casablanca", "Asia/Kathmandu", "Europe/Dublin",
                             "America/St_Johns", "Antarctica/Troll", "localtime", "posixrules", "Asia/Nowhere",
                             "../../etc/passwd", "asia/shanghai", "", "/", "Etc/../Etc/UTC"};
constexpr std::size_t good_zones = 15;  // the first ones are real IANA zones
// Currencies: ISO 4217 codes the library knows (with 0, 2 and 3 decimals), then ones it must
// refuse (a fund code, the wrong case, unknown, empty, a symbol).
const char* const currencies[] = {"CNY", "USD", "JPY", "EUR", "BHD", "KWD", "CLF", "cny", "XXXX", "", "¥"};
const char* const days_lists[] = {"mon,tue,wed,thu,fri", "sat,sun", "mon", "sun,mon,tue,wed,thu,fri,sat", "mon,mon",
                                  "Mon", "funday", "", ",", "mon,,tue", "tue, wed"};
const char* const window_lists[] = {"08:00-12:00,13:30-18:00", "00:00-24:00", "09:00-10:00", "02:00-03:00",
                                    "01:00-02:30", "23:00-24:00", "12:00-08:00", "08:00-08:30",
                                    "08:00-12:00,11:00-13:00", "8-12", "08:00-25:00", "", "00:00-00:00",
                                    "23:59-24:00", "08:00-12:00,"};
const char* const hours_lists[] = {"mon-fri 09:00-18:00", "", "mon-sun 00:00-24:00",
                                   "mon-fri 08:00-12:00,13:00-17:00; sat 10:00-14:00", "mon-fri 9-5", "funday 09:00-10:00",
                                   "mon 18:00-09:00", "sun 00:00-00:30", "mon-fri 09:00-12:00,11:00-13:00"};
const char* const exception_lists[] = {"2023-11-15 closed", "", "2023-11-18 09:00-12:00", "2023-02-29 closed",
                                       "2023-11-15 closed; 2023-11-16 closed", "closed", "2023-11-15 closed; 2023-11-15 closed"};
const char* const dates[] = {"2023-11-14", "2023-11-20", "2024-02-29", "2023-02-29", "2024-6-3", "9999-12-31",
                             "0000-01-01", "-001-01-01", "1969-12-31", "1970-01-01", "+999-01-01", "2024-03-31",
                             "2024-10-27", "9998-12-31", "2023-13-01", "2023-11-14x", "", "2023-11-1"};
const char* const descriptions[] = {"The socket in the kitchen sparks 插座冒火花", "Leaking tap", "x",
                                    "Door lock broken, CSV \"quotes\", commas, and\r\nnew lines", "=1+1", "漏水"};
const char* const searches[] = {"2023", "20231115-", "20231115-000001", "socket", "%", "_", "'", "\\", "插座", ""};
const char* const tokens[] = {"tok-1", "tok-2", "wx-1", "wx-2", "cash-1", "", " "};
const char* const units[] = {"pcs", "m", "kg", "个", ""};
const char* const skus[] = {"SOCK-1", "SOCK-2", "PIPE-1", "sock-1", "", "SKU with spaces"};
const char* const reasons[] = {"On leave today", "Customer asked", "x", "", "理由"};
const char* const field_names[] = {
    "id", "org_id", "name", "time_zone", "currency", "created_at", "active", "phone", "department_id",
    "position_id", "roles", "tenant_kind", "tenant_id", "order_type_id", "charge_mode", "deposit_fixed",
    "deposit_bps", "consumables_enabled", "subtype_id", "price", "default_rate", "labor_item_id", "rate", "sku",
    "unit", "unit_price", "stock", "material_id", "movement_kind", "qty", "order_id", "note", "staff_id",
    "grab_enabled", "grab_limit", "prepay_timeout_min", "accept_timeout_min", "rating_timeout_days",
    "auto_rating_score", "reopen_window_days", "channel", "enabled", "days", "windows", "slot_minutes", "capacity",
    "horizon_days", "lead_minutes", "spec_id", "description", "address", "unit_ref", "reporter_phone",
    "source_channel", "payer", "client_token", "slot_start", "attachments", "line_kind", "item_id", "amount",
    "provider_txn_id", "status_mask", "assignee_id", "reporter_contact_id", "reporter_staff_id", "created_from",
    "created_to", "text", "status", "number", "", "NAME", "name "};
// Bytes that are not UTF-8: a lone continuation, overlong, surrogate, beyond U+10FFFF, cut short.
const char* const bad_utf8[] = {"\xFF", "\x80", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE4\xB8", "\xF0\x9F\x94"};
const char* const long_units[] = {"a", "中", "🔧", "é"};
const int long_counts[] = {1, 64, 199, 200, 201, 1999, 2000, 2001};

const int64_t specials[] = {0,
                            1,
                            -1,
                            2,
                            5,
                            9,
                            10,
                            100,
                            1000,
                            1500,
                            3000,
                            10000,
                            10001,
                            i32_max,
                            int64_t{i32_max} + 1,
                            i32_min,
                            int64_t{1} << 32,
                            int64_t{1} << 53,
                            i64_max / 1000,
                            i64_max / 2 + 1,
                            i64_max - 1,
                            i64_max,
                            i64_min,
                            i64_min + 1};
const int64_t special_instants[] = {0,         -1,         1,       i64_min, i64_max, latest_ms, latest_ms + 1,
                                    latest_ms - 1, start_ms, -day,  i64_max / 1000 * 999, i64_min / 2};

// ---- the input ------------------------------------------------------------------------------------

class Input {
 public:
  Input(const uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ == end_; }
  uint8_t u8() { return p_ == end_ ? 0 : *p_++; }
  uint32_t u16() {
    const uint32_t hi = u8();
    return (hi << 8) | u8();
  }
  uint64_t u64() {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
    return v;
  }
  // A number below n (n at most 256); 0 when the input has run out.
  std::size_t below(std::size_t n) { return n ? u8() % n : 0; }
  // The next n bytes (fewer at the end) as an input of their own.
  Input take(std::size_t n) {
    const auto left = static_cast<std::size_t>(end_ - p_);
    if (n > left) n = left;
    Input part(p_, n);
    p_ += n;
    return part;
  }
  // Up to max bytes straight from the input, NULs and invalid UTF-8 included.
  std::string bytes(std::size_t max) {
    std::size_t n = below(max + 1);
    const auto left = static_cast<std::size_t>(end_ - p_);
    if (n > left) n = left;
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// ---- pools -----------------------------------------------------------------------------------

enum Pool {
  p_org,
  p_staff,
  p_dept,
  p_pos,
  p_tenant,
  p_contact,
  p_type,
  p_subtype,
  p_spec,
  p_service_item,
  p_labor_item,
  p_labor_rate,
  p_material,
  p_movement,
  p_order,
  p_line,
  p_event,
  p_slot,
  pool_count
};

// ---- inputs by field ---------------------------------------------------------------------------------

enum class Gen : uint8_t {
  name,
  phone,
  zone,
  currency,
  roles,
  enumeration,  // arg: how many values
  flag,
  money,
  qty,
  bps,
  count,  // arg: the good value
  score,
  days,
  windows,
  hours,       // weekly business hours
  exceptions,  // dated business-hour exceptions
  sku,
  unit,
  description,
  token,
  instant,
  mask,
  search,
  ref,  // arg: the pool
};

struct FieldSpec {
  const char* name;
  Gen gen;
  int arg;
  bool required;
};

const FieldSpec department_fields[] = {{"name", Gen::name, 0, true}};
const FieldSpec staff_fields[] = {{"name", Gen::name, 0, true},
                                  {"phone", Gen::phone, 0, true},
                                  {"department_id", Gen::ref, p_dept, false},
                                  {"position_id", Gen::ref, p_pos, false},
                                  {"roles", Gen::roles, 0, true}};
const FieldSpec tenant_fields[] = {{"name", Gen::name, 0, true}, {"tenant_kind", Gen::enumeration, 2, false}};
const FieldSpec contact_fields[] = {
    {"tenant_id", Gen::ref, p_tenant, true}, {"name", Gen::name, 0, true}, {"phone", Gen::phone, 0, true}};
const FieldSpec order_type_fields[] = {{"name", Gen::name, 0, true},
                                       {"department_id", Gen::ref, p_dept, true},
                                       {"position_id", Gen::ref, p_pos, true},
                                       {"dispatch_strategy", Gen::enumeration, 3, false}};
const FieldSpec subtype_fields[] = {{"order_type_id", Gen::ref, p_type, true},
                                    {"name", Gen::name, 0, true},
                                    {"charge_mode", Gen::enumeration, 4, true},
                                    {"deposit_fixed", Gen::money, 0, false},
                                    {"deposit_bps", Gen::bps, 0, false},
                                    {"consumables_enabled", Gen::flag, 0, false},
                                    {"response_target_min", Gen::count, 30, false},
                                    {"resolution_target_min", Gen::count, 240, false}};
const FieldSpec priced_fields[] = {
    {"subtype_id", Gen::ref, p_subtype, true}, {"name", Gen::name, 0, true}, {"price", Gen::money, 0, true}};
const FieldSpec labor_item_fields[] = {{"name", Gen::name, 0, true}, {"default_rate", Gen::money, 0, false}};
const FieldSpec labor_rate_fields[] = {{"labor_item_id", Gen::ref, p_labor_item, true},
                                       {"department_id", Gen::ref, p_dept, true},
                                       {"position_id", Gen::ref, p_pos, false},
                                       {"rate", Gen::money, 0, true}};
const FieldSpec material_fields[] = {{"sku", Gen::sku, 0, true},
                                     {"name", Gen::name, 0, true},
                                     {"unit", Gen::unit, 0, true},
                                     {"unit_price", Gen::money, 0, true}};

const FieldSpec active_filter[] = {{"active", Gen::flag, 0, false}};
const FieldSpec staff_filter[] = {{"phone", Gen::phone, 0, false},
                                  {"department_id", Gen::ref, p_dept, false},
                                  {"position_id", Gen::ref, p_pos, false},
                                  {"active", Gen::flag, 0, false}};
const FieldSpec tenant_filter[] = {{"tenant_kind", Gen::enumeration, 2, false}, {"active", Gen::flag, 0, false}};
const FieldSpec contact_filter[] = {{"tenant_id", Gen::ref, p_tenant, false},
                                    {"phone", Gen::phone, 0, false},
                                    {"active", Gen::flag, 0, false}};
const FieldSpec order_type_filter[] = {{"department_id", Gen::ref, p_dept, false},
                                       {"position_id", Gen::ref, p_pos, false},
                                       {"active", Gen::flag, 0, false}};
const FieldSpec subtype_filter[] = {{"order_type_id", Gen::ref, p_type, false},
                                    {"charge_mode", Gen::enumeration, 4, false},
                                    {"active", Gen::flag, 0, false}};
const FieldSpec priced_filter[] = {{"subtype_id", Gen::ref, p_subtype, false}, {"active", Gen::flag, 0, false}};
const FieldSpec labor_rate_filter[] = {{"labor_item_id", Gen::ref, p_labor_item, false},
                                       {"department_id", Gen::ref, p_dept, false},
                                       {"position_id", Gen::ref, p_pos, false},
                                       {"active", Gen::flag, 0, false}};
const FieldSpec material_filter[] = {{"sku", Gen::sku, 0, false}, {"active", Gen::flag, 0, false}};

const FieldSpec org_fields[] = {
    {"name", Gen::name, 0, true}, {"time_zone", Gen::zone, 0, true}, {"currency", Gen::currency, 0, false}};
const FieldSpec admin_fields[] = {
    {"name", Gen::name, 0, true}, {"phone", Gen::phone, 0, true}, {"roles", Gen::roles, 0, false}};
const FieldSpec movement_fields[] = {{"material_id", Gen::ref, p_material, true},
                                     {"movement_kind", Gen::enumeration, 2, true},
                                     {"qty", Gen::qty, 0, true},
                                     {"note", Gen::name, 0, false}};
const FieldSpec movement_filter[] = {{"material_id", Gen::ref, p_material, false},
                                     {"movement_kind", Gen::enumeration, 5, false},
                                     {"order_id", Gen::ref, p_order, false}};
const FieldSpec settings_fields[] = {{"grab_enabled", Gen::flag, 0, false},
                                     {"grab_limit", Gen::count, 2, false},
                                     {"prepay_timeout_min", Gen::count, 30, false},
                                     {"accept_timeout_min", Gen::count, 60, false},
                                     {"rating_timeout_days", Gen::count, 7, false},
                                     {"auto_rating_score", Gen::score, 0, false},
                                     {"reopen_window_days", Gen::count, 7, false},
                                     {"business_hours", Gen::hours, 0, false},
                                     {"business_exceptions", Gen::exceptions, 0, false},
                                     {"sla_warning_percent", Gen::count, 80, false}};
const FieldSpec schedule_fields[] = {{"days", Gen::days, 0, true},
                                     {"windows", Gen::windows, 0, true},
                                     {"slot_minutes", Gen::count, 60, true},
                                     {"capacity", Gen::count, 2, true},
                                     {"horizon_days", Gen::count, 14, true},
                                     {"lead_minutes", Gen::count, 0, false}};
const FieldSpec draft_fields[] = {{"subtype_id", Gen::ref, p_subtype, true},
                                  {"spec_id", Gen::ref, p_spec, false},
                                  {"description", Gen::description, 0, true},
                                  {"address", Gen::name, 0, true},
                                  {"source_channel", Gen::enumeration, 6, true},
                                  {"unit_ref", Gen::name, 0, false},
                                  {"tenant_id", Gen::ref, p_tenant, false},
                                  {"reporter_phone", Gen::phone, 0, false},
                                  {"payer", Gen::enumeration, 2, false},
                                  {"client_token", Gen::token, 0, false},
                                  {"slot_start", Gen::instant, 0, false}};
const FieldSpec payment_fields[] = {{"channel", Gen::enumeration, 6, true},
                                    {"amount", Gen::money, 0, true},
                                    {"provider_txn_id", Gen::token, 0, false}};
const FieldSpec line_fields[] = {
    {"line_kind", Gen::enumeration, 3, true}, {"item_id", Gen::ref, p_labor_item, true}, {"qty", Gen::qty, 0, true}};
const FieldSpec query_fields[] = {{"status_mask", Gen::mask, 0, false},
                                  {"order_type_id", Gen::ref, p_type, false},
                                  {"subtype_id", Gen::ref, p_subtype, false},
                                  {"assignee_id", Gen::ref, p_staff, false},
                                  {"tenant_id", Gen::ref, p_tenant, false},
                                  {"reporter_contact_id", Gen::ref, p_contact, false},
                                  {"reporter_staff_id", Gen::ref, p_staff, false},
                                  {"created_from", Gen::instant, 0, false},
                                  {"created_to", Gen::instant, 0, false},
                                  {"text", Gen::search, 0, false}};

struct Fields {
  const FieldSpec* specs;
  std::size_t count;
};
template <std::size_t N>
constexpr Fields fields_of(const FieldSpec (&specs)[N]) {
  return {specs, N};
}

// ---- the catalog's record kinds -------------------------------------------------------------------

using CreateFn = int (*)(int64_t*, wo_db*, const wo_actor*, const wo_input*);
using UpdateFn = int (*)(wo_db*, const wo_actor*, int64_t, const wo_input*);
using SetActiveFn = int (*)(wo_db*, const wo_actor*, int64_t, int32_t);
using GetFn = int (*)(wo_record**, wo_db*, const wo_actor*, int64_t);
using ListFn = int (*)(wo_iter**, wo_db*, const wo_actor*, const wo_input*);

enum Want { want_admin, want_dispatcher, want_technician, want_contact, want_system, want_any };

struct CatalogKind {
  const char* kind_name;
  CreateFn create;
  UpdateFn update;
  SetActiveFn set_active;
  GetFn get;
  ListFn list;
  Pool pool;
  Fields fields;
  Fields filters;
  Want creator;
};

#define WO_KIND(name) #name, wo_##name##_create, wo_##name##_update, wo_##name##_set_active, wo_##name##_get, wo_##name##_list
const CatalogKind catalog[] = {
    {WO_KIND(department), p_dept, fields_of(department_fields), fields_of(active_filter), want_admin},
    {WO_KIND(position), p_pos, fields_of(department_fields), fields_of(active_filter), want_admin},
    {WO_KIND(staff), p_staff, fields_of(staff_fields), fields_of(staff_filter), want_admin},
    {WO_KIND(tenant), p_tenant, fields_of(tenant_fields), fields_of(tenant_filter), want_dispatcher},
    {WO_KIND(contact), p_contact, fields_of(contact_fields), fields_of(contact_filter), want_dispatcher},
    {WO_KIND(order_type), p_type, fields_of(order_type_fields), fields_of(order_type_filter), want_admin},
    {WO_KIND(subtype), p_subtype, fields_of(subtype_fields), fields_of(subtype_filter), want_admin},
    {WO_KIND(service_spec), p_spec, fields_of(priced_fields), fields_of(priced_filter), want_admin},
    {WO_KIND(service_item), p_service_item, fields_of(priced_fields), fields_of(priced_filter), want_admin},
    {WO_KIND(labor_item), p_labor_item, fields_of(labor_item_fields), fields_of(active_filter), want_admin},
    {WO_KIND(labor_rate), p_labor_rate, fields_of(labor_rate_fields), fields_of(labor_rate_filter), want_admin},
    {WO_KIND(material), p_material, fields_of(material_fields), fields_of(material_filter), want_admin},
};
#undef WO_KIND

// ---- the program ------------------------------------------------------------------------------------

struct ActorRef {
  wo_actor* handle;
  int kind;       // WO_ACTOR_*
  int64_t id;     // staff or contact id; 0 for the system actor
  int64_t org;    // 0 when not known
  int64_t roles;  // staff: the roles it was created with, as far as known
};

struct OpenIter {
  wo_iter* iter;
  bool has_cursor;  // order lists and order records; every other list here is in key order
  Pool harvest;     // where the ids of its records go (pool_count: nowhere)
  int64_t last;     // the key of the last record handed out
};

// The CSV sink of wo_export_csv.
struct Sink {
  std::string out;
  int chunks = 0;
  int stop_at = -1;  // the chunk whose write returns `stop_with`; -1: never
  int stop_with = 1;
  bool stopped = false;
};

int write_csv(void* ctx, const char* data, int64_t len) {
  auto* sink = static_cast<Sink*>(ctx);
  require(len >= 0 && (len == 0 || data != nullptr), "the CSV writer got a bad chunk", "wo_export_csv");
  require(!sink->stopped, "the CSV writer was called again after it asked to stop", "wo_export_csv");
  if (sink->out.size() + static_cast<std::size_t>(len) > max_csv) {
    sink->stopped = true;
    return 1;
  }
  sink->out.append(data, static_cast<std::size_t>(len));
  if (sink->chunks++ == sink->stop_at) {
    sink->stopped = true;
    return sink->stop_with;
  }
  return 0;
}

int64_t read_clock(void* ctx) { return *static_cast<const int64_t*>(ctx); }

class Program {
 public:
  Program(const uint8_t* data, std::size_t size) : program_(data, size), in_(nullptr, 0) {}
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  ~Program() { finish(); }

  void run() {
    if (CALL(k_invalid, wo_db_open(&db_, ":memory:", 0, 0)) != WO_OK) violation("cannot open :memory:", "wo_db_open", 0);
    MUST(wo_db_set_clock(db_, read_clock, &now_));
    wo_actor* sys = nullptr;
    MUST(wo_actor_system(&sys));
    actors_.push_back({sys, WO_ACTOR_SYSTEM, 0, 0, 0});
    for (int op = 0; op < max_ops && !program_.done(); ++op) {
      const uint8_t opcode = program_.u8();
      in_ = program_.take(program_.u8());
      step(opcode);
    }
  }

 private:
  Input program_;  // opcode, length of the arguments, arguments; again
  Input in_;       // the arguments of the operation running
  wo_db* db_ = nullptr;
  int64_t now_ = start_ms;
  std::vector<ActorRef> actors_;
  std::vector<int64_t> pools_[pool_count];
  std::vector<std::string> cursors_;
  std::vector<std::pair<int64_t, int64_t>> specs_;  // (subtype, service spec of it)
  std::vector<OpenIter> iters_;
  int bootstraps_ = 0;

  // ---- the end of an input: everything freed, the database before its iterators ----

  void finish() {
    for (auto& a : actors_) wo_actor_free(a.handle);
    actors_.clear();
    wo_db_free(db_);
    db_ = nullptr;
    for (auto& it : iters_) {
      wo_record* r = nullptr;
      const int rc = CALL(k_actor | done_bit, wo_iter_next(&r, it.iter));
      if (rc == WO_OK) walk(r, "wo_iter_next after wo_db_free");
      wo_record_free(r);
      wo_iter_free(it.iter);
    }
    iters_.clear();
  }

  // ---- argument generators ----

  void remember(Pool p, int64_t id) {
    auto& v = pools_[p];
    for (int64_t x : v)
      if (x == id) return;
    if (v.size() < max_pool) v.push_back(id);
  }

  int64_t special() { return specials[in_.below(count_of(specials))]; }

  // An integer: mostly `good`, else near it, a special value or any 64 bits.
  int64_t number(int64_t good) {
    switch (in_.u8() % 8) {
      case 4: return wrap_add(good, static_cast<int8_t>(in_.u8()));
      case 5: return special();
      case 6: return -static_cast<int64_t>(in_.u16());
      case 7: return static_cast<int64_t>(in_.u64());
      default: return good;
    }
  }

  int32_t number32(int32_t good) {
    switch (in_.u8() % 8) {
      case 4: return good + static_cast<int8_t>(in_.u8());
      case 5: return in_.u8() & 1 ? i32_min : i32_max;
      case 6: return -static_cast<int32_t>(in_.u8());
      case 7: return static_cast<int32_t>(static_cast<uint32_t>(in_.u64()));
      default: return good;
    }
  }

  // An id: from its pool, another pool, a special value or any 64 bits.
  int64_t id(Pool p) {
    const uint8_t s = in_.u8();
    const auto& v = pools_[p];
    switch (s >> 5) {
      case 5: {
        const auto& other = pools_[s % pool_count];
        if (!other.empty()) return other[in_.below(other.size())];
        return special();
      }
      case 6: return special();
      case 7: return static_cast<int64_t>(in_.u64());
      default:
        if (!v.empty()) return v[s % v.size()];
        return s & 1 ? 1 : special();
    }
  }

  int64_t instant() {
    switch (in_.u8() % 8) {
      case 2: return wrap_add(now_, wrap_mul(static_cast<int8_t>(in_.u8()), minute));
      case 3: return wrap_add(now_, wrap_mul(static_cast<int8_t>(in_.u8()), day));
      case 4: {
        const auto& slots = pools_[p_slot];
        if (!slots.empty()) return slots[in_.below(slots.size())];
        return now_;
      }
      case 5: return special_instants[in_.below(count_of(special_instants))];
      case 6: return static_cast<int64_t>(in_.u64());
      case 7: return wrap_add(now_, wrap_mul(static_cast<int64_t>(in_.u16()), hour));
      default: return now_;
    }
  }

  template <std::size_t N>
  std::string text(const char* const (&dict)[N]) {
    const uint8_t s = in_.u8();
    switch (s % 16) {
      case 10: return in_.bytes(48);
      case 11: {
        const std::string unit = long_units[in_.below(count_of(long_units))];
        const uint8_t c = in_.u8();
        const std::size_t n = c < 240 ? static_cast<std::size_t>(long_counts[c % count_of(long_counts)]) : in_.u16() % 2100;
        std::string s2;
        for (std::size_t i = 0; i < n; ++i) s2 += unit;
        return s2;
      }
      case 12: {
        std::string t = dict[in_.below(N)];
        return t + bad_utf8[in_.below(count_of(bad_utf8))];
      }
      case 13: return "";
      case 14: {
        std::string t = bad_utf8[in_.below(count_of(bad_utf8))];
        return t + dict[in_.below(N)];
      }
      case 15: {
        std::string t = dict[in_.below(N)];
        return t + " " + std::to_string(in_.u8());
      }
      default: return dict[in_.below(N)];
    }
  }

  // A date as YYYY-MM-DD `offset` days from the clock's day.
  std::string date_near(int64_t offset) {
    int64_t days = now_ / day;
    if (now_ < 0 && now_ % day) --days;
    days = wrap_add(days, offset);
    if (days < -100000000 || days > 100000000) days = 0;
    // civil date from days since 1970-01-01 (proleptic Gregorian)
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t d = doy - (153 * mp + 2) / 5 + 1;
    const int64_t m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d));
    return buf;
  }

  std::string date() {
    const uint8_t s = in_.u8();
    if (s % 4 == 3) return text(dates);
    return date_near(static_cast<int8_t>(in_.u8()));
  }

  // ---- inputs ----

  wo_input* new_input() {
    wo_input* in = nullptr;
    MUST(wo_input_new(&in));
    return in;
  }

  void set_int(wo_input* in, const char* field, int64_t v) { MUST(wo_input_set_int(in, field, v)); }
  void set_text(wo_input* in, const char* field, const std::string& v) {
    MUST(wo_input_set_text(in, field, v.c_str()));
  }

  void set_good(wo_input* in, const FieldSpec& f) {
    switch (f.gen) {
      case Gen::name: return set_text(in, f.name, text(names));
      case Gen::phone: return set_text(in, f.name, text(phones));
      case Gen::zone: return set_text(in, f.name, text(zones));
      case Gen::currency: return set_text(in, f.name, text(currencies));
      case Gen::roles: {
        static const int64_t good[] = {WO_ROLE_TECHNICIAN, WO_ROLE_DISPATCHER, WO_ROLE_ADMIN, 7, 6, 3, 5};
        return set_int(in, f.name, number(good[in_.below(count_of(good))]));
      }
      case Gen::enumeration: return set_int(in, f.name, number(static_cast<int64_t>(in_.below(static_cast<std::size_t>(f.arg)))));
      case Gen::flag: return set_int(in, f.name, number(in_.u8() & 1 ? 0 : 1));
      case Gen::money: {
        static const int64_t good[] = {3000, 10000, 500, 0, 2000, 8000, 1};
        return set_int(in, f.name, number(good[in_.below(count_of(good))]));
      }
      case Gen::qty: {
        static const int64_t good[] = {1000, 1500, 500, 10000, 1};
        return set_int(in, f.name, number(good[in_.below(count_of(good))]));
      }
      case Gen::bps: return set_int(in, f.name, number(in_.u8() & 1 ? 10000 : 5000));
      case Gen::count: return set_int(in, f.name, number(f.arg));
      case Gen::score: return set_int(in, f.name, number(1 + static_cast<int64_t>(in_.below(5))));
      case Gen::days: return set_text(in, f.name, text(days_lists));
      case Gen::windows: return set_text(in, f.name, text(window_lists));
      case Gen::hours: return set_text(in, f.name, text(hours_lists));
      case Gen::exceptions: return set_text(in, f.name, text(exception_lists));
      case Gen::sku: return set_text(in, f.name, text(skus));
      case Gen::unit: return set_text(in, f.name, text(units));
      case Gen::description: return set_text(in, f.name, text(descriptions));
      case Gen::token: return set_text(in, f.name, text(tokens));
      case Gen::instant: return set_int(in, f.name, instant());
      case Gen::mask: {
        static const int64_t good[] = {0, 1 << WO_STATUS_PENDING_DISPATCH, 0xFF, (1 << 6) | (1 << 7), -1, 256, i64_min};
        return set_int(in, f.name, good[in_.below(count_of(good))]);
      }
      case Gen::search: return set_text(in, f.name, text(searches));
      case Gen::ref: return set_int(in, f.name, id(static_cast<Pool>(f.arg)));
    }
  }

  // A value of any type for any field name.
  void set_wild(wo_input* in, const char* field) {
    switch (in_.u8() % 5) {
      case 0: return set_int(in, field, number(0));
      case 1: return set_text(in, field, text(names));
      case 2: MUST(wo_input_set_null(in, field)); return;
      case 3: MUST(wo_input_add_text(in, field, text(names).c_str())); return;
      default: return set_text(in, field, in_.bytes(16));
    }
  }

  // An input for `fields`: required ones mostly set well, optional ones mostly left out; then
  // a few fields of any name set to anything.
  wo_input* build(Fields fields, bool all_optional = false) {
    wo_input* in = new_input();
    for (std::size_t i = 0; i < fields.count; ++i) {
      const FieldSpec& f = fields.specs[i];
      const uint8_t mode = in_.u8() % 8;
      const bool required = f.required && !all_optional;
      if (mode < 4) {
        if (required) set_good(in, f);
      } else if (mode == 4) {
        set_good(in, f);
      } else if (mode == 6) {
        MUST(wo_input_set_null(in, f.name));
      } else if (mode == 7) {
        set_wild(in, f.name);
      }
    }
    for (std::size_t extra = in_.u8() % 4; extra > 0; --extra) {
      const uint8_t s = in_.u8();
      const std::string name = s < 224 ? std::string(field_names[s % count_of(field_names)]) : in_.bytes(12);
      set_wild(in, name.c_str());
    }
    return in;
  }

  // ---- actors ----

  bool matches(const ActorRef& a, Want w) const {
    switch (w) {
      case want_admin: return a.kind == WO_ACTOR_STAFF && (a.roles & WO_ROLE_ADMIN);
      case want_dispatcher: return a.kind == WO_ACTOR_STAFF && (a.roles & (WO_ROLE_ADMIN | WO_ROLE_DISPATCHER));
      case want_technician: return a.kind == WO_ACTOR_STAFF && (a.roles & WO_ROLE_TECHNICIAN);
      case want_contact: return a.kind == WO_ACTOR_CONTACT;
      case want_system: return a.kind == WO_ACTOR_SYSTEM;
      case want_any: return true;
    }
    return true;
  }

  // The index of an actor: mostly one that fits the call, sometimes any; -1 for NULL.
  int pick(Want w) {
    const uint8_t s = in_.u8();
    if (s == 255) return -1;
    if (s < 192) {
      // The system actor last: it may do least.
      std::vector<int> fit;
      for (std::size_t i = 1; i <= actors_.size(); ++i)
        if (matches(actors_[i % actors_.size()], w)) fit.push_back(static_cast<int>(i % actors_.size()));
      if (!fit.empty()) return fit[s % fit.size()];
    }
    return static_cast<int>(s % actors_.size());
  }

  const wo_actor* handle(int i) const { return i < 0 ? nullptr : actors_[static_cast<std::size_t>(i)].handle; }
  int64_t org_of(int i) const { return i < 0 ? 0 : actors_[static_cast<std::size_t>(i)].org; }

  // The index of the actor for staff or contact `who`, made when there is none.
  int actor_for(int kind, int64_t who, int64_t org, int64_t roles) {
    for (std::size_t i = 0; i < actors_.size(); ++i)
      if (actors_[i].kind == kind && actors_[i].id == who) return static_cast<int>(i);
    if (actors_.size() >= max_actors || who <= 0) return -1;
    wo_actor* a = nullptr;
    if (kind == WO_ACTOR_STAFF)
      MUST(wo_actor_staff(&a, who));
    else
      MUST(wo_actor_contact(&a, who));
    actors_.push_back({a, kind, who, org, roles});
    return static_cast<int>(actors_.size() - 1);
  }

  // An actor of org `org` that fits `w` (or any that fits), -1 when there is none.
  int find(Want w, int64_t org) const {
    int any = -1;
    for (std::size_t i = 0; i < actors_.size(); ++i) {
      if (!matches(actors_[i], w)) continue;
      if (actors_[i].org == org) return static_cast<int>(i);
      if (any < 0) any = static_cast<int>(i);
    }
    return any;
  }

  // ---- records and iterators ----

  // Reads every field of a record every way, checking that the answers agree.
  void walk(const wo_record* r, const char* call) {
    require(r != nullptr, "a call that succeeded returned no record", call);
    const char* record_kind = wo_record_kind(r);
    require(record_kind && *record_kind && valid_utf8(record_kind), "a record without a kind", call);
    const int32_t n = wo_record_field_count(r);
    require(n > 0, "a record without fields", call);
    require(wo_record_field_name(r, n) == nullptr && wo_record_field_name(r, -1) == nullptr,
            "a field name out of range", call);
    std::vector<int32_t> types(static_cast<std::size_t>(n));
    std::vector<int64_t> ints(static_cast<std::size_t>(n));
    std::vector<const char*> texts(static_cast<std::size_t>(n));
    MUST(wo_record_values(types.data(), ints.data(), texts.data(), r, n));
    require(CALL(k_invalid, wo_record_values(types.data(), ints.data(), texts.data(), r, n + 1)) == WO_EINVALID,
            "wo_record_values read beyond the fields", call);
    for (int32_t i = 0; i < n; ++i) {
      const char* name = wo_record_field_name(r, i);
      require(name && *name && valid_utf8(name), "a field without a name", call);
      int32_t type = -1;
      int32_t type_at = -1;
      MUST(wo_record_field_type(&type, r, name));
      MUST(wo_record_field_type_at(&type_at, r, i));
      int64_t v = 7;
      int64_t v_at = 7;
      const char* t = "x";
      const char* t_at = "x";
      const int irc = CALL(k_invalid | bit(WO_ENULL), wo_record_get_int(&v, r, name));
      const int trc = CALL(k_invalid | bit(WO_ENULL), wo_record_get_text(&t, r, name));
      const int irc_at = CALL(k_invalid | bit(WO_ENULL), wo_record_get_int_at(&v_at, r, i));
      const int trc_at = CALL(k_invalid | bit(WO_ENULL), wo_record_get_text_at(&t_at, r, i));
      const auto k = static_cast<std::size_t>(i);
      require(type_at == type && irc_at == irc && trc_at == trc && v_at == v && t_at == t && types[k] == type &&
                  ints[k] == v && texts[k] == t,
              "a field read by index differs from the same field read by name", call);
      switch (type) {
        case WO_TYPE_INT:
          require(irc == WO_OK && trc == WO_EINVALID && t == nullptr, "an integer field read otherwise", call);
          break;
        case WO_TYPE_TEXT:
          require(trc == WO_OK && irc == WO_EINVALID && v == 0, "a text field read otherwise", call);
          require(t != nullptr && valid_utf8(t), "a text field that is not valid UTF-8", call);
          break;
        case WO_TYPE_NULL:
          require(irc == WO_ENULL && trc == WO_ENULL && v == 0 && t == nullptr, "a null field read otherwise", call);
          break;
        default: violation("an unknown field type", call, type);
      }
    }
    require(CALL(k_invalid, wo_record_get_int_at(&ints[0], r, n)) == WO_EINVALID, "a field index out of range was read",
            call);
    check_figures(r, record_kind, call);
    int64_t v = 7;
    int32_t type = 7;
    require(CALL(k_invalid, wo_record_get_int(&v, r, "no_such_field")) == WO_EINVALID && v == 0,
            "a field that does not exist was found", call);
    require(CALL(k_invalid, wo_record_field_type(&type, r, "")) == WO_EINVALID, "the field \"\" was found", call);
    require(CALL(k_invalid, wo_record_get_int(&v, r, nullptr)) == WO_EINVALID, "a NULL field name was accepted", call);
  }

  // What the rules say of the figures of some record kinds.
  static void check_figures(const wo_record* r, const char* record_kind, const char* call) {
    const auto f = [r](const char* field) { return int_field(r, field, 0); };
    const std::string k = record_kind;
    if (k == "order") {
      require(f("status") >= WO_STATUS_AWAITING_PREPAYMENT && f("status") <= WO_STATUS_CANCELLED, "order status", call);
      require(f("paid") >= 0 && f("refunded") >= 0 && f("refunded") <= f("paid"), "an order refunded more than paid",
              call);
      require(int_field(r, "rating", 1) >= 1 && int_field(r, "rating", 1) <= 5, "an order rating", call);
      require(f("reopen_count") >= 0 && f("prepay_due") >= 0 && f("lines_total") >= 0, "order figures", call);
      for (const char* clock : {"response", "resolution"}) {
        const auto g = [&](const char* what) { return f((std::string(clock) + "_" + what).c_str()); };
        require(g("state") >= WO_SERVICE_NONE && g("state") <= WO_SERVICE_BREACHED && g("used_ms") >= 0 &&
                    g("alerts") >= 0 && g("alerts") <= 2,
                "an order's service-level clock", call);
      }
    } else if (k == "material") {
      require(f("stock") >= 0, "a material's stock below 0", call);
    } else if (k == "charge_line") {
      require(f("qty") > 0 && f("amount") >= 0 && f("unit_price") >= 0, "charge line figures", call);
    } else if (k == "payment") {
      require(f("amount") > 0, "a payment of 0 or less", call);
    } else if (k == "slot") {
      require(f("end") > f("start") && f("capacity") >= 1 && f("booked") >= 0 && (f("available") | 1) == 1,
              "slot figures", call);
    } else if (k == "event") {
      require(f("action") >= 0 && f("action") <= WO_ACTION_SLA_BREACH && f("concerns") >= 0 &&
                  f("concerns") <= WO_AUDIENCE_DISPATCHERS,
              "event enums", call);
    } else if (k == "dashboard") {
      int64_t by_status = 0, by_rating = 0;
      static const char* const statuses[] = {"status_awaiting_prepayment", "status_pending_dispatch",
                                             "status_pending_accept",      "status_in_progress",
                                             "status_awaiting_payment",    "status_awaiting_rating",
                                             "status_completed",           "status_cancelled"};
      static const char* const ratings[] = {"rating_1", "rating_2", "rating_3", "rating_4", "rating_5"};
      for (const char* s : statuses) {
        require(f(s) >= 0, "a dashboard count below 0", call);
        by_status += f(s);
      }
      for (const char* s : ratings) by_rating += f(s);
      require(by_status == f("orders"), "the dashboard's orders by status do not add up", call);
      require(by_rating == f("rated") && f("rated") <= f("orders"), "the dashboard's ratings do not add up", call);
      require(f("completion_rate_bp") >= 0 && f("completion_rate_bp") <= 10000 && f("reopen_rate_bp") >= 0,
              "a dashboard rate out of range", call);
    }
  }

  static int64_t int_field(const wo_record* r, const char* field, int64_t otherwise) {
    int64_t v = 0;
    return wo_record_get_int(&v, r, field) == WO_OK ? v : otherwise;
  }

  // Walks the next record of an iterator and keeps its id; returns the status. With `last`,
  // the records must come in ascending order of their key (id; start for slots).
  int next(wo_iter* it, Pool harvest, const char* call, int64_t* id_out = nullptr, int64_t* last = nullptr) {
    wo_record* r = nullptr;
    const int rc = CALL(k_actor | done_bit, wo_iter_next(&r, it));
    if (rc != WO_OK) {
      require(r == nullptr, "a failed wo_iter_next left a record", call);
      if (rc == WO_DONE) {
        require(CALL(k_actor | done_bit, wo_iter_next(&r, it)) == WO_DONE && r == nullptr, "WO_DONE did not repeat",
                call);
      }
      return rc;
    }
    walk(r, call);
    const int64_t rid = int_field(r, harvest == p_slot ? "start" : "id", 0);
    if (harvest != pool_count && (harvest == p_slot || rid > 0)) remember(harvest, rid);
    if (harvest == p_event) {
      const int64_t order = int_field(r, "order_id", 0);
      if (order > 0) remember(p_order, order);
    }
    if (id_out) *id_out = rid;
    if (last) {
      require(rid > *last, "a list out of order", call);
      *last = rid;
    }
    wo_record_free(r);
    return rc;
  }

  // Reads up to max_drain records and frees the iterator.
  void drain(wo_iter* it, Pool harvest, const char* call, bool ordered = true) {
    int64_t last = i64_min;
    for (std::size_t i = 0; i < max_drain; ++i)
      if (next(it, harvest, call, nullptr, ordered ? &last : nullptr) != WO_OK) break;
    wo_iter_free(it);
  }

  // Keeps an iterator open for later operations, or drains it.
  void keep_or_drain(wo_iter* it, bool has_cursor, Pool harvest, const char* call) {
    if (iters_.size() < max_iters && (in_.u8() & 1)) {
      iters_.push_back({it, has_cursor, harvest, i64_min});
      return;
    }
    drain(it, harvest, call, !has_cursor);
  }

  // r by reference: it is read after the call that set it, whatever the order the arguments
  // of get_record are evaluated in.
  void get_record(int rc, wo_record*& r, const char* call) {
    if (rc == WO_OK)
      walk(r, call);
    else
      require(r == nullptr, "a failed call left a record", call);
    wo_record_free(r);
  }

  // ---- the operations ----

  void step(uint8_t opcode) {
    switch (opcode % 48) {
      case 0: return op_bootstrap();
      case 1: return op_clock();
      case 2: return op_actor();
      case 3: return op_org();
      case 4: return op_catalog_create();
      case 5: return op_catalog_update();
      case 6: return op_catalog_set_active();
      case 7: return op_catalog_get();
      case 8: return op_catalog_list();
      case 9: return op_stock();
      case 10: return op_labor_rate_resolve();
      case 11: return op_settings();
      case 12: return op_channels();
      case 13: return op_submit();
      case 14: return op_pay_prepayment();
      case 15: return op_assign_or_grab();
      case 16: return op_accept_or_reject();
      case 17: return op_transfer();
      case 18: return op_add_line();
      case 19: return op_remove_line();
      case 20: return op_finish();
      case 21: return op_pay_or_refund();
      case 22: return op_rate();
      case 23: return op_reopen_or_cancel();
      case 24: return op_message();
      case 25: return op_tick();
      case 26: return op_order_read();
      case 27: return op_schedule();
      case 28: return op_availability();
      case 29: return op_reschedule();
      case 30: return op_order_list();
      case 31: return op_order_records();
      case 32: return op_iter();
      case 33: return op_export();
      case 34: return op_dashboard();
      case 35: return op_event_feed();
      case 36: return op_paging();
      case 37: return op_null_arguments();
      case 38: return op_open();
      default: return op_drive();
    }
  }

  int64_t create(CreateFn fn, const char* call, int actor, wo_input* in, Pool pool, uint32_t allowed = k_create) {
    int64_t new_id = -1;
    const int rc = checked(fn(&new_id, db_, handle(actor), in), allowed, call);
    wo_input_free(in);
    if (rc != WO_OK) {
      require(new_id == 0, "a failed create left an id", call);
      return 0;
    }
    require(new_id > 0, "a create returned an id <= 0", call);
    remember(pool, new_id);
    return new_id;
  }

  // An org with a small but complete catalog, so that orders can go their whole way.
  void op_bootstrap() {
    if (bootstraps_ >= 2) return;
    ++bootstraps_;
    const int sys = 0;
    wo_input* org = new_input();
    set_text(org, "name", bootstraps_ == 1 ? "Org A" : "Org B");
    set_text(org, "time_zone", zones[in_.below(good_zones)]);
    wo_input* admin = new_input();
    set_text(admin, "name", "Admin");
    set_text(admin, "phone", "13000000001");
    int64_t org_id = -1, admin_id = -1;
    const int rc = CALL(k_actor, wo_org_create(&org_id, &admin_id, db_, handle(sys), org, admin));
    wo_input_free(org);
    wo_input_free(admin);
    if (rc != WO_OK) {
      require(org_id == 0 && admin_id == 0, "a failed wo_org_create left ids", "wo_org_create");
      return;
    }
    remember(p_org, org_id);
    remember(p_staff, admin_id);
    const int a = actor_for(WO_ACTOR_STAFF, admin_id, org_id, WO_ROLE_ADMIN);
    if (a < 0) return;
    auto named = [&](const char* name) {
      wo_input* in = new_input();
      set_text(in, "name", name);
      return in;
    };
    const int64_t dept = create(wo_department_create, "wo_department_create", a, named("Electrical"), p_dept);
    const int64_t pos = create(wo_position_create, "wo_position_create", a, named("Electrician"), p_pos);
    auto staff = [&](const char* name, const char* phone, bool eligible, int64_t roles) {
      wo_input* in = named(name);
      set_text(in, "phone", phone);
      set_int(in, "roles", roles);
      if (eligible) {
        set_int(in, "department_id", dept);
        set_int(in, "position_id", pos);
      }
      const int64_t s = create(wo_staff_create, "wo_staff_create", a, in, p_staff);
      if (s > 0) actor_for(WO_ACTOR_STAFF, s, org_id, roles);
    };
    staff("Tech One", "13100000001", true, WO_ROLE_TECHNICIAN);
    staff("Tech Two", "13100000002", true, WO_ROLE_TECHNICIAN);
    staff("Dispatcher", "13100000003", false, WO_ROLE_DISPATCHER);
    const int64_t tenant = create(wo_tenant_create, "wo_tenant_create", a, named("ACME"), p_tenant);
    wo_input* c = named("Zhang");
    set_int(c, "tenant_id", tenant);
    set_text(c, "phone", "13900000001");
    const int64_t contact = create(wo_contact_create, "wo_contact_create", a, c, p_contact);
    if (contact > 0) actor_for(WO_ACTOR_CONTACT, contact, org_id, 0);
    wo_input* t = named("Repairs");
    set_int(t, "department_id", dept);
    set_int(t, "position_id", pos);
    const int64_t type = create(wo_order_type_create, "wo_order_type_create", a, t, p_type);
    auto subtype = [&](const char* name, int64_t mode, int64_t deposit) {
      wo_input* in = named(name);
      set_int(in, "order_type_id", type);
      set_int(in, "charge_mode", mode);
      set_int(in, "consumables_enabled", 1);
      if (deposit) set_int(in, "deposit_fixed", deposit);
      return create(wo_subtype_create, "wo_subtype_create", a, in, p_subtype);
    };
    auto priced = [&](CreateFn fn, const char* call, Pool pool, int64_t sub, int64_t price) {
      wo_input* in = named("Standard");
      set_int(in, "subtype_id", sub);
      set_int(in, "price", price);
      const int64_t made = create(fn, call, a, in, pool);
      if (made > 0 && pool == p_spec) specs_.emplace_back(sub, made);
      return made;
    };
    const int64_t after = subtype("Fix", WO_CHARGE_AFTER_COMPLETION, 0);
    subtype("Check", WO_CHARGE_FREE, 0);
    const int64_t deposit = subtype("Socket", WO_CHARGE_PREPAY_DEPOSIT, 3000);
    const int64_t full = subtype("Install", WO_CHARGE_PREPAY_FULL, 0);
    priced(wo_service_spec_create, "wo_service_spec_create", p_spec, deposit, 10000);
    priced(wo_service_spec_create, "wo_service_spec_create", p_spec, full, 20000);
    priced(wo_service_item_create, "wo_service_item_create", p_service_item, after, 2000);
    wo_input* l = named("Hour");
    set_int(l, "default_rate", 6000);
    const int64_t labor = create(wo_labor_item_create, "wo_labor_item_create", a, l, p_labor_item);
    wo_input* lr = new_input();
    set_int(lr, "labor_item_id", labor);
    set_int(lr, "department_id", dept);
    set_int(lr, "rate", 8000);
    create(wo_labor_rate_create, "wo_labor_rate_create", a, lr, p_labor_rate);
    wo_input* m = named("Socket");
    set_text(m, "sku", "SOCK-1");
    set_text(m, "unit", "pcs");
    set_int(m, "unit_price", 500);
    const int64_t material = create(wo_material_create, "wo_material_create", a, m, p_material);
    wo_input* mv = new_input();
    set_int(mv, "material_id", material);
    set_int(mv, "movement_kind", WO_MOVEMENT_REQUISITION);
    set_int(mv, "qty", 10000);
    create(wo_stock_movement_create, "wo_stock_movement_create", a, mv, p_movement,
           k_stock);
    CALL(k_actor, wo_channel_set_enabled(db_, handle(a), WO_CHANNEL_WECHAT, 1));
    CALL(k_actor, wo_channel_set_enabled(db_, handle(a), WO_CHANNEL_CASH, 1));
    wo_input* s = new_input();
    set_int(s, "grab_enabled", 1);
    CALL(k_actor, wo_settings_update(db_, handle(a), s));
    wo_input_free(s);
  }

  void op_clock() {
    switch (in_.u8() % 8) {
      case 0: now_ = wrap_add(now_, wrap_mul(1 + in_.u8(), minute)); break;
      case 1: now_ = wrap_add(now_, wrap_mul(1 + in_.u8(), hour)); break;
      case 2: now_ = wrap_add(now_, wrap_mul(1 + in_.u8() % 64, day)); break;
      case 3: now_ = wrap_add(now_, -wrap_mul(in_.u8(), minute)); break;
      case 4: now_ = special_instants[in_.below(count_of(special_instants))]; break;
      case 5: now_ = static_cast<int64_t>(in_.u64()); break;
      case 6: now_ = start_ms; break;
      default:
        require(CALL(k_invalid, wo_db_set_clock(nullptr, read_clock, &now_)) == WO_EINVALID,
                "wo_db_set_clock took a NULL db", "wo_db_set_clock");
        MUST(wo_db_set_clock(db_, read_clock, &now_));
        break;
    }
    // The clock is read as it is, and refused outside 1970..9999.
    int64_t seen = -1;
    const int rc = CALL(k_invalid, wo_db_now(&seen, db_));
    require(rc == WO_OK ? seen == now_ : seen == 0, "wo_db_now does not read the installed clock", "wo_db_now");
    require((rc == WO_OK) == (now_ >= 0 && now_ <= latest_ms), "wo_db_now and the clock's range disagree", "wo_db_now");
  }

  void op_actor() {
    wo_actor* a = nullptr;
    int kind = WO_ACTOR_SYSTEM;
    int64_t who = 0;
    int rc;
    switch (in_.u8() % 3) {
      case 0: rc = CALL(k_invalid, wo_actor_system(&a)); break;
      case 1:
        kind = WO_ACTOR_STAFF;
        who = id(p_staff);
        rc = CALL(k_invalid, wo_actor_staff(&a, who));
        require((rc == WO_OK) == (who > 0), "wo_actor_staff and the id disagree", "wo_actor_staff");
        break;
      default:
        kind = WO_ACTOR_CONTACT;
        who = id(p_contact);
        rc = CALL(k_invalid, wo_actor_contact(&a, who));
        require((rc == WO_OK) == (who > 0), "wo_actor_contact and the id disagree", "wo_actor_contact");
        break;
    }
    if (rc != WO_OK) {
      require(a == nullptr, "a failed actor call left a handle", "wo_actor_*");
      return;
    }
    if (actors_.size() >= max_actors) {
      wo_actor_free(a);
      return;
    }
    int64_t org = 0, roles = 0;
    for (const auto& x : actors_)
      if (x.kind == kind && x.id == who) {
        org = x.org;
        roles = x.roles;
      }
    actors_.push_back({a, kind, who, org, roles});
  }

  void op_org() {
    switch (in_.u8() % 4) {
      case 0: {
        const int a = pick(want_system);
        wo_input* org = in_.u8() == 255 ? nullptr : build(fields_of(org_fields));
        wo_input* admin = in_.u8() == 255 ? nullptr : build(fields_of(admin_fields));
        int64_t org_id = -1, admin_id = -1;
        const int rc = CALL(k_actor, wo_org_create(&org_id, &admin_id, db_, handle(a), org, admin));
        wo_input_free(org);
        wo_input_free(admin);
        if (rc != WO_OK) {
          require(org_id == 0 && admin_id == 0, "a failed wo_org_create left ids", "wo_org_create");
          return;
        }
        remember(p_org, org_id);
        remember(p_staff, admin_id);
        actor_for(WO_ACTOR_STAFF, admin_id, org_id, WO_ROLE_ADMIN);
        return;
      }
      case 1: {
        const int a = pick(want_admin);
        const int64_t org = in_.u8() & 1 ? id(p_org) : org_of(a);
        wo_input* fields = build(fields_of(org_fields), true);
        CALL(k_actor, wo_org_update(db_, handle(a), org, fields));
        wo_input_free(fields);
        return;
      }
      case 2: {
        const int a = pick(want_any);
        const int64_t org = id(p_org);
        wo_record* r = nullptr;
        get_record(CALL(k_actor, wo_org_get(&r, db_, handle(a), org)), r, "wo_org_get");
        return;
      }
      default: {
        wo_iter* it = nullptr;
        const int rc = CALL(k_actor, wo_org_list(&it, db_, handle(pick(want_system))));
        if (rc == WO_OK) drain(it, p_org, "wo_org_list");
        return;
      }
    }
  }

  const CatalogKind& kind() { return catalog[in_.below(count_of(catalog))]; }

  // "wo_<kind>_<verb>", for messages.
  std::string call_name(const CatalogKind& k, const char* verb) {
    return std::string("wo_") + k.kind_name + "_" + verb;
  }

  void op_catalog_create() {
    const CatalogKind& k = kind();
    const int a = pick(k.creator);
    wo_input* fields = in_.u8() == 255 ? nullptr : build(k.fields);
    const std::string name = call_name(k, "create");
    const char* call = name.c_str();
    const int64_t new_id = create(k.create, call, a, fields, k.pool);
    if (new_id <= 0 || (k.pool != p_staff && k.pool != p_contact && k.pool != p_spec)) return;
    // A new staff member or contact acts too: read its roles back. A spec: whose it is.
    wo_record* r = nullptr;
    if (checked(k.get(&r, db_, handle(a), new_id), k_actor, call) != WO_OK) {
      require(r == nullptr, "a failed get left a record", call);
      return;
    }
    walk(r, call);
    if (k.pool == p_staff)
      actor_for(WO_ACTOR_STAFF, new_id, org_of(a), int_field(r, "roles", 0));
    else if (k.pool == p_contact)
      actor_for(WO_ACTOR_CONTACT, new_id, org_of(a), 0);
    else if (specs_.size() < max_pool)
      specs_.emplace_back(int_field(r, "subtype_id", 0), new_id);
    wo_record_free(r);
  }

  void op_catalog_update() {
    const CatalogKind& k = kind();
    const int a = pick(k.creator);
    wo_input* fields = in_.u8() == 255 ? nullptr : build(k.fields, true);
    const int64_t target = id(k.pool);
    checked(k.update(db_, handle(a), target, fields), k_update, call_name(k, "update").c_str());
    wo_input_free(fields);
  }

  void op_catalog_set_active() {
    const CatalogKind& k = kind();
    const int a = pick(k.creator);
    const int64_t target = id(k.pool);
    const int32_t active = number32(in_.u8() & 1);
    checked(k.set_active(db_, handle(a), target, active), k_set_active, call_name(k, "set_active").c_str());
  }

  void op_catalog_get() {
    const CatalogKind& k = kind();
    const std::string call = call_name(k, "get");
    const int a = pick(want_any);
    const int64_t target = id(k.pool);
    wo_record* r = nullptr;
    get_record(checked(k.get(&r, db_, handle(a), target), k_actor, call.c_str()), r, call.c_str());
  }

  void op_catalog_list() {
    const CatalogKind& k = kind();
    const int a = pick(want_any);
    wo_input* filter = in_.u8() % 2 ? build(k.filters) : nullptr;
    const std::string call = call_name(k, "list");
    wo_iter* it = nullptr;
    const int rc = checked(k.list(&it, db_, handle(a), filter), k_actor, call.c_str());
    wo_input_free(filter);
    if (rc == WO_OK)
      keep_or_drain(it, false, k.pool, "wo_iter_next");
    else
      require(it == nullptr, "a failed list left an iterator", call.c_str());
  }

  void op_stock() {
    const int a = pick(want_admin);
    switch (in_.u8() % 3) {
      case 0:
        create(wo_stock_movement_create, "wo_stock_movement_create", a, build(fields_of(movement_fields)), p_movement,
               k_stock);
        return;
      case 1: {
        const int64_t movement = id(p_movement);
        wo_record* r = nullptr;
        get_record(CALL(k_actor, wo_stock_movement_get(&r, db_, handle(a), movement)), r, "wo_stock_movement_get");
        return;
      }
      default: {
        wo_input* filter = in_.u8() % 2 ? build(fields_of(movement_filter)) : nullptr;
        wo_iter* it = nullptr;
        const int rc = CALL(k_actor, wo_stock_movement_list(&it, db_, handle(a), filter));
        wo_input_free(filter);
        if (rc == WO_OK) keep_or_drain(it, false, p_movement, "wo_stock_movement_list");
        return;
      }
    }
  }

  void op_labor_rate_resolve() {
    const int a = pick(want_any);
    const int64_t item = id(p_labor_item);
    const int64_t staff = id(p_staff);
    int64_t rate = -1;
    const int rc = CALL(k_actor, wo_labor_rate_resolve(&rate, db_, handle(a), item, staff));
    require(rc == WO_OK || rate == 0, "a failed wo_labor_rate_resolve left a rate", "wo_labor_rate_resolve");
  }

  void op_settings() {
    const int a = pick(want_admin);
    if (in_.u8() % 2) {
      wo_record* r = nullptr;
      get_record(CALL(k_actor, wo_settings_get(&r, db_, handle(a))), r, "wo_settings_get");
      return;
    }
    wo_input* fields = in_.u8() == 255 ? nullptr : build(fields_of(settings_fields), true);
    CALL(k_actor, wo_settings_update(db_, handle(a), fields));
    wo_input_free(fields);
  }

  void op_channels() {
    const int a = pick(want_admin);
    if (in_.u8() % 2) {
      wo_iter* it = nullptr;
      if (CALL(k_actor, wo_channel_list(&it, db_, handle(a))) == WO_OK) drain(it, pool_count, "wo_channel_list");
      return;
    }
    const int32_t channel = number32(static_cast<int32_t>(in_.below(6)));
    const int32_t enabled = number32(in_.u8() & 1 ? 0 : 1);
    CALL(k_actor, wo_channel_set_enabled(db_, handle(a), static_cast<wo_channel>(channel), enabled));
  }

  // ---- the life cycle ----

  // An order draft. Its first byte can ask for a subtype with its service spec (bit 0) and a
  // slot seen in wo_slot_availability (bit 1), which random fields rarely match.
  wo_input* draft() {
    const uint8_t smart = in_.u8();
    wo_input* in = build(fields_of(draft_fields));
    for (std::size_t n = in_.u8() % 16; n > 0 && n < 12; --n)
      MUST(wo_input_add_text(in, "attachments", text(names).c_str()));
    if ((smart & 1) && !specs_.empty()) {
      const auto& pair = specs_[in_.below(specs_.size())];
      set_int(in, "subtype_id", pair.first);
      set_int(in, "spec_id", pair.second);
    }
    if ((smart & 2) && !pools_[p_slot].empty()) set_int(in, "slot_start", pools_[p_slot][in_.below(pools_[p_slot].size())]);
    return in;
  }

  void submit(int a, wo_input* in) {
    int64_t order = -1;
    const int rc = CALL(k_actor | k_slot | bit(WO_ECONFLICT), wo_order_submit(&order, db_, handle(a), in));
    wo_input_free(in);
    if (rc != WO_OK) {
      require(order == 0, "a failed wo_order_submit left an id", "wo_order_submit");
      return;
    }
    require(order > 0, "wo_order_submit returned an id <= 0", "wo_order_submit");
    remember(p_order, order);
  }

  void op_submit() {
    const int a = pick(in_.u8() % 3 ? want_contact : want_dispatcher);
    submit(a, in_.u8() == 255 ? nullptr : draft());
  }

  wo_input* payment(int64_t amount, int32_t channel) {
    wo_input* in = build(fields_of(payment_fields), true);
    if (in_.u8() % 4 != 3) {
      set_int(in, "channel", channel);
      set_int(in, "amount", number(amount));
    }
    return in;
  }

  void op_pay_prepayment() {
    const int a = pick(want_contact);
    wo_input* p = payment(3000, WO_CHANNEL_WECHAT);
    const int64_t order = id(p_order);
    CALL(k_step | k_payment, wo_order_pay_prepayment(db_, handle(a), order, p));
    wo_input_free(p);
  }

  void op_assign_or_grab() {
    const uint8_t choice = in_.u8();
    if (choice % 5 == 4) {
      const int a = pick(want_dispatcher);
      int64_t staff = -1;
      const int rc = CALL(k_step, wo_order_dispatch_preview(&staff, db_, handle(a), id(p_order)));
      require(rc == WO_OK ? staff >= 0 : staff == 0, "a dispatch preview's staff_out", "wo_order_dispatch_preview");
      return;
    }
    if (choice % 2) {
      const int a = pick(want_technician);
      const int64_t order = id(p_order);
      CALL(k_step | bit(WO_EGRABLIMIT), wo_order_grab(db_, handle(a), order));
      return;
    }
    const int a = pick(want_dispatcher);
    const int64_t order = id(p_order);
    const int64_t staff = id(p_staff);
    const int32_t force = number32(0);
    CALL(k_step | bit(WO_EGRABLIMIT) | bit(WO_EINELIGIBLE), wo_order_assign(db_, handle(a), order, staff, force));
  }

  const char* reason_or_null(std::string& keep) {
    if (in_.u8() == 255) return nullptr;
    keep = text(reasons);
    return keep.c_str();
  }

  void op_accept_or_reject() {
    const int a = pick(want_technician);
    const bool accept = in_.u8() % 2;
    const int64_t order = id(p_order);
    if (accept) {
      CALL(k_step, wo_order_accept(db_, handle(a), order));
      return;
    }
    std::string keep;
    const char* reason = reason_or_null(keep);
    CALL(k_step, wo_order_reject(db_, handle(a), order, reason));
  }

  void op_transfer() {
    const int a = pick(in_.u8() % 2 ? want_technician : want_dispatcher);
    const int64_t order = id(p_order);
    const int64_t to = id(p_staff);
    std::string keep;
    const char* reason = reason_or_null(keep);
    const int32_t force = number32(0);
    CALL(k_step | bit(WO_EGRABLIMIT) | bit(WO_EINELIGIBLE), wo_order_transfer(db_, handle(a), order, to, reason, force));
  }

  wo_input* line() {
    wo_input* in = build(fields_of(line_fields));
    // The item of the kind the line names, most of the time.
    static const Pool items[] = {p_labor_item, p_material, p_service_item};
    const uint8_t s = in_.u8();
    if (s < 192) {
      set_int(in, "line_kind", s % 3);
      set_int(in, "item_id", id(items[s % 3]));
    }
    return in;
  }

  void add_line(int a, int64_t order) {
    wo_input* in = in_.u8() == 255 ? nullptr : line();
    int64_t line_id = -1;
    const int rc = CALL(k_step | bit(WO_EOUTOFSTOCK) | bit(WO_EOVERFLOW), wo_order_add_line(&line_id, db_, handle(a), order, in));
    wo_input_free(in);
    if (rc == WO_OK) {
      require(line_id > 0, "wo_order_add_line returned an id <= 0", "wo_order_add_line");
      remember(p_line, line_id);
    } else {
      require(line_id == 0, "a failed wo_order_add_line left an id", "wo_order_add_line");
    }
  }

  void op_add_line() {
    const int a = pick(want_technician);
    add_line(a, id(p_order));
  }

  void op_remove_line() {
    const int a = pick(want_technician);
    const int64_t order = id(p_order);
    const int64_t line_id = id(p_line);
    CALL(k_step, wo_order_remove_line(db_, handle(a), order, line_id));
  }

  void op_finish() {
    const int a = pick(want_technician);
    const int64_t order = id(p_order);
    CALL(k_step, wo_order_finish(db_, handle(a), order));
  }

  void op_pay_or_refund() {
    const int a = pick(in_.u8() % 2 ? want_contact : want_dispatcher);
    wo_input* p = payment(7000, WO_CHANNEL_CASH);
    const bool pay = in_.u8() % 2;
    const int64_t order = id(p_order);
    if (pay)
      CALL(k_step | k_payment, wo_order_pay(db_, handle(a), order, p));
    else
      CALL(k_step | bit(WO_EPAYMENT) | bit(WO_ECONFLICT), wo_order_refund(db_, handle(a), order, p));
    wo_input_free(p);
  }

  void op_rate() {
    const int a = pick(want_contact);
    std::string comment;
    const char* c = in_.u8() % 2 ? nullptr : (comment = text(descriptions)).c_str();
    const int64_t order = id(p_order);
    const int32_t score = number32(5);
    CALL(k_step, wo_order_rate(db_, handle(a), order, score, c));
  }

  void op_reopen_or_cancel() {
    const int a = pick(in_.u8() % 2 ? want_contact : want_dispatcher);
    const bool reopen = in_.u8() % 2;
    const int64_t order = id(p_order);
    std::string keep;
    const char* reason = reason_or_null(keep);
    if (reopen)
      CALL(k_step, wo_order_reopen(db_, handle(a), order, reason));
    else
      CALL(k_step, wo_order_cancel(db_, handle(a), order, reason));
  }

  void op_message() {
    const int a = pick(want_any);
    const int64_t order = id(p_order);
    std::string keep;
    const char* message = in_.u8() == 255 ? nullptr : (keep = text(descriptions)).c_str();
    CALL(k_step, wo_order_message(db_, handle(a), order, message));
  }

  void op_tick() {
    int64_t changed = -1;
    const int a = pick(want_system);
    const int64_t at = instant();
    const int rc = CALL(k_actor, wo_tick(&changed, db_, handle(a), at));
    require(rc == WO_OK ? changed >= 0 : changed == 0, "wo_tick's count", "wo_tick");
  }

  void op_order_read() {
    const int a = pick(want_any);
    const int64_t order = id(p_order);
    wo_iter* it = nullptr;
    switch (in_.u8() % 6) {
      case 0: {
        wo_record* r = nullptr;
        get_record(CALL(k_actor, wo_order_get(&r, db_, handle(a), order)), r, "wo_order_get");
        return;
      }
      case 1:
        if (CALL(k_actor, wo_order_attachments(&it, db_, handle(a), order)) == WO_OK)
          keep_or_drain(it, false, pool_count, "wo_order_attachments");
        return;
      case 2:
        if (CALL(k_actor, wo_order_lines(&it, db_, handle(a), order)) == WO_OK)
          keep_or_drain(it, false, p_line, "wo_order_lines");
        return;
      case 3:
        if (CALL(k_actor, wo_order_payments(&it, db_, handle(a), order)) == WO_OK)
          keep_or_drain(it, false, pool_count, "wo_order_payments");
        return;
      case 4:
        if (CALL(k_actor, wo_order_timeline(&it, db_, handle(a), order, id(p_event))) == WO_OK)
          keep_or_drain(it, false, p_event, "wo_order_timeline");
        return;
      default:
        if (CALL(k_actor, wo_order_messages(&it, db_, handle(a), order)) == WO_OK)
          keep_or_drain(it, false, p_event, "wo_order_messages");
        return;
    }
  }

  // ---- slots ----

  void op_schedule() {
    const int64_t subtype = id(p_subtype);
    switch (in_.u8() % 3) {
      case 0: {
        const int a = pick(want_admin);
        wo_input* fields = in_.u8() == 255 ? nullptr : build(fields_of(schedule_fields));
        CALL(k_actor, wo_schedule_set(db_, handle(a), subtype, fields));
        wo_input_free(fields);
        return;
      }
      case 1: {
        const int a = pick(want_any);
        wo_record* r = nullptr;
        get_record(CALL(k_actor, wo_schedule_get(&r, db_, handle(a), subtype)), r, "wo_schedule_get");
        return;
      }
      default: {
        const int a = pick(want_admin);
        CALL(k_actor, wo_schedule_clear(db_, handle(a), subtype));
        return;
      }
    }
  }

  void op_availability() {
    const int a = pick(in_.u8() % 2 ? want_contact : want_dispatcher);
    const int64_t subtype = id(p_subtype);
    const uint8_t s = in_.u8();
    std::string from = s % 4 == 3 ? text(dates) : date_near(static_cast<int8_t>(in_.u8()) % 8);
    std::string to = s % 4 == 2 ? text(dates) : date_near(in_.u8() % 70);
    wo_iter* it = nullptr;
    const int rc = CALL(k_actor, wo_slot_availability(&it, db_, handle(a), subtype, s == 255 ? nullptr : from.c_str(),
                                                      to.c_str()));
    if (rc == WO_OK)
      keep_or_drain(it, false, p_slot, "wo_slot_availability");
    else
      require(it == nullptr, "a failed wo_slot_availability left an iterator", "wo_slot_availability");
  }

  void op_reschedule() {
    const int a = pick(in_.u8() % 2 ? want_contact : want_dispatcher);
    const int64_t order = id(p_order);
    const int64_t slot = instant();
    CALL(k_step | k_slot, wo_order_reschedule(db_, handle(a), order, slot));
  }

  // ---- lists, records, export, dashboard, feed ----

  wo_input* query() { return in_.u8() % 3 == 0 ? nullptr : build(fields_of(query_fields)); }

  const char* cursor(std::string& keep) {
    const uint8_t s = in_.u8();
    switch (s % 8) {
      case 1:
      case 2:
        if (!cursors_.empty()) {
          keep = cursors_[in_.below(cursors_.size())];
          return keep.c_str();
        }
        return "";
      case 3:
        if (!cursors_.empty()) {  // a damaged cursor
          keep = cursors_[in_.below(cursors_.size())];
          if (!keep.empty()) keep[in_.below(keep.size())] = static_cast<char>(in_.u8() | 1);
          return keep.c_str();
        }
        return "";
      case 4: return nullptr;
      case 5: keep = in_.bytes(40); return keep.c_str();
      default: return "";
    }
  }

  int32_t page_size() {
    static const int32_t sizes[] = {1, 2, 3, 50, 200, 0, -1, 201, i32_min, i32_max};
    const uint8_t s = in_.u8();
    return s < 224 ? sizes[s % 5] : sizes[s % count_of(sizes)];
  }

  void keep_cursor(wo_iter* it, const char* call) {
    const char* c = reinterpret_cast<const char*>(1);
    MUST(wo_iter_cursor(&c, it));
    require(c != nullptr && valid_utf8(c), "wo_iter_cursor gave no valid text", call);
    if (*c && cursors_.size() < max_pool) cursors_.emplace_back(c);
  }

  void op_order_list() {
    const int a = pick(want_any);
    const int32_t view = number32(static_cast<int32_t>(in_.below(5)));
    wo_input* q = query();
    std::string keep;
    const char* c = cursor(keep);
    const int32_t size = page_size();
    wo_iter* it = nullptr;
    const int rc = CALL(k_actor, wo_order_list(&it, db_, handle(a), static_cast<wo_view>(view), q, c, size));
    wo_input_free(q);
    if (rc != WO_OK) {
      require(it == nullptr, "a failed wo_order_list left an iterator", "wo_order_list");
      return;
    }
    keep_cursor(it, "wo_order_list");
    keep_or_drain(it, true, p_order, "wo_order_list");
  }

  void op_order_records() {
    const int a = pick(want_dispatcher);
    wo_input* q = query();
    std::string keep;
    const char* c = cursor(keep);
    const int32_t size = page_size();
    wo_iter* it = nullptr;
    const int rc = CALL(k_actor, wo_order_records(&it, db_, handle(a), q, c, size));
    wo_input_free(q);
    if (rc != WO_OK) {
      require(it == nullptr, "a failed wo_order_records left an iterator", "wo_order_records");
      return;
    }
    keep_cursor(it, "wo_order_records");
    keep_or_drain(it, true, p_order, "wo_order_records");
  }

  // Advances, asks the cursor of, or frees one of the iterators kept open.
  void op_iter() {
    if (iters_.empty()) return;
    const std::size_t i = in_.below(iters_.size());
    OpenIter& it = iters_[i];
    switch (in_.u8() % 4) {
      case 0: {
        const char* c = reinterpret_cast<const char*>(1);
        const int rc = CALL(k_invalid, wo_iter_cursor(&c, it.iter));
        require(rc == (it.has_cursor ? WO_OK : WO_EINVALID), "wo_iter_cursor on the wrong kind of iterator",
                "wo_iter_cursor");
        if (rc == WO_OK) keep_cursor(it.iter, "wo_iter_cursor");
        else require(c == nullptr, "a failed wo_iter_cursor left a string", "wo_iter_cursor");
        return;
      }
      case 1:
        wo_iter_free(it.iter);
        iters_.erase(iters_.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      default:
        for (std::size_t n = 1 + in_.u8() % 8; n > 0; --n)
          if (next(it.iter, it.harvest, "wo_iter_next", nullptr, it.has_cursor ? nullptr : &it.last) != WO_OK) break;
        return;
    }
  }

  void op_export() {
    const int a = pick(want_dispatcher);
    wo_input* q = query();
    Sink sink;
    const uint8_t s = in_.u8();
    if (s % 4 == 3) {
      sink.stop_at = in_.u8() % 8;
      static const int stops[] = {1, -1, 42, std::numeric_limits<int>::min()};
      sink.stop_with = stops[in_.below(4)];
    }
    const int rc = CALL(k_actor | bit(WO_EABORTED),
                        wo_export_csv(db_, handle(a), q, s == 255 ? nullptr : write_csv, &sink));
    wo_input_free(q);
    require((rc == WO_EABORTED) == sink.stopped, "WO_EABORTED and the callback disagree", "wo_export_csv");
    if (rc != WO_OK) return;
    require(!sink.out.empty() && valid_utf8(sink.out.data(), sink.out.size()), "the CSV is empty or not UTF-8",
            "wo_export_csv");
    require(sink.out.size() >= 2 && sink.out.compare(sink.out.size() - 2, 2, "\r\n") == 0,
            "the CSV does not end with CRLF", "wo_export_csv");
  }

  void op_dashboard() {
    const int a = pick(want_dispatcher);
    int64_t from, to;
    const uint8_t s = in_.u8();
    if (s % 4 == 3) {
      from = instant();
      to = instant();
    } else {
      from = wrap_add(now_, -wrap_mul(in_.u8() % 64, day));
      to = wrap_add(now_, wrap_mul(1 + in_.u8() % 4, day));
    }
    wo_dashboard* d = nullptr;
    const int rc = CALL(k_actor | bit(WO_EOVERFLOW), wo_dashboard_get(&d, db_, handle(a), from, to));
    if (rc != WO_OK) {
      require(d == nullptr, "a failed wo_dashboard_get left a handle", "wo_dashboard_get");
      return;
    }
    const wo_record* summary = nullptr;
    MUST(wo_dashboard_summary(&summary, d));
    walk(summary, "wo_dashboard_summary");
    std::vector<wo_iter*> rows;
    for (int32_t table = -1; table <= 4; ++table) {
      wo_iter* it = nullptr;
      const int trc = CALL(k_invalid, wo_dashboard_rows(&it, d, static_cast<wo_dashboard_table>(table)));
      require((trc == WO_OK) == (table >= 0 && table <= 3), "wo_dashboard_rows and the table disagree",
              "wo_dashboard_rows");
      if (trc == WO_OK) rows.push_back(it);
    }
    // The row iterators own their rows: read them after the dashboard is gone, sometimes.
    const bool free_first = in_.u8() & 1;
    if (free_first) wo_dashboard_free(d);
    for (wo_iter* it : rows) drain(it, pool_count, "wo_dashboard_rows", false);
    if (!free_first) wo_dashboard_free(d);
  }

  void op_event_feed() {
    const int a = pick(want_any);
    wo_iter* it = nullptr;
    const int64_t after = in_.u8() % 2 ? 0 : id(p_event);
    const int rc = CALL(k_actor, wo_event_feed(&it, db_, handle(a), after));
    if (rc == WO_OK)
      keep_or_drain(it, false, p_event, "wo_event_feed");
    else
      require(it == nullptr, "a failed wo_event_feed left an iterator", "wo_event_feed");
  }

  // Reads a cursor-paged list whole, then again stopped after k records and resumed from
  // wo_iter_cursor with another page size: both must give the same ids in the same order.
  void op_paging() {
    const bool records = in_.u8() & 1;
    const int a = pick(records ? want_dispatcher : want_any);
    const int32_t view = static_cast<int32_t>(in_.below(5));
    wo_input* q = query();
    const int32_t p1 = 1 + static_cast<int32_t>(in_.below(4)), p2 = 1 + static_cast<int32_t>(in_.below(4));
    const std::size_t k = in_.below(8);
    auto open = [&](const char* from, int32_t size, wo_iter** it) {
      return records ? CALL(k_actor, wo_order_records(it, db_, handle(a), q, from, size))
                     : CALL(k_actor, wo_order_list(it, db_, handle(a), static_cast<wo_view>(view), q, from, size));
    };
    const char* call = records ? "wo_order_records" : "wo_order_list";
    std::vector<int64_t> whole, pieces;
    wo_iter* it = nullptr;
    if (open("", p1, &it) != WO_OK) {
      wo_input_free(q);
      return;
    }
    bool complete = false;
    for (std::size_t i = 0; i < max_drain; ++i) {
      int64_t rid = 0;
      const int rc = next(it, p_order, call, &rid);
      if (rc == WO_DONE) complete = true;
      if (rc != WO_OK) break;
      whole.push_back(rid);
    }
    wo_iter_free(it);
    if (!complete) {
      wo_input_free(q);
      return;
    }
    it = nullptr;
    std::string resume;
    bool ok = open("", p2, &it) == WO_OK;
    for (std::size_t i = 0; ok && i < k; ++i) {
      int64_t rid = 0;
      const int rc = next(it, p_order, call, &rid);
      if (rc == WO_DONE) break;
      ok = rc == WO_OK;
      if (ok) pieces.push_back(rid);
    }
    if (ok) {
      const char* c = nullptr;
      MUST(wo_iter_cursor(&c, it));
      resume = c;
    }
    wo_iter_free(it);
    it = nullptr;
    // "" is where it started before the first record (the beginning), and nothing left after
    // the last one.
    if (ok && (!resume.empty() || pieces.empty())) {
      if (open(resume.c_str(), p1, &it) == WO_OK) {
        for (std::size_t i = 0; i < max_drain; ++i) {
          int64_t rid = 0;
          const int rc = next(it, p_order, call, &rid);
          ok = rc == WO_OK || rc == WO_DONE;
          if (rc != WO_OK) break;
          pieces.push_back(rid);
        }
        wo_iter_free(it);
      } else {
        ok = false;
      }
    }
    wo_input_free(q);
    if (ok) require(pieces == whole, "a list resumed from wo_iter_cursor differs from the whole list", call);
  }

  // Calls with a NULL where a handle, an out-parameter or a name belongs: WO_EINVALID, and the
  // free functions and getters take NULL.
  void op_null_arguments() {
    const wo_actor* a = handle(pick(want_admin));
    wo_input* in = new_input();
    wo_record* r = nullptr;
    wo_iter* it = nullptr;
    int64_t v = 0;
    const char* s = nullptr;
    int rc = WO_OK;
    switch (in_.u8() % 16) {
      case 0: rc = CALL(k_invalid, wo_input_set_int(nullptr, "name", 1)); break;
      case 1: rc = CALL(k_invalid, wo_input_set_text(in, nullptr, "x")); break;
      case 2: rc = CALL(k_invalid, wo_input_set_text(in, "name", nullptr)); break;
      case 3: rc = CALL(k_invalid, wo_input_add_text(in, "attachments", nullptr)); break;
      case 4: rc = CALL(k_invalid, wo_input_set_null(in, nullptr)); break;
      case 5: rc = CALL(k_invalid, wo_input_new(nullptr)); break;
      case 6: rc = CALL(k_invalid, wo_actor_staff(nullptr, 1)); break;
      case 7: rc = CALL(k_invalid, wo_record_get_text(&s, nullptr, "name")); break;
      case 8: rc = CALL(k_invalid, wo_iter_next(&r, nullptr)); break;
      case 9: rc = CALL(k_invalid, wo_iter_cursor(&s, nullptr)); break;
      case 10: rc = CALL(k_invalid, wo_department_create(nullptr, db_, a, in)); break;
      case 11: rc = CALL(k_invalid, wo_order_get(&r, nullptr, a, id(p_order))); break;
      case 12: rc = CALL(k_invalid, wo_order_list(nullptr, db_, a, WO_VIEW_ALL, nullptr, nullptr, 1)); break;
      case 13: rc = CALL(k_invalid, wo_dashboard_rows(&it, nullptr, WO_DASHBOARD_TYPES)); break;
      case 14: rc = CALL(k_invalid, wo_tick(nullptr, db_, a, now_)); break;
      default: {
        int32_t version = -1;
        MUST(wo_db_schema_version(&version, db_));
        require(version > 0, "wo_db_schema_version <= 0", "wo_db_schema_version");
        require(std::strcmp(wo_version(), WO_VERSION_STRING) == 0, "wo_version", "wo_version");
#ifdef WO_VERSION_NUMBER
        require(wo_libversion_number() == WO_VERSION_NUMBER, "wo_libversion_number", "wo_libversion_number");
#endif
        require(wo_record_kind(nullptr) == nullptr && wo_record_field_count(nullptr) == 0 &&
                    wo_record_field_name(nullptr, 0) == nullptr,
                "record getters on NULL", "wo_record_*");
        const int code = static_cast<int>(static_cast<int32_t>(in_.u16()) - 1000);
        s = wo_strerror(code);
        require(s && *s && valid_utf8(s), "wo_strerror gave no text", "wo_strerror");
        wo_record_free(nullptr);
        wo_iter_free(nullptr);
        wo_input_free(nullptr);
        wo_actor_free(nullptr);
        wo_dashboard_free(nullptr);
        wo_db_free(nullptr);
        rc = WO_EINVALID;
        break;
      }
    }
    require(rc == WO_EINVALID, "a NULL argument was accepted", "op_null_arguments");
    require(r == nullptr && it == nullptr && v == 0, "a failed call left an out-parameter", "op_null_arguments");
    wo_input_free(in);
  }

  // wo_db_open's own checks, on private in-memory databases only.
  void op_open() {
    wo_db* other = nullptr;
    const int32_t flags = number32(0);
    const int32_t timeout = number32(0);
    const bool null_path = in_.u8() == 255;
    const int rc = CALL(k_invalid, wo_db_open(&other, null_path ? nullptr : ":memory:", flags, timeout));
    const bool ok = !null_path && (flags & ~WO_OPEN_SYNC_NORMAL) == 0 && timeout >= 0;
    require((rc == WO_OK) == ok, "wo_db_open and its arguments disagree", "wo_db_open");
    require(rc == WO_OK || other == nullptr, "a failed wo_db_open left a handle", "wo_db_open");
    wo_db_free(other);
  }

  // The next step of an order's life, by an actor who may take it: most inputs that drive
  // reach every status.
  void op_drive() {
    // The newest orders first.
    const uint8_t s = in_.u8();
    const auto& orders = pools_[p_order];
    const int64_t order = s < 128 && !orders.empty() ? orders[orders.size() - 1 - s % orders.size()] : id(p_order);
    // Read it as an admin of some org (the one it belongs to answers).
    wo_record* r = nullptr;
    int reader = -1;
    for (std::size_t i = 0; i < actors_.size() && !r; ++i) {
      if (!matches(actors_[i], want_admin)) continue;
      if (CALL(k_actor, wo_order_get(&r, db_, actors_[i].handle, order)) == WO_OK) reader = static_cast<int>(i);
    }
    if (!r) return;
    walk(r, "wo_order_get");
    const int64_t org = int_field(r, "org_id", 0);
    const int64_t status = int_field(r, "status", -1);
    const int64_t assignee = int_field(r, "assignee_id", 0);
    const int64_t contact = int_field(r, "reporter_contact_id", 0);
    const int64_t reporter_staff = int_field(r, "reporter_staff_id", 0);
    const int64_t prepay_due = int_field(r, "prepay_due", 0);
    const int64_t balance = int_field(r, "balance", 0);
    const int64_t refund_due = int_field(r, "refund_due", 0);
    wo_record_free(r);
    require(status >= WO_STATUS_AWAITING_PREPAYMENT && status <= WO_STATUS_CANCELLED, "an order status out of range",
            "wo_order_get");
    actors_[static_cast<std::size_t>(reader)].org = org;
    const int admin = reader;
    const int reporter = contact > 0 ? actor_for(WO_ACTOR_CONTACT, contact, org, 0)
                                     : actor_for(WO_ACTOR_STAFF, reporter_staff, org, 0);
    const int holder = assignee > 0 ? actor_for(WO_ACTOR_STAFF, assignee, org, WO_ROLE_TECHNICIAN) : -1;
    const uint8_t choice = in_.u8() % 4;
    std::string reason = text(reasons);
    if (reason.empty()) reason = "why";
    switch (status) {
      case WO_STATUS_AWAITING_PREPAYMENT: {
        if (choice == 3) {
          CALL(k_step, wo_order_cancel(db_, handle(reporter), order, reason.c_str()));
          return;
        }
        wo_input* p = payment(prepay_due, choice == 1 ? WO_CHANNEL_CASH : WO_CHANNEL_WECHAT);
        CALL(k_step | k_payment, wo_order_pay_prepayment(db_, handle(choice == 2 ? admin : reporter), order, p));
        wo_input_free(p);
        return;
      }
      case WO_STATUS_PENDING_DISPATCH: {
        if (choice == 1) {
          CALL(k_step | bit(WO_EGRABLIMIT), wo_order_grab(db_, handle(find(want_technician, org)), order));
          return;
        }
        if (choice == 2) {
          CALL(k_step, wo_order_message(db_, handle(reporter), order, reason.c_str()));
          return;
        }
        int64_t preview = -1;
        CALL(k_step, wo_order_dispatch_preview(&preview, db_, handle(admin), order));
        require(preview >= 0, "a dispatch preview's staff_out", "wo_order_dispatch_preview");
        const int tech = pick(want_technician);
        const int64_t to = tech >= 0 ? actors_[static_cast<std::size_t>(tech)].id : 0;
        CALL(k_step | bit(WO_EGRABLIMIT) | bit(WO_EINELIGIBLE), wo_order_assign(db_, handle(admin), order, to, choice == 3));
        return;
      }
      case WO_STATUS_PENDING_ACCEPT:
        if (choice == 0 || choice == 3) {
          CALL(k_step, wo_order_accept(db_, handle(holder), order));
        } else if (choice == 1) {
          CALL(k_step, wo_order_reject(db_, handle(holder), order, reason.c_str()));
        } else {
          const int tech = pick(want_technician);
          const int64_t to = tech >= 0 ? actors_[static_cast<std::size_t>(tech)].id : 0;
          CALL(k_step | bit(WO_EGRABLIMIT) | bit(WO_EINELIGIBLE), wo_order_transfer(db_, handle(holder), order, to, reason.c_str(), 0));
        }
        return;
      case WO_STATUS_IN_PROGRESS:
        if (choice == 0) {
          CALL(k_step, wo_order_finish(db_, handle(holder), order));
        } else if (choice == 1 || choice == 3) {
          add_line(holder, order);
        } else {
          CALL(k_step, wo_order_remove_line(db_, handle(holder), order, id(p_line)));
        }
        return;
      case WO_STATUS_AWAITING_PAYMENT: {
        wo_input* p = payment(choice == 1 ? balance / 2 : balance, WO_CHANNEL_CASH);
        CALL(k_step | k_payment, wo_order_pay(db_, handle(choice == 2 ? reporter : admin), order, p));
        wo_input_free(p);
        return;
      }
      case WO_STATUS_AWAITING_RATING:
        if (choice == 1) {
          CALL(k_step, wo_order_reopen(db_, handle(reporter), order, reason.c_str()));
        } else if (choice == 2) {
          int64_t changed = 0;
          CALL(k_actor, wo_tick(&changed, db_, handle(0), wrap_add(now_, 30 * day)));
        } else {
          CALL(k_step, wo_order_rate(db_, handle(reporter), order, 1 + static_cast<int32_t>(in_.below(5)),
                                     choice == 3 ? nullptr : reason.c_str()));
        }
        return;
      default:
        if (refund_due > 0 && choice != 1) {
          wo_input* p = payment(refund_due, WO_CHANNEL_CASH);
          CALL(k_step | bit(WO_EPAYMENT) | bit(WO_ECONFLICT), wo_order_refund(db_, handle(admin), order, p));
          wo_input_free(p);
        } else {
          CALL(k_step, wo_order_reopen(db_, handle(reporter), order, reason.c_str()));
        }
        return;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Program program(data, size);
  program.run();
  return 0;
}
