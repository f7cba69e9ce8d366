// The structs behind the C ABI's opaque handles, and the one translate helper every shim
// goes through: it catches everything, sets the thread's last error and returns the code.
#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/fail.hpp"
#include "engine/row_mapping.hpp"
#include "workorder.h"
#include "workorder/engine.hpp"

// Iterators share the engine, so freeing the wo_db before its iterators is safe.
struct wo_db {
  std::shared_ptr<wo::Engine> engine;
};

struct wo_actor {
  wo::Actor actor;
};

struct wo_input {
  struct Entry {
    std::string name;
    wo::Value value;
    bool appended = false;  // by wo_input_add_text: only list fields take these
  };
  std::vector<Entry> fields;  // set replaces earlier entries of the name, add appends
};

struct wo_record {
  const char* kind = "";
  std::vector<std::pair<std::string_view, wo::Value>> fields;  // names are static literals
};

// Pages are fetched lazily: fetch(after_id) returns the next page of records.
struct wo_iter {
  std::function<std::vector<std::unique_ptr<wo_record>>(std::int64_t after)> fetch;
  std::deque<std::unique_ptr<wo_record>> buffer;
  std::int64_t after = 0;
  bool exhausted = false;
};

namespace wo::capi {

void set_last_error(int code, std::string_view message);
void clear_last_error();

template <class F>
int guarded(F&& body) noexcept {
  try {
    body();
    clear_last_error();
    return WO_OK;
  } catch (const wo::Error& e) {
    set_last_error(static_cast<int>(e.code()), e.what());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    set_last_error(WO_EINTERNAL, "out of memory");
  } catch (const std::exception& e) {
    set_last_error(WO_EINTERNAL, e.what());
  } catch (...) {
    set_last_error(WO_EINTERNAL, "unknown exception");
  }
  return WO_EINTERNAL;
}

// Fails with WO_EINVALID naming the argument when p is NULL.
template <class P>
void need(const P* p, const char* name) {
  if (!p) wo::fail(wo::Code::invalid_argument, "{} is NULL", name);
}

inline void need_db(const wo_db* db, const wo_actor* actor) {
  need(db, "db");
  need(actor, "actor");
}

// An input's fields as a Patch<T>: unknown names and wrongly typed values fail here.
template <class T>
Patch<T> to_patch(const wo_input* input, const char* arg = "fields") {
  need(input, arg);
  Patch<T> patch;
  for (const auto& [name, value, appended] : input->fields) {
    if (appended) fail(Code::invalid_argument, "{} of {} takes one value: use wo_input_set_text", name, T::kind);
    bool found = false;
    int i = 0;
    reflect(patch.values(), [&](std::string_view n, auto& field, unsigned) {
      if (n == name) {
        from_value(n, value, field);
        patch.mark_index(i);
        found = true;
      }
      ++i;
    });
    if (!found) fail(Code::invalid_argument, "{} is not a field of {}", name, T::kind);
  }
  return patch;
}

template <class T>
std::unique_ptr<wo_record> to_record(const T& value) {
  auto r = std::make_unique<wo_record>();
  r->kind = T::kind;
  reflect(value, [&](std::string_view name, const auto& field, unsigned) { r->fields.emplace_back(name, to_value(field)); });
  return r;
}

// An iterator over pages of T: page(after) returns records with id > after.
template <class T>
wo_iter* make_iter(std::function<std::vector<T>(std::int64_t after)> page) {
  auto it = std::make_unique<wo_iter>();
  it->fetch = [page = std::move(page)](std::int64_t after) {
    std::vector<std::unique_ptr<wo_record>> records;
    for (const auto& v : page(after)) records.push_back(to_record(v));
    return records;
  };
  return it.release();
}

}  // namespace wo::capi
