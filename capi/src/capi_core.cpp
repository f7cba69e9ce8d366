// SPDX-License-Identifier: MIT
// Versions, errors, database, actors, inputs, records and iterators.
#include "handles.hpp"
#include "domain/text.hpp"
#include "workorder/errors.hpp"

namespace wo::capi {
namespace {
thread_local std::string last_message;
// Set instead of last_message when copying the message needed memory there was not.
thread_local const char* last_static_message = nullptr;
}  // namespace
// Every message is valid UTF-8, whatever bytes a caller passed for it to name.
void set_last_error(int, std::string_view message) noexcept {
  try {
    last_message = utf8_length(message) >= 0 ? std::string(message) : valid_utf8(message);
    last_static_message = nullptr;
  } catch (...) {
    last_message.clear();
    last_static_message = "out of memory";
  }
}
void clear_last_error() noexcept {
  last_message.clear();
  last_static_message = nullptr;
}
const char* last_error() { return last_static_message ? last_static_message : last_message.c_str(); }
}  // namespace wo::capi

using namespace wo;
using namespace wo::capi;

namespace {

using Field = std::pair<std::string_view, Value>;

const Field& find_field(const wo_record* record, const char* field) {
  need(record, "record");
  need(field, "field");
  for (const auto& f : record->fields)
    if (f.first == field) return f;
  fail(Code::invalid_argument, "{} is not a field of {}", field, record->kind);
}

const Field& field_at(const wo_record* record, int32_t index) {
  need(record, "record");
  if (index < 0 || static_cast<std::size_t>(index) >= record->fields.size())
    fail(Code::invalid_argument, "index {} is not a field of this {} (it has {})", index, record->kind,
         record->fields.size());
  return record->fields[static_cast<std::size_t>(index)];
}

int32_t type_of(const Value& v) {
  return std::holds_alternative<std::int64_t>(v) ? WO_TYPE_INT
         : std::holds_alternative<std::string>(v) ? WO_TYPE_TEXT
                                                  : WO_TYPE_NULL;
}

template <class X>
const X& value_as(const wo_record* record, const Field& f, const char* type) {
  if (std::holds_alternative<std::monostate>(f.second)) fail(Code::null_field, "{} of this {} is null", f.first, record->kind);
  const X* v = std::get_if<X>(&f.second);
  if (!v) fail(Code::invalid_argument, "{} of {} is not {}", f.first, record->kind, type);
  return *v;
}

// A text value; NULL is refused naming the field (a null is wo_input_set_null's).
Value text_value(const char* field, const char* value) {
  need(field, "field");
  if (!value) fail(Code::invalid_argument, "value of field '{}' is NULL: wo_input_set_null sets a null", field);
  return Value{std::string(value)};
}

// Replaces every value of `field` (append = false) or adds one more (list fields).
void set_field(wo_input* input, const char* field, Value v, bool append = false) {
  need(input, "input");
  need(field, "field");
  if (!append) std::erase_if(input->fields, [&](const auto& f) { return f.name == field; });
  input->fields.push_back({field, std::move(v), append});
}

template <class Make>
int make_actor(wo_actor** out, Make make) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    *out = new wo_actor{make()};
  });
}

}  // namespace

extern "C" {

const char* wo_version(void) { return WO_VERSION_STRING; }

int wo_libversion_number(void) { return WO_VERSION_NUMBER; }

const char* wo_strerror(int code) {
  if (code == WO_DONE) return "no more records";
  if (code < 0 || code > WO_ENULL) return "unknown status code";
  return describe(static_cast<Code>(code)).data();
}

const char* wo_errmsg(void) { return last_error(); }

int wo_db_open(wo_db** out, const char* path, int32_t flags, int32_t busy_timeout_ms) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need(path, "path");
    if (flags & ~WO_OPEN_SYNC_NORMAL) fail(Code::invalid_argument, "flags {} has unknown bits", flags);
    if (busy_timeout_ms < 0) fail(Code::invalid_argument, "busy_timeout_ms {} is negative", busy_timeout_ms);
    StoreOptions options;
    options.durability = (flags & WO_OPEN_SYNC_NORMAL) ? Durability::normal : Durability::full;
    if (busy_timeout_ms > 0) options.busy_timeout_ms = busy_timeout_ms;
    auto db = std::make_unique<wo_db>();
    db->engine = std::make_shared<Engine>(open_store(path, options));
    *out = db.release();
  });
}

void wo_db_free(wo_db* db) { delete db; }

int wo_db_set_clock(wo_db* db, wo_clock_fn fn, void* ctx) {
  return guarded([&] {
    need(db, "db");
    if (fn)
      db->engine->set_clock([fn, ctx] { return from_unix_ms(fn(ctx)); });
    else
      db->engine->set_clock(nullptr);
  });
}

int wo_db_now(int64_t* out, wo_db* db) {
  if (out) *out = 0;
  return guarded([&] {
    need(out, "out");
    need(db, "db");
    *out = to_unix_ms(db->engine->now());
  });
}

int wo_db_schema_version(int32_t* out, wo_db* db) {
  if (out) *out = 0;
  return guarded([&] {
    need(out, "out");
    need(db, "db");
    *out = db->engine->schema_version();
  });
}

int wo_actor_system(wo_actor** out) {
  return make_actor(out, [] { return Actor::system(); });
}

int wo_actor_staff(wo_actor** out, int64_t staff_id) {
  return make_actor(out, [&] {
    if (staff_id <= 0) fail(Code::invalid_argument, "staff_id {} is not a valid id", staff_id);
    return Actor::staff(StaffId{staff_id});
  });
}

int wo_actor_contact(wo_actor** out, int64_t contact_id) {
  return make_actor(out, [&] {
    if (contact_id <= 0) fail(Code::invalid_argument, "contact_id {} is not a valid id", contact_id);
    return Actor::contact(ContactId{contact_id});
  });
}

void wo_actor_free(wo_actor* actor) { delete actor; }

int wo_input_new(wo_input** out) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    *out = new wo_input;
  });
}

void wo_input_free(wo_input* input) { delete input; }

int wo_input_set_int(wo_input* input, const char* field, int64_t value) {
  return guarded([&] { set_field(input, field, Value{value}); });
}

int wo_input_set_text(wo_input* input, const char* field, const char* value) {
  return guarded([&] { set_field(input, field, text_value(field, value)); });
}

int wo_input_add_text(wo_input* input, const char* field, const char* value) {
  return guarded([&] { set_field(input, field, text_value(field, value), true); });
}

int wo_input_set_null(wo_input* input, const char* field) {
  return guarded([&] { set_field(input, field, Value{}); });
}

void wo_record_free(wo_record* record) { delete record; }

const char* wo_record_kind(const wo_record* record) { return record ? record->kind : nullptr; }

int32_t wo_record_field_count(const wo_record* record) {
  return record ? static_cast<int32_t>(record->fields.size()) : 0;
}

const char* wo_record_field_name(const wo_record* record, int32_t index) {
  if (!record || index < 0 || static_cast<std::size_t>(index) >= record->fields.size()) return nullptr;
  return record->fields[static_cast<std::size_t>(index)].first.data();
}

int wo_record_field_type(int32_t* out, const wo_record* record, const char* field) {
  if (out) *out = WO_TYPE_NULL;
  return guarded([&] {
    need(out, "out");
    *out = type_of(find_field(record, field).second);
  });
}

int wo_record_get_int(int64_t* out, const wo_record* record, const char* field) {
  if (out) *out = 0;
  return guarded([&] {
    need(out, "out");
    *out = value_as<std::int64_t>(record, find_field(record, field), "an integer");
  });
}

int wo_record_get_text(const char** out, const wo_record* record, const char* field) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    *out = value_as<std::string>(record, find_field(record, field), "text").c_str();
  });
}

int wo_record_field_type_at(int32_t* out, const wo_record* record, int32_t index) {
  if (out) *out = WO_TYPE_NULL;
  return guarded([&] {
    need(out, "out");
    *out = type_of(field_at(record, index).second);
  });
}

int wo_record_get_int_at(int64_t* out, const wo_record* record, int32_t index) {
  if (out) *out = 0;
  return guarded([&] {
    need(out, "out");
    *out = value_as<std::int64_t>(record, field_at(record, index), "an integer");
  });
}

int wo_record_get_text_at(const char** out, const wo_record* record, int32_t index) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    *out = value_as<std::string>(record, field_at(record, index), "text").c_str();
  });
}

int wo_record_values(int32_t* types_out, int64_t* ints_out, const char** texts_out, const wo_record* record,
                     int32_t count) {
  return guarded([&] {
    need(types_out, "types_out");
    need(ints_out, "ints_out");
    need(texts_out, "texts_out");
    need(record, "record");
    if (count < 0 || static_cast<std::size_t>(count) > record->fields.size())
      fail(Code::invalid_argument, "count {} is not within this {}'s {} fields", count, record->kind,
           record->fields.size());
    for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
      const Value& v = record->fields[i].second;
      types_out[i] = type_of(v);
      const auto* n = std::get_if<std::int64_t>(&v);
      const auto* t = std::get_if<std::string>(&v);
      ints_out[i] = n ? *n : 0;
      texts_out[i] = t ? t->c_str() : nullptr;
    }
  });
}

int wo_iter_next(wo_record** out, wo_iter* iter) {
  if (out) *out = nullptr;
  int done = 0;
  const int rc = guarded([&] {
    need(out, "out");
    need(iter, "iter");
    *out = iter->next().release();
    done = *out == nullptr;
  });
  return rc == WO_OK && done ? WO_DONE : rc;
}

void wo_iter_free(wo_iter* iter) { delete iter; }

}  // extern "C"
