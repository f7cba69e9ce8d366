// SPDX-License-Identifier: MIT
// Out of memory anywhere in the process (docs/rules.md §9): malloc itself fails after its
// n-th call, for n = 0, 1, 2, ... until the scenario completes, each in a fresh child process
// so that every one-time initialisation (the time-zone database, a zone's rules, the C++
// runtime's unwinder) happens under the failure. Whatever runs out, the library answers with an
// error; the process never dies. Not in sanitizer builds, whose runtime owns malloc.
#include <doctest/doctest.h>

#if !defined(__SANITIZE_ADDRESS__)
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <string>

#include "support/temp_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void __libc_free(void*);
}

namespace {

// Negative: no limit. Otherwise the number of allocations still allowed.
std::atomic<long> budget{-1};

bool allow() {
  long b = budget.load(std::memory_order_relaxed);
  while (b > 0 && !budget.compare_exchange_weak(b, b - 1, std::memory_order_relaxed)) {
  }
  return b != 0;
}

}  // namespace

// These replace glibc's allocator for the whole process: the library, libstdc++, SQLite and
// the dynamic loader all allocate through them.
extern "C" void* malloc(std::size_t n) { return allow() ? __libc_malloc(n) : nullptr; }
extern "C" void* calloc(std::size_t n, std::size_t size) { return allow() ? __libc_calloc(n, size) : nullptr; }
extern "C" void* realloc(void* p, std::size_t n) { return allow() ? __libc_realloc(p, n) : nullptr; }
extern "C" void free(void* p) { __libc_free(p); }

namespace {

constexpr int completed = 3;  // the child's exit code when nothing failed

// The child: the first org of a new database and its dashboard (the zone's rules are read for
// the first time in this process), with `n` allocations allowed. Exits 0 after an error,
// `completed` when everything succeeded.
[[noreturn]] void child(const std::string& path, long n) {
  budget = n;
  int code = completed;
  try {
    wo::Engine engine(wo::open_sqlite_store(path));
    wo::Patch<wo::Org> org;
    org.set(&wo::Org::name, std::string("Sunshine")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
    wo::Patch<wo::Staff> first;
    first.set(&wo::Staff::name, std::string("Ada")).set(&wo::Staff::phone, std::string("13800000000"));
    const auto made = engine.create_org(wo::Actor::system(), org, first);
    // The dashboard reads local days: the zone's rules are used.
    engine.dashboard(wo::Actor::staff(made.admin), wo::from_unix_ms(1'700'000'000'000), wo::from_unix_ms(1'700'086'400'000));
  } catch (const wo::Error& e) {
    code = e.code() == wo::Code::internal || e.code() == wo::Code::storage ? 0 : 1;
  } catch (const std::bad_alloc&) {
    code = 0;
  } catch (...) {
    code = 2;  // anything else escaping is a defect
  }
  std::_Exit(code);
}

}  // namespace

TEST_CASE("malloc failing at every step of a first org in a fresh process: an error every time, never an abort") {
  // The schema is made once, here; each child works on a copy of it. (Opening the store does
  // not touch time zones, so the children still read their zone for the first time.)
  test_support::TempDb schema("process_oom_schema");
  { wo::Engine made(wo::open_sqlite_store(schema.path)); }
  long n = 0;
  for (;; ++n) {
    test_support::TempDb db("process_oom");
    std::filesystem::copy_file(schema.path, db.path);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) child(db.path, n);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO("malloc failing after ", n, " allocations");
    REQUIRE_MESSAGE(WIFEXITED(status), "the child died of signal ", WTERMSIG(status));
    if (WEXITSTATUS(status) == completed) break;
    REQUIRE(WEXITSTATUS(status) == 0);
    REQUIRE(n < 100000);
  }
  MESSAGE(n, " allocations failed in turn, in as many processes");
  CHECK(n > 100);
}
#endif
