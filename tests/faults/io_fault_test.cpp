// SPDX-License-Identifier: MIT
// The disk failing (docs/rules.md §9). This executable links SQLite statically, so the
// write/pwrite/pwrite64/writev/pwritev/fsync/fdatasync defined here replace the libc calls
// SQLite makes. They count the calls made on the database's own files (the database, -wal,
// -shm, -journal, told apart by the fd's path in /proc/self/fd) and fail a chosen one.
//
// The sweep: a fixed scenario (the open, two orders walked through the paid life cycle, the
// close, on a database that already holds an org and finished orders and whose log is close
// enough to SQLite's automatic checkpoint that one runs during the scenario) is run once to
// count its calls, N; then each call fails in turn, once, with EIO, with ENOSPC, and (for a
// write) as a short write whose remainder fails with ENOSPC, each on a fresh copy of the
// database. Each time: a call that fails answers storage, never anything else; the same
// Engine then finishes the walk, retrying the failed step as a host would (reading back first
// when the step has no key); and after the close the database is whole, every call that
// returned OK is there and nothing is there twice. Faults that SQLite absorbs (a failed
// checkpoint is retried later, never reported) leave every call OK and the database whole.
//
// The second test case is the outcome docs/c-abi.md calls unknown: the WAL's sync failing at
// a COMMIT in a child that then dies without closing; the parent reopens and retries.
#include <dlfcn.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/consistency.hpp"
#include "support/outcome.hpp"
#include "support/paid_walk.hpp"
#include "support/temp_db.hpp"
#include "workorder/engine.hpp"
#include "workorder/errors.hpp"

namespace {

// --- the injector -----------------------------------------------------------------------------

enum class Fn { write, pwrite, pwrite64, writev, pwritev, pwritev64, fsync, fdatasync };
const std::string fn_names[] = {"write", "pwrite", "pwrite64", "writev", "pwritev", "pwritev64", "fsync", "fdatasync"};
constexpr int fn_count = 8;
bool is_sync(Fn f) { return f == Fn::fsync || f == Fn::fdatasync; }

// Which of the database's files an fd is: the database itself, -wal, -shm or -journal.
enum class File { none, db, wal, shm, journal };
const std::string file_names[] = {"-", "db", "wal", "shm", "journal"};

// How the chosen call fails.
enum class Fault { eio, enospc, short_write };
const std::string fault_names[] = {"EIO", "ENOSPC", "short write + ENOSPC"};

struct Call {
  Fn fn;
  File file;
  std::size_t bytes;
};

// The injector's state. One thread (the test's) does all the I/O that is counted. Trivially
// destructible: the wrappers may run during the process's exit.
struct Injector {
  bool armed = false;
  char base[PATH_MAX] = {};  // the database's canonical path
  std::size_t base_len = 0;
  char quiet_dir[PATH_MAX] = {};     // the temp directory, and
  char quiet_prefix[PATH_MAX] = {};  // the start of this test's files in it: their syncs are skipped
  long calls = 0;    // calls on the database's files since armed
  long fail_at = -1;  // the index of the call that fails (-1: none)
  Fault fault = Fault::eio;
  bool enospc_next = false;    // a short write was made: the next call (its remainder) fails
  bool fail_wal_sync = false;  // the next sync of the -wal fails with EIO
  long injected = 0;           // calls failed (a short write and its remainder count once)
  std::optional<Call> failed;  // the call chosen by fail_at, as it was made
  std::vector<Call>* log = nullptr;  // every counted call, when set (the dry run)
};
Injector injector;

// The path of an fd ("" if unknown), in `buffer`.
std::string_view path_of(int fd, char (&buffer)[PATH_MAX]) {
  char link[40];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = ::readlink(link, buffer, sizeof buffer);
  return n < 0 ? std::string_view() : std::string_view(buffer, static_cast<std::size_t>(n));
}

File file_of(int fd) {
  char buffer[PATH_MAX];
  const std::string_view path = path_of(fd, buffer);
  if (!path.starts_with(std::string_view(injector.base, injector.base_len))) return File::none;
  const std::string_view rest = path.substr(injector.base_len);
  if (rest.empty()) return File::db;
  if (rest == "-wal") return File::wal;
  if (rest == "-shm") return File::shm;
  if (rest == "-journal") return File::journal;
  return File::none;
}

struct Verdict {
  bool counted = false;  // a call on the database's files, counted
  int error = 0;         // fail with this errno
  std::size_t part = 0;  // else write only this many bytes (0: all)
};

Verdict decide(Fn fn, int fd, std::size_t bytes) {
  if (!injector.armed) return {};
  const File file = file_of(fd);
  if (file == File::none) return {};
  const long index = injector.calls++;
  if (injector.log) injector.log->push_back({fn, file, bytes});
  if (injector.enospc_next) {
    injector.enospc_next = false;
    return {true, ENOSPC, 0};
  }
  if (injector.fail_wal_sync && is_sync(fn) && file == File::wal) {
    injector.fail_wal_sync = false;
    ++injector.injected;
    injector.failed = Call{fn, file, bytes};
    return {true, EIO, 0};
  }
  if (index != injector.fail_at) return {true, 0, 0};
  ++injector.injected;
  injector.failed = Call{fn, file, bytes};
  switch (injector.fault) {
    case Fault::eio: return {true, EIO, 0};
    case Fault::enospc: return {true, ENOSPC, 0};
    case Fault::short_write:
      // Half of it reaches the disk; SQLite writes the rest at once, and that fails.
      if (!is_sync(fn) && bytes >= 2 && (fn == Fn::write || fn == Fn::pwrite || fn == Fn::pwrite64)) {
        injector.enospc_next = true;
        return {true, 0, bytes / 2};
      }
      return {true, ENOSPC, 0};
  }
  return {true, 0, 0};
}

// The next definition of `name` after this executable's: libc's (or the sanitizer runtime's
// interceptor, which then calls libc's).
template <class F>
F next_definition(const char* name) {
  void* p = ::dlsym(RTLD_NEXT, name);
  if (!p) {
    std::fprintf(stderr, "io_fault_test: no %s to forward to\n", name);
    std::abort();
  }
  F f;
  static_assert(sizeof f == sizeof p);
  std::memcpy(&f, &p, sizeof f);
  return f;
}

std::size_t total_bytes(const struct iovec* iov, int count) {
  std::size_t n = 0;
  for (int i = 0; i < count; ++i) n += iov[i].iov_len;
  return n;
}

}  // namespace

// These replace libc's for the whole executable, SQLite's copy included (it is linked in
// statically, so its references resolve here at link time). Calls on other files pass through.
extern "C" ssize_t write(int fd, const void* buf, size_t n) {
  static const auto next = next_definition<ssize_t (*)(int, const void*, size_t)>("write");
  const Verdict v = decide(Fn::write, fd, n);
  if (v.error) return errno = v.error, -1;
  return next(fd, buf, v.part ? v.part : n);
}
extern "C" ssize_t pwrite(int fd, const void* buf, size_t n, off_t offset) {
  static const auto next = next_definition<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  const Verdict v = decide(Fn::pwrite, fd, n);
  if (v.error) return errno = v.error, -1;
  return next(fd, buf, v.part ? v.part : n, offset);
}
extern "C" ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t offset) {
  static const auto next = next_definition<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
  const Verdict v = decide(Fn::pwrite64, fd, n);
  if (v.error) return errno = v.error, -1;
  return next(fd, buf, v.part ? v.part : n, offset);
}
extern "C" ssize_t writev(int fd, const struct iovec* iov, int count) {
  static const auto next = next_definition<ssize_t (*)(int, const struct iovec*, int)>("writev");
  const Verdict v = decide(Fn::writev, fd, total_bytes(iov, count));
  if (v.error) return errno = v.error, -1;
  return next(fd, iov, count);
}
extern "C" ssize_t pwritev(int fd, const struct iovec* iov, int count, off_t offset) {
  static const auto next = next_definition<ssize_t (*)(int, const struct iovec*, int, off_t)>("pwritev");
  const Verdict v = decide(Fn::pwritev, fd, total_bytes(iov, count));
  if (v.error) return errno = v.error, -1;
  return next(fd, iov, count, offset);
}
extern "C" ssize_t pwritev64(int fd, const struct iovec* iov, int count, off64_t offset) {
  static const auto next = next_definition<ssize_t (*)(int, const struct iovec*, int, off64_t)>("pwritev64");
  const Verdict v = decide(Fn::pwritev64, fd, total_bytes(iov, count));
  if (v.error) return errno = v.error, -1;
  return next(fd, iov, count, offset);
}
// A sync of this test's files (and of the temp directory) that is not failed succeeds
// without reaching the disk: no power is lost here, and the sweep would otherwise spend most
// of its time waiting for the disk.
namespace {
bool quiet(int fd) {
  if (!injector.quiet_prefix[0]) return false;
  char buffer[PATH_MAX];
  const std::string_view path = path_of(fd, buffer);
  return path == std::string_view(injector.quiet_dir) || path.starts_with(std::string_view(injector.quiet_prefix));
}
}  // namespace
extern "C" int fsync(int fd) {
  static const auto next = next_definition<int (*)(int)>("fsync");
  const Verdict v = decide(Fn::fsync, fd, 0);
  if (v.error) return errno = v.error, -1;
  return v.counted || quiet(fd) ? 0 : next(fd);
}
extern "C" int fdatasync(int fd) {
  static const auto next = next_definition<int (*)(int)>("fdatasync");
  const Verdict v = decide(Fn::fdatasync, fd, 0);
  if (v.error) return errno = v.error, -1;
  return v.counted || quiet(fd) ? 0 : next(fd);
}

namespace {

using test_support::PaidStep;
using test_support::PaidWorld;

// From now on the syncs of this test's files skip the disk (see fsync above).
void quiet_syncs() {
  const auto dir = std::filesystem::canonical(std::filesystem::temp_directory_path());
  const std::string prefix = (dir / "io_fault").string();
  REQUIRE(prefix.size() < sizeof injector.quiet_prefix);
  std::memcpy(injector.quiet_dir, dir.c_str(), dir.string().size() + 1);
  std::memcpy(injector.quiet_prefix, prefix.c_str(), prefix.size() + 1);
}

// Counting (and failing) starts: calls on `path`'s files from now on.
void arm(const std::string& path, long fail_at, Fault fault) {
  const std::string base = std::filesystem::canonical(path).string();
  REQUIRE(base.size() < sizeof injector.base);
  std::memcpy(injector.base, base.c_str(), base.size() + 1);
  injector.base_len = base.size();
  injector.calls = 0;
  injector.fail_at = fail_at;
  injector.fault = fault;
  injector.enospc_next = false;
  injector.fail_wal_sync = false;
  injector.injected = 0;
  injector.failed.reset();
  injector.armed = true;
}
void disarm() {
  injector.armed = false;
  injector.fail_at = -1;
  injector.fail_wal_sync = false;
}

// Every timestamp the same: the scenario makes the same calls each time it runs.
wo::Timestamp fixed_now() { return wo::from_unix_ms(1'750'000'000'000); }

const std::string step_names[] = {"submit",    "pay_deposit",  "assign", "accept", "add_labor", "add_material",
                                  "add_spare", "remove_spare", "finish", "pay",    "rate"};
const std::string& name_of(PaidStep s) { return step_names[static_cast<int>(s)]; }

// How many events of the step's action the order has once the step is done.
int events_after(PaidStep s) {
  switch (s) {
    case PaidStep::add_labor: return 1;
    case PaidStep::add_material: return 2;
    case PaidStep::add_spare: return 3;
    default: return 1;
  }
}

// Whether the order already has the step's event: read back through the engine, as a host
// does after an unknown outcome.
bool applied(wo::Engine& engine, const PaidWorld& w, wo::OrderId order, PaidStep step) {
  int n = 0;
  for (const auto& e : engine.timeline(w.admin, order, 0, wo::max_page_size))
    if (e.action == test_support::action_of(step)) ++n;
  return n >= events_after(step);
}

// What one sweep saw.
struct Tally {
  long cases = 0;
  long injected = 0;           // faults injected (a case whose call was never made injects none)
  long storage = 0;            // calls that answered storage
  long wrong = 0;              // calls that answered anything else
  long absorbed = 0;           // faults after which every call returned OK
  long applied_anyway = 0;     // a call answered storage, yet its change was there on reading back
  long failed_cases = 0;
  std::map<std::string, long> messages;  // the storage messages, by text
  std::map<std::string, long> by_fault;  // storage errors by fault and file
  std::map<std::string, long> absorbed_by;  // absorbed faults by fault and file
};

std::string describe(Fault fault, const Call& c) {
  return fault_names[static_cast<int>(fault)] + " on " + file_names[static_cast<int>(c.file)] +
         (is_sync(c.fn) ? " sync" : " write");
}

// A call failed under the fault: it must have answered storage.
void note_failure(const test_support::Outcome& out, const std::string& call, Tally& tally, bool& ok) {
  if (out.code == wo::Code::storage && !out.foreign) {
    ++tally.storage;
    ++tally.messages[out.message];
    if (injector.failed) ++tally.by_fault[describe(injector.fault, *injector.failed)];
  } else {
    ++tally.wrong;
    ok = false;
    CHECK_MESSAGE(false, call, ": a failed write or sync answered ", static_cast<int>(out.code), " (", out.message,
                  "), not storage");
  }
}

// One order through its life cycle as a host drives it: walk_paid_order, and if a call fails,
// that step again (make_paid_step), then the rest of the walk. A step is first read back and
// skipped when it took effect (a transition has no key, and the balance payment's amount is
// recomputed); a submission, with no order to read yet, is keyed by its client token. Every
// failure is checked to be storage; the retry and the rest must succeed (the fault has cleared).
void walk_as_host(wo::Engine& engine, const PaidWorld& w, const std::string& key, Tally& tally, bool& ok) {
  std::optional<wo::OrderId> order;
  int next = 0;  // the step that runs next
  const auto first = test_support::capture([&] {
    test_support::walk_paid_order(engine, w, key, [&](PaidStep s, wo::OrderId o) {
      order = o;
      next = static_cast<int>(s) + 1;
    });
  });
  if (!first.threw) return;
  note_failure(first, "order " + key + ": " + step_names[next], tally, ok);
  wo::OrderId id = order.value_or(wo::OrderId{});
  for (int i = next; i < test_support::paid_steps; ++i) {
    const auto step = static_cast<PaidStep>(i);
    bool skip = false;
    const auto read = test_support::capture([&] { skip = i > 0 && applied(engine, w, id, step); });
    if (read.threw) {
      ok = false;
      CHECK_MESSAGE(false, "reading back before ", name_of(step), " failed: ", read.message);
      return;
    }
    if (skip) {
      if (i == next) ++tally.applied_anyway;
      continue;
    }
    const auto again = test_support::capture([&] { id = test_support::make_paid_step(engine, w, key, step, id); });
    if (again.threw) {
      ok = false;
      CHECK_MESSAGE(false, "the handle is not usable after the fault: ", name_of(step), " failed: ", again.message);
      return;
    }
  }
}

// The frames in a -wal file (its header gives the page size; each frame is a page and 24 bytes).
long wal_frames(const std::string& wal) {
  std::FILE* f = std::fopen(wal.c_str(), "rb");
  if (!f) return 0;
  unsigned char header[32] = {};
  const std::size_t got = std::fread(header, 1, sizeof header, f);
  std::fclose(f);
  if (got != sizeof header) return 0;
  const long page = (long{header[8]} << 24) | (long{header[9]} << 16) | (long{header[10]} << 8) | long{header[11]};
  if (page <= 0) return 0;
  return static_cast<long>((std::filesystem::file_size(wal) - 32) / static_cast<std::uintmax_t>(page + 24));
}

// A database ready for the scenario, copied for each case: an org (PaidWorld) and finished
// orders. With `log_frames` 0 it is closed (one file, the -wal checkpointed away). Otherwise
// it is snapshot while open, its -wal holding at least that many frames (more finished orders
// until it does), so that SQLite's automatic checkpoint (at 1000 frames) falls inside the
// scenario and the log restarts after it: the database file is written while the handle
// stays in use.
struct Prepared {
  test_support::TempDb work{"io_fault_prepared"};
  test_support::TempDb snapshot{"io_fault_prepared"};
  PaidWorld world;
  explicit Prepared(long log_frames) {
    {
      wo::Engine engine(wo::open_sqlite_store(work.path), fixed_now);
      world = PaidWorld::create(engine);
      test_support::walk_paid_order(engine, world, "order-0", [](PaidStep, wo::OrderId) {});
      for (int k = 1; log_frames > 0 && wal_frames(work.path + "-wal") < log_frames; ++k)
        test_support::walk_paid_order(engine, world, "order-0-" + std::to_string(k), [](PaidStep, wo::OrderId) {});
      if (log_frames > 0) copy_to(work.path, snapshot.path);  // between calls: every frame committed
    }
    if (log_frames == 0) copy_to(work.path, snapshot.path);
  }
  // A fresh copy of the snapshot at `path`.
  void copy_to(const std::string& path) const { copy_to(snapshot.path, path); }

 private:
  static void copy_to(const std::string& from, const std::string& to) {
    std::filesystem::copy_file(from, to);
    if (std::filesystem::exists(from + "-wal")) std::filesystem::copy_file(from + "-wal", to + "-wal");
  }
};

const std::vector<std::string> scenario_keys{"order-1", "order-2"};

// The scenario: open the database (durability full, the default: a sync at every commit), walk
// two orders as a host does, close (a checkpoint). An open that fails is tried again.
void scenario(const std::string& path, const PaidWorld& w, Tally& tally, bool& ok) {
  std::unique_ptr<wo::Engine> engine;
  const auto open = [&] { engine = std::make_unique<wo::Engine>(wo::open_sqlite_store(path), fixed_now); };
  if (const auto first = test_support::capture(open); first.threw) {
    note_failure(first, "opening", tally, ok);
    if (const auto again = test_support::capture(open); again.threw) {
      ok = false;
      CHECK_MESSAGE(false, "the database cannot be opened once the fault has cleared: ", again.message);
      return;
    }
  }
  for (const auto& key : scenario_keys) walk_as_host(*engine, w, key, tally, ok);
  engine.reset();
}

// Raw reads of a database for the checks, through one connection (no doctest in here: a
// forked child uses it too). A query that fails reads as -1.
class Reader {
 public:
  explicit Reader(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK)
      sqlite3_busy_timeout(db_, 5000);
  }
  ~Reader() { sqlite3_close(db_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  std::int64_t scalar(const std::string& sql) {
    std::int64_t out = -1;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
      out = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::int64_t scalar(const std::string& path, const std::string& sql) { return Reader(path).scalar(sql); }

std::string quoted(const std::string& s) { return "'" + s + "'"; }
// The id of the key's order, as a subquery.
std::string order_of(const std::string& key) {
  return "(SELECT id FROM work_order WHERE client_token = " + quoted(key) + ")";
}

// The database's state after the scenario, as numbers that must come out the same whatever
// failed on the way: the order of each key once, with each of its events, lines and payments
// once (`designed`: the value the walk is meant to leave), and the totals of the dry run.
struct Probe {
  std::string sql;
  std::int64_t designed = -1;  // -1: whatever the dry run left
};

std::vector<Probe> probes() {
  std::vector<Probe> out{{"SELECT count(*) FROM work_order"},     {"SELECT count(*) FROM event"},
                         {"SELECT count(*) FROM payment"},        {"SELECT count(*) FROM charge_line"},
                         {"SELECT count(*) FROM stock_movement"}, {"SELECT sum(stock) FROM material"}};
  for (const auto& key : scenario_keys) {
    const std::string order = order_of(key);
    out.push_back({"SELECT count(*) FROM work_order WHERE client_token = " + quoted(key), 1});
    // Every step's event, once (three add_line steps).
    for (int s = 0; s < test_support::paid_steps; ++s) {
      const auto step = static_cast<PaidStep>(s);
      if (step == PaidStep::add_labor || step == PaidStep::add_material) continue;  // counted with add_spare
      out.push_back({"SELECT count(*) FROM event WHERE order_id = " + order + " AND action = " +
                         std::to_string(static_cast<int>(test_support::action_of(step))),
                     events_after(step)});
    }
    out.push_back({"SELECT count(*) FROM event WHERE order_id = " + order, test_support::paid_steps});
    out.push_back({"SELECT count(*) FROM payment WHERE order_id = " + order, 2});
    out.push_back({"SELECT count(*) FROM payment WHERE provider_txn_id = " + quoted(key + "-d"), 1});
    out.push_back({"SELECT count(*) FROM payment WHERE provider_txn_id = " + quoted(key + "-p"), 1});
    out.push_back({"SELECT paid = spec_price + lines_total AND refunded = 0 FROM work_order WHERE id = " + order, 1});
    out.push_back({"SELECT status FROM work_order WHERE id = " + order, static_cast<int>(wo::Status::completed)});
    out.push_back({"SELECT count(*) FROM charge_line WHERE order_id = " + order, 3});
    out.push_back({"SELECT count(*) FROM charge_line WHERE removed = 0 AND order_id = " + order, 2});
  }
  return out;
}

std::vector<std::int64_t> fingerprint(const std::string& path) {
  Reader db(path);
  std::vector<std::int64_t> out;
  for (const auto& p : probes()) out.push_back(db.scalar(p.sql));
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

}  // namespace

TEST_CASE("every write and sync of a scenario failing in turn: storage, a usable handle, a whole database") {
  static_assert(static_cast<int>(wo::Action::rate) == 12);
  const auto started = std::chrono::steady_clock::now();
  quiet_syncs();
  Prepared prepared(900);
  const long log_frames = wal_frames(prepared.snapshot.path + "-wal");
  REQUIRE(log_frames >= 900);
  REQUIRE(log_frames < 1000);

  // The dry run: the calls the scenario makes, and the state it leaves.
  std::vector<Call> calls;
  std::vector<std::int64_t> expected;
  {
    test_support::TempDb db("io_fault");
    prepared.copy_to(db.path);
    Tally tally;
    bool ok = true;
    arm(db.path, -1, Fault::eio);
    injector.log = &calls;
    scenario(db.path, prepared.world, tally, ok);
    disarm();
    injector.log = nullptr;
    REQUIRE(ok);
    REQUIRE(tally.storage == 0);
    const auto broken = test_support::half_done(db.path);
    REQUIRE_MESSAGE(broken.empty(), joined(broken));
    expected = fingerprint(db.path);
    const auto designed = probes();
    for (std::size_t i = 0; i < expected.size(); ++i) {
      REQUIRE_MESSAGE(expected[i] >= 0, designed[i].sql);
      if (designed[i].designed >= 0) REQUIRE_MESSAGE(expected[i] == designed[i].designed, designed[i].sql);
    }
  }
  // The interposition works: SQLite's writes and syncs of its log came through here.
  long by_fn[fn_count] = {}, by_file[5] = {}, writes = 0, wal_syncs = 0;
  for (const auto& c : calls) {
    ++by_fn[static_cast<int>(c.fn)];
    ++by_file[static_cast<int>(c.file)];
    if (!is_sync(c.fn) && c.file == File::wal) ++writes;
    if (is_sync(c.fn) && c.file == File::wal) ++wal_syncs;
  }
  REQUIRE_MESSAGE(writes > 0, "no write of the -wal was seen: SQLite's calls do not come through this executable");
  REQUIRE(wal_syncs > 0);
  std::string table;
  for (int i = 0; i < fn_count; ++i)
    if (by_fn[i]) table += (table.empty() ? "" : ", ") + fn_names[i] + " " + std::to_string(by_fn[i]);
  table += "; by file:";
  for (int i = 1; i < 5; ++i)
    if (by_file[i]) table += " " + file_names[i] + " " + std::to_string(by_file[i]);
  MESSAGE("io faults: the scenario makes ", calls.size(), " calls on the database's files (", table, ")");

  // The sweep.
  const long n_calls = static_cast<long>(calls.size());
  Tally tally;
  for (const Fault fault : {Fault::eio, Fault::enospc, Fault::short_write}) {
    for (long n = 0; n < n_calls; ++n) {
      const Call& call = calls[static_cast<std::size_t>(n)];
      // A short write needs a write of two bytes or more; else it is the ENOSPC case again.
      if (fault == Fault::short_write && (is_sync(call.fn) || call.bytes < 2)) continue;
      INFO("call ", n, " (", fn_names[static_cast<int>(call.fn)], " of ", call.bytes, " bytes on the ",
           file_names[static_cast<int>(call.file)], ") failing with ", fault_names[static_cast<int>(fault)]);
      ++tally.cases;
      bool ok = true;
      test_support::TempDb db("io_fault");
      prepared.copy_to(db.path);
      const long storage_before = tally.storage;
      arm(db.path, n, fault);
      scenario(db.path, prepared.world, tally, ok);
      disarm();
      tally.injected += injector.injected;
      // The scenario is deterministic: the n-th call is the one the dry run saw.
      CHECK(injector.injected == 1);
      if (injector.failed) {
        CHECK(injector.failed->fn == call.fn);
        CHECK(injector.failed->file == call.file);
      }
      if (tally.storage == storage_before) {
        ++tally.absorbed;
        ++tally.absorbed_by[describe(fault, call)];
      }
      const auto broken = test_support::half_done(db.path);
      CHECK_MESSAGE(broken.empty(), "the database is not whole:", joined(broken));
      if (!broken.empty()) ok = false;
      if (broken.empty()) {
        const auto found = fingerprint(db.path);
        const auto designed = probes();
        for (std::size_t i = 0; i < found.size(); ++i) {
          CHECK_MESSAGE(found[i] == expected[i], designed[i].sql);
          if (found[i] != expected[i]) ok = false;
        }
      }
      if (!ok && ++tally.failed_cases >= 5) FAIL("five cases failed: stopping the sweep");
    }
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  MESSAGE("io faults: ", n_calls, " calls, ", tally.cases, " cases, ", tally.injected, " faults injected, ",
          tally.storage, " storage errors, ", tally.wrong, " other codes, ", tally.absorbed,
          " faults absorbed (every call OK), ", tally.applied_anyway,
          " calls that answered storage yet took effect; ", seconds, " s");
  std::string seen;
  for (const auto& [text, count] : tally.messages) seen += "\n  " + std::to_string(count) + " × " + text;
  for (const auto& [what, count] : tally.by_fault)
    seen += "\n  " + std::to_string(count) + " storage errors from " + what;
  for (const auto& [what, count] : tally.absorbed_by) seen += "\n  " + std::to_string(count) + " absorbed: " + what;
  MESSAGE("io faults: what storage said:", seen);
  CHECK(tally.injected == tally.cases);
  CHECK(tally.storage > 0);
  CHECK(tally.wrong == 0);
}

namespace {

// The child's exit codes.
constexpr int storage_hidden = 10;   // the call answered storage; this process reads the change as absent
constexpr int storage_visible = 11;  // the call answered storage; this process reads the change as present
constexpr int not_failed = 12;       // the call returned OK: the fault never hit
constexpr int wrong_code = 13;       // the call failed with another code, or something else went wrong

// How many times the target step's change is in the database: the orders of the key (submit),
// else the events of the step's kind on the key's order; -1 if the query failed.
std::int64_t target_events(const std::string& path, const std::string& key, PaidStep target) {
  const std::string order = order_of(key);
  if (target == PaidStep::submit) return scalar(path, "SELECT count(*) FROM work_order WHERE id = " + order);
  return scalar(path, "SELECT count(*) FROM event WHERE order_id = " + order + " AND action = " +
                          std::to_string(static_cast<int>(test_support::action_of(target))));
}

// The child: walks the key's order up to `target`, whose COMMIT finds the -wal's sync failing,
// reads back whether its change is visible, and dies without closing anything.
[[noreturn]] void commit_child(const std::string& path, const PaidWorld& w, const std::string& key, PaidStep target) {
  int code = wrong_code;
  try {
    wo::Engine engine(wo::open_sqlite_store(path), fixed_now);
    arm(path, -1, Fault::eio);
    if (target == PaidStep::submit) injector.fail_wal_sync = true;
    const auto out = test_support::capture([&] {
      test_support::walk_paid_order(engine, w, key, [&](PaidStep s, wo::OrderId) {
        if (s == target) std::_Exit(not_failed);
        if (static_cast<int>(s) + 1 == static_cast<int>(target)) injector.fail_wal_sync = true;
      });
    });
    disarm();
    if (out.threw && out.code == wo::Code::storage && !out.foreign && injector.injected == 1)
      code = target_events(path, key, target) > 0 ? storage_visible : storage_hidden;
    std::_Exit(code);  // here, the engine still open: its connection is never closed, the -wal stays
  } catch (...) {
  }
  std::_Exit(code);
}

}  // namespace

TEST_CASE("storage at COMMIT (the -wal's sync failing), then the process dies: the database is whole and a retry "
          "makes the change once") {
  quiet_syncs();
  // A closed database: its first COMMIT starts a new log, and the sync that fails is the one
  // after the log's header, before any frame is written. With a log open: the sync after the
  // frames, commit record included.
  const Prepared closed(0), open_log(1);
  struct Case {
    PaidStep target;
    bool new_log;
  };
  for (const Case c : {Case{PaidStep::submit, true}, Case{PaidStep::submit, false}, Case{PaidStep::pay_deposit, false},
                       Case{PaidStep::pay, false}}) {
    const PaidStep target = c.target;
    const std::string target_name = name_of(target) + (c.new_log ? " (the first COMMIT of a new log)" : "");
    CAPTURE(target_name);
    const Prepared& prepared = c.new_log ? closed : open_log;
    const PaidWorld& w = prepared.world;
    test_support::TempDb db("io_fault_commit");
    prepared.copy_to(db.path);
    const std::string key = "order-1";
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) commit_child(db.path, w, key, target);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE_MESSAGE(WIFEXITED(status), "the child died of signal ", WTERMSIG(status));
    const int code = WEXITSTATUS(status);
    REQUIRE_MESSAGE((code == storage_hidden || code == storage_visible), "the child's exit code: ", code);
    // The doc: the library rolls back what it can see, but the commit record may be in the log.
    CHECK_MESSAGE(code == storage_hidden, "after storage at COMMIT the same process reads the change as present");
    REQUIRE(std::filesystem::exists(db.path + "-wal"));  // left as the process died

    // Reopened: whole, and the change there or not.
    const auto broken = test_support::half_done(db.path);
    CHECK_MESSAGE(broken.empty(), "the database is not whole:", joined(broken));
    const std::int64_t there = target_events(db.path, key, target);
    REQUIRE((there == 0 || there == 1));
    MESSAGE("io faults: storage at the COMMIT of ", target_name, "; after the process died and the database was "
            "reopened the change is ", std::string(there ? "there" : "not there"));

    // The host retries the same call, then finishes the walk: the change is made once.
    {
      wo::Engine engine(wo::open_sqlite_store(db.path), fixed_now);
      wo::OrderId order{};
      // The order the child made: a submit with its token returns it.
      if (target != PaidStep::submit) order = test_support::make_paid_step(engine, w, key, PaidStep::submit, order);
      for (int i = static_cast<int>(target); i < test_support::paid_steps; ++i) {
        const auto step = static_cast<PaidStep>(i);
        const std::string step_name = name_of(step);
        CAPTURE(step_name);
        if (step == PaidStep::pay) {
          // The same call as the child's: the amount the walk paid (the balance before it), not
          // the balance now, which is 0 if the payment is there (then a conflict).
          const wo::Money amount{scalar(
              db.path, "SELECT spec_price + lines_total - 3000 FROM work_order WHERE client_token = " + quoted(key))};
          const auto out = test_support::capture([&] {
            engine.pay(w.contact, order,
                       {.channel = wo::Channel::wechat, .amount = amount, .provider_txn_id = key + "-p"});
          });
          REQUIRE_MESSAGE(!out.threw, out.message);
          continue;
        }
        const auto out =
            test_support::capture([&] { order = test_support::make_paid_step(engine, w, key, step, order); });
        REQUIRE_MESSAGE(!out.threw, out.message);
      }
    }
    CHECK(test_support::half_done(db.path).empty());
    CHECK(scalar(db.path, "SELECT count(*) FROM work_order WHERE client_token = " + quoted(key)) == 1);
    CHECK(scalar(db.path, "SELECT count(*) FROM payment WHERE provider_txn_id = " + quoted(key + "-d")) == 1);
    CHECK(scalar(db.path, "SELECT count(*) FROM payment WHERE provider_txn_id = " + quoted(key + "-p")) == 1);
    CHECK(target_events(db.path, key, target) == 1);
    CHECK(scalar(db.path, "SELECT paid = spec_price + lines_total FROM work_order WHERE id = " + order_of(key)) == 1);
  }
}
