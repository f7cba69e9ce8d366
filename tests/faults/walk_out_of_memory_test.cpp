// SPDX-License-Identifier: MIT
// Out of memory at every allocation of the paid life cycle (docs/rules.md §9, docs/faults.md): each call of
// tests/support/paid_walk.hpp is made with its n-th allocation failing, for n = 0, 1, 2, ...
// until it completes — once with SQLite's allocator failing (replaced through sqlite3_config,
// which this test's own copy of SQLite accepts before it is initialised), once with the C++
// side's (a replaced operator new). After each failure: the call answered internal (the C
// ABI's WO_EINTERNAL) or threw std::bad_alloc, which the C ABI reports as that; the database
// is exactly as before; the same handle reads at once and another handle writes (no
// transaction left open, no lock held). At the end the database is whole. The C++ side's case
// runs on PostgreSQL too, where an allocation failing halfway through a pipeline must not leave
// the connection in pipeline mode or inside a transaction, and one failing after the server
// committed (reading a pipeline's replies) is WO_ESTORAGE with the change stored: the one
// unknown outcome docs/c-abi.md allows.
#include <sqlite3.h>

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "support/consistency.hpp"
#include "support/paid_walk.hpp"
#include "support/test_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/store.hpp"

namespace {

// Allocations still allowed (negative: no limit), one budget per allocator under test.
struct Budget {
  std::atomic<long> left{-1};
  bool allow() {
    long b = left.load();
    while (b > 0 && !left.compare_exchange_weak(b, b - 1)) {
    }
    return b != 0;
  }
};
Budget sqlite_budget, cxx_budget;

sqlite3_mem_methods real;
void* failing_malloc(int n) { return sqlite_budget.allow() ? real.xMalloc(n) : nullptr; }
void* failing_realloc(void* p, int n) { return sqlite_budget.allow() ? real.xRealloc(p, n) : nullptr; }

void install_failing_sqlite_allocator() {
  static const bool installed = [] {
    REQUIRE(sqlite3_shutdown() == SQLITE_OK);
    REQUIRE(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real) == SQLITE_OK);
    sqlite3_mem_methods wrapped = real;
    wrapped.xMalloc = failing_malloc;
    wrapped.xRealloc = failing_realloc;
    REQUIRE(sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) == SQLITE_OK);
    REQUIRE(sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) == SQLITE_OK);  // lookaside would hide allocations
    REQUIRE(sqlite3_initialize() == SQLITE_OK);
    return true;
  }();
  (void)installed;
}

void* allocate(std::size_t n) {
  if (!cxx_budget.allow()) return nullptr;
  return std::malloc(n ? n : 1);
}
void* allocate_aligned(std::size_t n, std::align_val_t a) {
  if (!cxx_budget.allow()) return nullptr;
  const auto align = static_cast<std::size_t>(a);
  return std::aligned_alloc(align, (n + align - 1) / align * align);
}

}  // namespace

// The C++ side's allocator for this process: every new of the library, libstdc++ and the test.
void* operator new(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  if (void* p = allocate_aligned(n, a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return operator new(n, a); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

// The code of what `fn` threw, std::bad_alloc as internal. Unlike test_support::capture it
// allocates nothing: it runs while allocations still fail.
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

// Everything the walk changes, read with a connection of its own while memory is plentiful.
std::string fingerprint(test_support::ColumnReader& read) {
  std::string out;
  for (const char* sql : {"SELECT count(*) FROM event", "SELECT count(*) FROM payment",
                          "SELECT count(*) FROM charge_line WHERE removed = 0", "SELECT count(*) FROM stock_movement",
                          "SELECT SUM(stock) FROM material",
                          "SELECT id || ':' || status || ':' || paid || ':' || lines_total || ':' || "
                          "coalesce(assignee_id, 0) || ':' || coalesce(rating, 0) FROM work_order ORDER BY id"})
    for (const auto& value : read(sql)) out += value + "/";
  return out;
}

struct Failures {
  long internal = 0;  // failed, nothing changed
  long unknown = 0;   // committed, but memory ran out reading the reply: storage, read back
};

// The walk of one order with the n-th allocation of each call failing in turn.
Failures walk_failing(Budget& budget, const std::string& prefix) {
  install_failing_sqlite_allocator();
  test_support::TestDb db(prefix);
  const wo::StoreOptions options{.durability = wo::Durability::normal};
  wo::Engine engine(db.open(options));
  wo::Engine other(db.open(options));
  const auto world = test_support::PaidWorld::create(engine);
  test_support::ColumnReader read(db.path);
  Failures failures;
  wo::OrderId order{0};
  for (int s = 0; s < test_support::paid_steps; ++s) {
    const auto step = static_cast<test_support::PaidStep>(s);
    for (long n = 0;; ++n) {
      CAPTURE(s);
      CAPTURE(n);
      const std::string before = fingerprint(read);
      wo::OrderId made{0};
      budget.left = n;
      const wo::Code code = outcome([&] { made = test_support::make_paid_step(engine, world, "oom", step, order); });
      budget.left = -1;
      if (code == wo::Code::ok) {
        order = made;
        break;
      }
      const std::string after = fingerprint(read);
      if (code == wo::Code::storage && after != before) {
        // docs/c-abi.md, "When the outcome is unknown": PostgreSQL committed, the reply was lost.
        // The step is done; a submission made again returns the same order and changes nothing.
        CHECK(test_support::on_postgres());
        ++failures.unknown;
        if (step == test_support::PaidStep::submit) order = test_support::make_paid_step(engine, world, "oom", step, order);
        CHECK(fingerprint(read) == after);
        break;
      }
      ++failures.internal;
      CHECK(code == wo::Code::internal);
      CHECK(after == before);
      // Memory is back: this handle reads, another one writes.
      CHECK(outcome([&] { (void)engine.get_settings(world.admin); }) == wo::Code::ok);
      CHECK(outcome([&] {
              other.create(world.admin, wo::Patch<wo::Department>().set(&wo::Department::name,
                                                                         prefix + std::to_string(failures.internal)));
            }) == wo::Code::ok);
      REQUIRE(n < 200'000);
    }
  }
  CHECK(engine.get_order(world.contact, order).status == wo::Status::completed);
  const auto broken = test_support::half_done(db.path);
  for (const auto& b : broken) FAIL_CHECK(b);
  return failures;
}

}  // namespace

TEST_CASE("the paid life cycle with each SQLite allocation failing in turn: internal, nothing changed, the handle "
          "goes on") {
  if (test_support::on_postgres()) {
    MESSAGE("SQLite only: a PostgreSQL store allocates through the C++ side and libpq, see the next case");
    return;
  }
  const Failures failures = walk_failing(sqlite_budget, "oom_sqlite");
  MESSAGE("SQLite allocator: ", failures.internal, " allocations failed in turn over the paid life cycle");
  CHECK(failures.internal >= test_support::paid_steps);
  CHECK(failures.unknown == 0);
}

TEST_CASE("the paid life cycle with each C++ allocation failing in turn: internal, nothing changed, the handle goes "
          "on") {
  const Failures failures = walk_failing(cxx_budget, "oom_cxx");
  MESSAGE("operator new: ", failures.internal + failures.unknown, " allocations failed in turn over the paid life cycle, ",
          failures.unknown, " of them after the commit (storage, the change stored)");
  CHECK(failures.internal >= test_support::paid_steps);
}
