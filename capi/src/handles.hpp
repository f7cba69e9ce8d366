// SPDX-License-Identifier: MIT
// The structs behind the C ABI's opaque handles, and the one translate helper every shim
// goes through: it catches everything, sets the thread's last error and returns the code.
#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/billing.hpp"
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

namespace wo::capi {

// One page of a list paged by opaque cursors (order lists, order records).
struct CursorPage {
  std::vector<std::unique_ptr<wo_record>> records;
  std::vector<std::string> resume;  // per record: the cursor that continues after it
  std::string next_cursor;          // "" when no page follows
};

// The paging state of a cursor-paged iterator.
struct Cursors {
  std::function<CursorPage(const std::string& cursor)> fetch;
  std::string next;                // where the next page starts
  std::deque<std::string> resume;  // parallel to wo_iter::buffer
  std::string current;             // after the last record handed out; the start cursor before any
};

}  // namespace wo::capi

// A pull iterator, buffering one page at a time. Three kinds:
//  - id-paged (catalog lists, timelines): fetch(after) returns the records whose integer key,
//    their first field, is > after; a page shorter than max_page_size is the last;
//  - cursor-paged (order lists, order records): `cursors` is set and fetch is unused, so the
//    iterator can tell where it stands (wo_iter_cursor);
//  - whole: every record is in `buffer` from the start and `exhausted` is set.
struct wo_iter {
  std::function<std::vector<std::unique_ptr<wo_record>>(std::int64_t after)> fetch;
  std::deque<std::unique_ptr<wo_record>> buffer;
  std::int64_t after = 0;
  bool exhausted = false;
  std::unique_ptr<wo::capi::Cursors> cursors;

  // Reads the next page into the buffer. On failure nothing changed, so a retry is safe.
  void refill() {
    if (cursors) {
      wo::capi::CursorPage page = cursors->fetch(cursors->next);
      for (std::size_t i = 0; i < page.records.size(); ++i) {
        buffer.push_back(std::move(page.records[i]));
        cursors->resume.push_back(std::move(page.resume.at(i)));
      }
      exhausted = page.next_cursor.empty();
      cursors->next = std::move(page.next_cursor);
      return;
    }
    auto page = fetch(after);
    if (page.size() < static_cast<std::size_t>(wo::max_page_size)) exhausted = true;
    for (auto& r : page) buffer.push_back(std::move(r));
  }

  // The next record, or nullptr at the end.
  std::unique_ptr<wo_record> next() {
    if (buffer.empty() && !exhausted) refill();
    if (buffer.empty()) return nullptr;
    if (cursors) {
      cursors->current = std::move(cursors->resume.front());
      cursors->resume.pop_front();
    } else if (fetch) {
      after = std::get<std::int64_t>(buffer.front()->fields.at(0).second);
    }
    auto record = std::move(buffer.front());
    buffer.pop_front();
    return record;
  }
};

// A dashboard and its summary record, built once by wo_dashboard_get.
struct wo_dashboard {
  wo::Dashboard figures;
  wo_record summary;
};

namespace wo::capi {

void set_last_error(int code, std::string_view message) noexcept;
void clear_last_error() noexcept;

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
  // Named references, not a structured binding: the lambda below captures them, which clang
  // before 16 cannot do with bindings.
  for (const auto& entry : input->fields) {
    const std::string& name = entry.name;
    const Value& value = entry.value;
    if (entry.appended) fail(Code::invalid_argument, "{} of {} takes one value: use wo_input_set_text", name, T::kind);
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

// An order as the C ABI shows it (wo_order_get, wo_order_list): its fields, then its bill.
inline std::unique_ptr<wo_record> order_record(const Order& order) {
  auto record = to_record(order);
  const Bill bill = bill_of(order);
  record->fields.emplace_back("total", Value{bill.total.minor});
  record->fields.emplace_back("owed", Value{bill.owed.minor});
  record->fields.emplace_back("balance", Value{bill.balance.minor});
  record->fields.emplace_back("refund_due", Value{bill.refund_due.minor});
  return record;
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
