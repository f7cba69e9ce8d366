// SPDX-License-Identifier: MIT
// Out of memory inside SQLite (docs/rules.md §9): every allocation of a write fails in turn.
// Each time the call fails as internal (never storage), changes nothing, and leaves no
// transaction open: the same handle and another one write at once when memory is back.
// SQLite's allocator is replaced through sqlite3_config, which this test's own copy of SQLite
// (linked into the executable) accepts before it is initialised.
#include <sqlite3.h>

#include <doctest/doctest.h>

#include <atomic>
#include <new>
#include <string>

#include "support/temp_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace {

// SQLite's own allocator, wrapped: once `budget` allocations have succeeded, every further
// one fails until the budget is lifted (negative: no limit).
sqlite3_mem_methods real;
std::atomic<long> budget{-1};

bool allow() {
  long b = budget.load();
  while (b > 0 && !budget.compare_exchange_weak(b, b - 1)) {
  }
  return b != 0;
}
void* failing_malloc(int n) { return allow() ? real.xMalloc(n) : nullptr; }
void* failing_realloc(void* p, int n) { return allow() ? real.xRealloc(p, n) : nullptr; }

void install_failing_allocator() {
  static const bool installed = [] {
    REQUIRE(sqlite3_shutdown() == SQLITE_OK);
    REQUIRE(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real) == SQLITE_OK);
    sqlite3_mem_methods wrapped = real;
    wrapped.xMalloc = failing_malloc;
    wrapped.xRealloc = failing_realloc;
    REQUIRE(sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) == SQLITE_OK);
    // No lookaside: its slots would hide most allocations from the wrapper.
    REQUIRE(sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) == SQLITE_OK);
    REQUIRE(sqlite3_initialize() == SQLITE_OK);
    return true;
  }();
  (void)installed;
}

wo::Patch<wo::Department> department(const std::string& name) {
  wo::Patch<wo::Department> p;
  p.set(&wo::Department::name, name);
  return p;
}

// The code of what `fn` threw: internal for out of memory, as the C ABI reports it.
template <class F>
wo::Code outcome(F&& fn) {
  try {
    fn();
    return wo::Code::ok;
  } catch (const wo::Error& e) {
    return e.code();
  } catch (const std::bad_alloc&) {
    return wo::Code::internal;
  }
}

}  // namespace

TEST_CASE("every failed SQLite allocation of a write: internal, nothing changed, no transaction left open") {
  install_failing_allocator();
  test_support::TempDb db("sqlite_oom");
  wo::Engine engine(wo::open_sqlite_store(db.path));
  wo::Engine other(wo::open_sqlite_store(db.path));
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Sunshine")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  wo::Patch<wo::Staff> first;
  first.set(&wo::Staff::name, std::string("Ada")).set(&wo::Staff::phone, std::string("13800000000"));
  const auto admin = wo::Actor::staff(engine.create_org(wo::Actor::system(), org, first).admin);
  auto names = [&] {
    std::vector<std::string> out;
    for (wo::DepartmentId after{0};;) {
      const auto page = engine.list<wo::Department>(admin, wo::Filter{}, after, wo::max_page_size);
      for (const auto& d : page) out.push_back(d.name);
      if (page.empty()) return out;
      after = page.back().id;
    }
  };

  int failures = 0;
  for (long n = 0;; ++n) {
    const std::string name = "dep-" + std::to_string(n);
    const auto before = names();
    budget = n;
    const wo::Code code = outcome([&] { engine.create<wo::Department>(admin, department(name)); });
    budget = -1;
    if (code == wo::Code::ok) break;  // enough memory for the whole call
    ++failures;
    INFO("allocation ", n, " failed");
    CHECK(code == wo::Code::internal);
    CHECK(names() == before);
    // Memory is back: this handle and another one write at once (no stuck write lock).
    CHECK(outcome([&] { engine.create<wo::Department>(admin, department(name + "-after")); }) == wo::Code::ok);
    CHECK(outcome([&] { other.create<wo::Department>(admin, department(name + "-other")); }) == wo::Code::ok);
    REQUIRE(n < 10000);
  }
  MESSAGE(failures, " allocations failed in turn");
  CHECK(failures > 0);
}
