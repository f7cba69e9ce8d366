// SPDX-License-Identifier: MIT
// The SQLite store (architecture §5, rules §9): WAL, synchronous FULL by default and NORMAL as an
// option, foreign keys on, BEGIN IMMEDIATE writers that queue on the busy timeout, versioned
// schema with forward migrations, a clear error for a newer schema that leaves the file alone,
// persistence across reopen, one transaction per operation, and invariants that hold across
// processes sharing one file.
#include <doctest/doctest.h>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "workorder/engine.hpp"
#include "workorder/errors.hpp"
#include "workorder/store.hpp"

namespace {

namespace fs = std::filesystem;

// A database path in the temp directory; the file and its -wal/-shm/-journal are removed
// before and after.
class TempDb {
 public:
  TempDb() {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() /
             ("wo_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".db"))
                .string();
    remove_all();
  }
  ~TempDb() { remove_all(); }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;
  const std::string& path() const { return path_; }

 private:
  void remove_all() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path_ + suffix, ec);
  }
  std::string path_;
};

// A raw SQLite connection, to look at the file behind the store's back.
class Raw {
 public:
  explicit Raw(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    REQUIRE(rc == SQLITE_OK);
    sqlite3_busy_timeout(db_, 10000);
  }
  ~Raw() { sqlite3_close(db_); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;

  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  void must(const std::string& sql) {
    CAPTURE(sql);
    const int rc = exec(sql);
    CAPTURE(sqlite3_errmsg(db_));
    REQUIRE(rc == SQLITE_OK);
  }
  std::int64_t integer(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    CAPTURE(sql);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const std::int64_t v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    CAPTURE(sql);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    std::string v = p ? p : "";
    sqlite3_finalize(stmt);
    return v;
  }
  std::string schema() { return text("SELECT group_concat(type || ' ' || name || ' ' || ifnull(sql, ''), '\n') FROM "
                                     "(SELECT * FROM sqlite_master ORDER BY type, name)"); }

 private:
  sqlite3* db_ = nullptr;
};

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Number of open file descriptors of this process.
std::size_t open_fds() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

template <class F>
wo::Code code_of(F&& f) {
  try {
    f();
  } catch (const wo::Error& e) {
    return e.code();
  }
  return wo::Code::ok;
}

// A per-connection pragma as the store's own connection sees it. The SQLite store splices the
// table name into its SELECT, so a subquery over the pragma's table-valued function works.
std::int64_t store_pragma(wo::Store& store, const std::string& pragma, std::string_view column) {
  const std::string table = "(SELECT 1 AS id, p.* FROM pragma_" + pragma + " AS p)";
  const std::string_view cols[] = {column};
  std::int64_t value = -1;
  store.read([&](wo::Transaction& tx) {
    auto rows = tx.select(table, cols, {}, 0, 1);
    REQUIRE(rows.size() == 1);
    value = std::get<std::int64_t>(rows[0][0]);
  });
  return value;
}

wo::Patch<wo::Org> org_patch(const std::string& name) {
  wo::Patch<wo::Org> p;
  p.set(&wo::Org::name, name).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  return p;
}

wo::Patch<wo::Staff> admin_patch(const std::string& phone = "13800138000") {
  wo::Patch<wo::Staff> p;
  p.set(&wo::Staff::name, std::string("Ada Admin")).set(&wo::Staff::phone, phone);
  return p;
}

wo::NewOrg make_org(wo::Engine& engine, const std::string& name = "Acme") {
  return engine.create_org(wo::Actor::system(), org_patch(name), admin_patch());
}

wo::Patch<wo::Department> department(const std::string& name) {
  wo::Patch<wo::Department> p;
  p.set(&wo::Department::name, name);
  return p;
}

wo::MaterialId make_material(wo::Engine& engine, wo::StaffId admin, const std::string& sku) {
  wo::Patch<wo::Material> p;
  p.set(&wo::Material::sku, sku)
      .set(&wo::Material::name, std::string("Faucet cartridge"))
      .set(&wo::Material::unit, std::string("pcs"))
      .set(&wo::Material::unit_price, wo::Money{2500});
  return engine.create<wo::Material>(wo::Actor::staff(admin), p);
}

wo::Patch<wo::StockMovement> movement(wo::MaterialId material, wo::MovementKind kind, std::int64_t qty) {
  wo::Patch<wo::StockMovement> p;
  p.set(&wo::StockMovement::material_id, material)
      .set(&wo::StockMovement::movement_kind, kind)
      .set(&wo::StockMovement::qty, wo::Qty{qty});
  return p;
}

template <class T>
std::vector<T> list_all(wo::Engine& engine, wo::StaffId admin, const wo::Filter& filter = {}) {
  std::vector<T> all;
  decltype(T::id) after{};
  for (;;) {
    auto page = engine.list<T>(wo::Actor::staff(admin), filter, after, wo::max_page_size);
    all.insert(all.end(), page.begin(), page.end());
    if (page.size() < static_cast<std::size_t>(wo::max_page_size)) return all;
    after = page.back().id;
  }
}

// Forks `n` children that wait on a common start signal, run body(k) and _exit with its
// result (or 200 on an unexpected exception). Returns the exit statuses, -1 for abnormal ends.
std::vector<int> run_children(int n, const std::function<int(int)>& body) {
  int start[2];
  REQUIRE(::pipe(start) == 0);
  std::fflush(nullptr);
  std::vector<pid_t> pids;
  for (int k = 0; k < n; ++k) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(start[1]);
      char c;
      while (::read(start[0], &c, 1) > 0) {
      }
      int status = 200;
      try {
        status = body(k);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child %d: %s\n", k, e.what());
      } catch (...) {
        std::fprintf(stderr, "child %d: unknown exception\n", k);
      }
      std::fflush(stderr);
      ::_exit(status);
    }
    pids.push_back(pid);
  }
  ::close(start[0]);
  ::close(start[1]);  // EOF: every child starts now
  std::vector<int> statuses;
  for (pid_t pid : pids) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    statuses.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  }
  return statuses;
}

}  // namespace

// The busy timeout is the library's own busy handler (connection.cpp), so PRAGMA busy_timeout
// does not show it; the "busy" test case below checks how long a write waits.
TEST_CASE("pragmas: WAL, synchronous FULL by default, foreign keys") {
  TempDb db;
  auto store = wo::open_sqlite_store(db.path());
  CHECK(store_pragma(*store, "synchronous", "synchronous") == 2);  // FULL
  CHECK(store_pragma(*store, "foreign_keys", "foreign_keys") == 1);

  Raw raw(db.path());
  CHECK(raw.text("PRAGMA journal_mode") == "wal");  // persistent in the file
}

TEST_CASE("Durability::normal sets synchronous NORMAL") {
  TempDb db;
  wo::StoreOptions options;
  options.durability = wo::Durability::normal;
  options.busy_timeout_ms = 1234;
  auto store = wo::open_sqlite_store(db.path(), options);
  CHECK(store_pragma(*store, "synchronous", "synchronous") == 1);  // NORMAL
  CHECK(store_pragma(*store, "foreign_keys", "foreign_keys") == 1);
  Raw raw(db.path());
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("foreign keys are enforced on the store's connection") {
  TempDb db;
  auto store = wo::open_sqlite_store(db.path());
  const std::string_view cols[] = {"org_id", "name", "active"};
  const wo::Code code = code_of([&] {
    store->write([&](wo::Transaction& tx) {
      tx.insert("department", cols, wo::Row{wo::Value{std::int64_t{4242}}, wo::Value{std::string("Ghost")},
                                            wo::Value{std::int64_t{1}}});
    });
  });
  CHECK(code == wo::Code::internal);  // SQLITE_CONSTRAINT_FOREIGNKEY: a bug, not a user error
  Raw raw(db.path());
  CHECK(raw.integer("SELECT count(*) FROM department") == 0);
}

TEST_CASE("an in-memory store works and is at the latest schema") {
  auto store = wo::open_sqlite_store(":memory:");
  CHECK(store->schema_version() == wo::latest_schema_version());
  wo::Engine engine(std::move(store));
  const auto org = make_org(engine);
  CHECK(engine.get_org(wo::Actor::staff(org.admin), org.org).name == "Acme");
}

TEST_CASE("a fresh file is created at the latest schema version") {
  TempDb db;
  auto store = wo::open_sqlite_store(db.path());
  CHECK(wo::latest_schema_version() >= 2);
  CHECK(store->schema_version() == wo::latest_schema_version());
  Raw raw(db.path());
  CHECK(raw.integer("PRAGMA user_version") == wo::latest_schema_version());
}

TEST_CASE("a write that throws is rolled back and the exception passes through") {
  TempDb db;
  auto store = wo::open_sqlite_store(db.path());
  std::int64_t org_id = 0;
  const std::string_view org_cols[] = {"name", "time_zone", "currency", "created_at"};
  store->write([&](wo::Transaction& tx) {
    org_id = tx.insert("org", org_cols,
                       wo::Row{wo::Value{std::string("Acme")}, wo::Value{std::string("Asia/Shanghai")},
                               wo::Value{std::string("CNY")}, wo::Value{std::int64_t{0}}});
  });
  const std::string_view cols[] = {"org_id", "name", "active"};
  const wo::Code code = code_of([&] {
    store->write([&](wo::Transaction& tx) {
      tx.insert("department", cols,
                wo::Row{wo::Value{org_id}, wo::Value{std::string("Plumbing")}, wo::Value{std::int64_t{1}}});
      throw wo::Error(wo::Code::invalid_argument, "changed my mind");
    });
  });
  CHECK(code == wo::Code::invalid_argument);
  CHECK_THROWS_AS(store->write([&](wo::Transaction& tx) {
    tx.insert("department", cols,
              wo::Row{wo::Value{org_id}, wo::Value{std::string("Plumbing")}, wo::Value{std::int64_t{1}}});
    throw std::logic_error("not a wo::Error");
  }),
                  std::logic_error);
  Raw raw(db.path());
  CHECK(raw.integer("SELECT count(*) FROM department") == 0);
  // the store is still usable after rollbacks
  store->write([&](wo::Transaction& tx) {
    tx.insert("department", cols,
              wo::Row{wo::Value{org_id}, wo::Value{std::string("Plumbing")}, wo::Value{std::int64_t{1}}});
  });
  CHECK(raw.integer("SELECT count(*) FROM department") == 1);
}

TEST_CASE("a failed create_org leaves the database exactly as it was") {
  TempDb db;
  wo::Engine engine(wo::open_sqlite_store(db.path()));
  make_org(engine, "First");
  Raw raw(db.path());
  const auto count = [&](const char* table) { return raw.integer(std::string("SELECT count(*) FROM ") + table); };
  const auto before = std::vector<std::int64_t>{count("org"), count("staff"), count("order_settings"),
                                                count("payment_channel")};
  // the org part is valid (and is written first); the admin's phone is not
  CHECK(code_of([&] { engine.create_org(wo::Actor::system(), org_patch("Second"), admin_patch("call me")); }) ==
        wo::Code::invalid_argument);
  const auto after = std::vector<std::int64_t>{count("org"), count("staff"), count("order_settings"),
                                               count("payment_channel")};
  CHECK(before == after);
  CHECK(raw.integer("SELECT count(*) FROM org WHERE name = 'Second'") == 0);
}

TEST_CASE("a writer waits for the busy timeout, then fails with Code::busy; readers are not blocked") {
  TempDb db;
  wo::StoreOptions options;
  options.busy_timeout_ms = 300;
  wo::Engine engine(wo::open_sqlite_store(db.path(), options));
  const auto org = make_org(engine);
  const auto admin = wo::Actor::staff(org.admin);

  Raw raw(db.path());
  raw.must("BEGIN IMMEDIATE");  // another writer holds the write lock
  const auto start = std::chrono::steady_clock::now();
  CHECK(code_of([&] { engine.create<wo::Department>(admin, department("Plumbing")); }) == wo::Code::busy);
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited >= std::chrono::milliseconds(250));
  // WAL: reading is fine while a write is open elsewhere
  CHECK(engine.get_org(admin, org.org).name == "Acme");
  raw.must("COMMIT");

  engine.create<wo::Department>(admin, department("Plumbing"));
  CHECK(list_all<wo::Department>(engine, org.admin).size() == 1);
}

TEST_CASE("migrations: a version-1 database is migrated forward and keeps its data") {
  TempDb db;
  {
    wo::StoreOptions v1;
    v1.max_schema_version = 1;
    auto store = wo::open_sqlite_store(db.path(), v1);
    CHECK(store->schema_version() == 1);
  }
  {
    Raw raw(db.path());
    CHECK(raw.integer("PRAGMA user_version") == 1);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'org'") == 1);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'order_settings'") == 0);
    CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'payment_channel'") == 0);
    raw.must("INSERT INTO org (id, name, time_zone, currency, created_at) VALUES "
             "(1, 'Old Org', 'Asia/Shanghai', 'CNY', 1700000000000), "
             "(2, 'Other Org', 'Europe/Berlin', 'EUR', 1700000000001)");
    raw.must("INSERT INTO staff (id, org_id, name, phone, roles, active) VALUES "
             "(1, 1, 'Old Admin', '13800138000', 1, 1), (2, 2, 'Other Admin', '13900139000', 3, 1)");
  }
  {
    // opening again capped at 1 does not migrate
    wo::StoreOptions v1;
    v1.max_schema_version = 1;
    auto store = wo::open_sqlite_store(db.path(), v1);
    CHECK(store->schema_version() == 1);
  }
  wo::Engine engine(wo::open_sqlite_store(db.path()));
  CHECK(engine.schema_version() == wo::latest_schema_version());

  const auto admin = wo::Actor::staff(wo::StaffId{1});
  const wo::Org org = engine.get_org(admin, wo::OrgId{1});
  CHECK(org.name == "Old Org");
  CHECK(org.time_zone == "Asia/Shanghai");
  CHECK(org.currency == "CNY");
  CHECK(wo::to_unix_ms(org.created_at) == 1700000000000);
  const wo::Staff staff = engine.get<wo::Staff>(admin, wo::StaffId{1});
  CHECK(staff.name == "Old Admin");
  CHECK(staff.phone == "13800138000");
  CHECK(staff.roles == wo::role_admin);

  // migration 2 backfilled the default settings and one row per payment channel for each org
  const wo::OrderSettings settings = engine.get_settings(admin);
  const wo::OrderSettings defaults{};
  CHECK(settings.id == wo::OrgId{1});
  CHECK(settings.grab_enabled == defaults.grab_enabled);
  CHECK(settings.grab_limit == defaults.grab_limit);
  CHECK(settings.prepay_timeout_min == defaults.prepay_timeout_min);
  CHECK(settings.accept_timeout_min == defaults.accept_timeout_min);
  CHECK(settings.rating_timeout_days == defaults.rating_timeout_days);
  CHECK(settings.auto_rating_score == defaults.auto_rating_score);
  CHECK(settings.reopen_window_days == defaults.reopen_window_days);
  const auto channels = engine.list_channels(admin);
  REQUIRE(channels.size() == 6);
  std::set<int> kinds;
  for (const auto& c : channels) {
    CHECK(c.org_id == wo::OrgId{1});
    CHECK_FALSE(c.enabled);
    kinds.insert(static_cast<int>(c.channel));
  }
  CHECK(kinds == std::set<int>{0, 1, 2, 3, 4, 5});
  CHECK(engine.list_channels(wo::Actor::staff(wo::StaffId{2})).size() == 6);

  // and the migrated org works like a new one: settings and channels can be changed
  engine.set_channel_enabled(admin, wo::Channel::wechat, true);
  wo::Patch<wo::OrderSettings> patch;
  patch.set(&wo::OrderSettings::grab_limit, std::int32_t{3});
  engine.update_settings(admin, patch);
  CHECK(engine.get_settings(admin).grab_limit == 3);

  Raw raw(db.path());
  CHECK(raw.integer("SELECT count(*) FROM order_settings") == 2);
  CHECK(raw.integer("SELECT count(*) FROM payment_channel") == 12);
}

TEST_CASE("migration 5: older events get the audience of assignments, holders their order's creation time, and the list indexes exist") {
  TempDb db;
  {
    wo::StoreOptions v4;
    v4.max_schema_version = 4;
    CHECK(wo::open_sqlite_store(db.path(), v4)->schema_version() == 4);
  }
  {
    Raw raw(db.path());  // foreign keys are off on this plain connection
    raw.must("INSERT INTO event (id, org_id, order_id, action, actor_kind, actor_id, at, staff_id, details) VALUES "
             "(1, 1, 1, 2, 1, 3, 0, 7, NULL), (2, 1, 1, 6, 1, 3, 0, 8, 'swap'), (3, 1, 1, 15, 2, 4, 0, NULL, 'hi')");
    raw.must("INSERT INTO work_order (id, org_id, number, order_type_id, subtype_id, charge_mode, description, address, "
             "source_channel, created_by_kind, created_by_id, payer, status, status_since, spec_price, lines_total, "
             "prepay_due, paid, refunded, reopen_count, created_at) VALUES "
             "(1, 1, '20261127-000001', 1, 1, 0, 'leak', 'here', 0, 2, 4, 0, 3, 5, 0, 0, 0, 0, 0, 0, 1795741200000)");
    raw.must("INSERT INTO order_holder (id, order_id, staff_id) VALUES (1, 1, 7)");
  }
  CHECK(wo::open_sqlite_store(db.path())->schema_version() == wo::latest_schema_version());
  Raw raw(db.path());
  CHECK(raw.integer("SELECT concerns * 100 + concerns_id FROM event WHERE id = 1") == 107);
  CHECK(raw.integer("SELECT concerns * 100 + concerns_id FROM event WHERE id = 2") == 108);
  CHECK(raw.integer("SELECT concerns FROM event WHERE id = 3") == 0);
  CHECK(raw.integer("SELECT count(*) FROM event WHERE id = 3 AND concerns_id IS NULL") == 1);
  CHECK(raw.integer("SELECT order_created_at FROM order_holder WHERE id = 1") == 1795741200000);
  for (const char* index : {"event_concerns", "work_order_assignee", "work_order_type", "work_order_subtype",
                            "work_order_tenant", "work_order_reporter_staff", "work_order_reporter_status", "order_holder_staff", "work_order_figures"})
    CHECK_MESSAGE(raw.integer(("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '" +
                               std::string(index) + "'")) == 1, index);
}

TEST_CASE("a database with a newer schema fails with schema_too_new and is left untouched") {
  TempDb db;
  {
    wo::Engine engine(wo::open_sqlite_store(db.path()));
    make_org(engine);
  }
  {
    Raw raw(db.path());
    raw.must("PRAGMA user_version = " + std::to_string(wo::latest_schema_version() + 1));
  }
  std::string schema_before;
  {
    Raw raw(db.path());
    schema_before = raw.schema();
  }
  const std::string bytes_before = file_bytes(db.path());
  REQUIRE_FALSE(bytes_before.empty());

  std::string message;
  const wo::Code code = code_of([&] {
    try {
      wo::open_sqlite_store(db.path());
    } catch (const wo::Error& e) {
      message = e.what();
      throw;
    }
  });
  CHECK(code == wo::Code::schema_too_new);
  CAPTURE(message);
  CHECK(message.find(db.path()) != std::string::npos);
  CHECK(code_of([&] { wo::open_sqlite_store(db.path(), {.durability = wo::Durability::normal}); }) ==
        wo::Code::schema_too_new);

  CHECK(file_bytes(db.path()) == bytes_before);
  Raw raw(db.path());
  CHECK(raw.integer("PRAGMA user_version") == wo::latest_schema_version() + 1);
  CHECK(raw.schema() == schema_before);
  CHECK(raw.integer("SELECT count(*) FROM org") == 1);
}

// A newer library may have written the file in another journal mode; opening must not switch
// it to WAL (a write to the file header) before finding out the schema is too new.
TEST_CASE("a newer-schema database in rollback-journal mode is not switched to WAL") {
  TempDb db;
  {
    Raw raw(db.path());
    raw.must("CREATE TABLE future_thing (id INTEGER PRIMARY KEY, x TEXT)");
    raw.must("PRAGMA user_version = " + std::to_string(wo::latest_schema_version() + 1));
    CHECK(raw.text("PRAGMA journal_mode") == "delete");
  }
  const std::string bytes_before = file_bytes(db.path());
  CHECK(code_of([&] { wo::open_sqlite_store(db.path()); }) == wo::Code::schema_too_new);
  CHECK(file_bytes(db.path()) == bytes_before);
  Raw raw(db.path());
  CHECK(raw.text("PRAGMA journal_mode") == "delete");
  CHECK(raw.integer("PRAGMA user_version") == wo::latest_schema_version() + 1);
}

// A failed open must not leak the SQLite handle (and with it an open file descriptor and
// ~100 KB): the ASan build's leak check and the fd count below both catch that.
TEST_CASE("a file that is not a database fails with Code::storage, is left alone and leaks nothing") {
  TempDb db;
  {
    std::ofstream out(db.path(), std::ios::binary);
    out << std::string(4096, 'x');
  }
  const auto fds_before = open_fds();
  CHECK(code_of([&] { wo::open_sqlite_store(db.path()); }) == wo::Code::storage);
  CHECK(open_fds() == fds_before);
  CHECK(file_bytes(db.path()) == std::string(4096, 'x'));
  CHECK(code_of([&] { wo::open_sqlite_store("/nonexistent-dir-wo-test/x.db"); }) == wo::Code::storage);
}

TEST_CASE("records persist across close and reopen") {
  TempDb db;
  wo::NewOrg org;
  wo::DepartmentId plumbing;
  wo::MaterialId material;
  for (const auto durability : {wo::Durability::full, wo::Durability::normal}) {
    CAPTURE(static_cast<int>(durability));
    if (durability == wo::Durability::full) {
      wo::Engine engine(wo::open_sqlite_store(db.path()));
      org = make_org(engine);
      plumbing = engine.create<wo::Department>(wo::Actor::staff(org.admin), department("Plumbing"));
      material = make_material(engine, org.admin, "FC-1");
      engine.create<wo::StockMovement>(wo::Actor::staff(org.admin),
                                       movement(material, wo::MovementKind::requisition, 7000));
    }
    wo::Engine engine(wo::open_sqlite_store(db.path(), {.durability = durability}));
    const auto admin = wo::Actor::staff(org.admin);
    const wo::Org got = engine.get_org(admin, org.org);
    CHECK(got.name == "Acme");
    CHECK(got.time_zone == "Asia/Shanghai");
    CHECK(got.currency == "CNY");
    const wo::Department d = engine.get<wo::Department>(admin, plumbing);
    CHECK(d.name == "Plumbing");
    CHECK(d.org_id == org.org);
    CHECK(d.active);
    CHECK(engine.get<wo::Staff>(admin, org.admin).phone == "13800138000");
    CHECK(engine.get<wo::Material>(admin, material).stock.milli == 7000);
    CHECK(list_all<wo::Department>(engine, org.admin).size() == 1);
    CHECK(engine.list_channels(admin).size() == 6);
  }
}

TEST_CASE("stock never goes negative; a refused movement records nothing") {
  TempDb db;
  wo::Engine engine(wo::open_sqlite_store(db.path()));
  const auto org = make_org(engine);
  const auto admin = wo::Actor::staff(org.admin);
  const auto material = make_material(engine, org.admin, "FC-1");

  CHECK(code_of([&] { engine.create<wo::StockMovement>(admin, movement(material, wo::MovementKind::adjustment, -1)); }) ==
        wo::Code::out_of_stock);
  engine.create<wo::StockMovement>(admin, movement(material, wo::MovementKind::requisition, 10000));
  CHECK(code_of([&] {
          engine.create<wo::StockMovement>(admin, movement(material, wo::MovementKind::adjustment, -10001));
        }) == wo::Code::out_of_stock);
  CHECK(engine.get<wo::Material>(admin, material).stock.milli == 10000);
  const wo::Filter by_material{{"material_id", wo::Value{material.value}}};
  CHECK(list_all<wo::StockMovement>(engine, org.admin, by_material).size() == 1);

  engine.create<wo::StockMovement>(admin, movement(material, wo::MovementKind::adjustment, -10000));
  CHECK(engine.get<wo::Material>(admin, material).stock.milli == 0);
  CHECK(list_all<wo::StockMovement>(engine, org.admin, by_material).size() == 2);
}

// rules §6: overflow anywhere is an error, never a wrapped (or, in SQLite, silently floating)
// number; rules §9: a failure leaves the database exactly as it was.
TEST_CASE("a requisition that would overflow the stock fails with Code::overflow and changes nothing") {
  TempDb db;
  wo::Engine engine(wo::open_sqlite_store(db.path()));
  const auto org = make_org(engine);
  const auto admin = wo::Actor::staff(org.admin);
  const auto material = make_material(engine, org.admin, "FC-1");
  engine.create<wo::StockMovement>(admin, movement(material, wo::MovementKind::requisition, 10000));

  const std::int64_t max64 = std::numeric_limits<std::int64_t>::max();
  CHECK(code_of([&] {
          engine.create<wo::StockMovement>(admin, movement(material, wo::MovementKind::requisition, max64));
        }) == wo::Code::overflow);
  CHECK(code_of([&] {
          engine.create<wo::StockMovement>(admin, movement(material, wo::MovementKind::adjustment, max64 - 5000));
        }) == wo::Code::overflow);

  Raw raw(db.path());
  CHECK(raw.text("SELECT typeof(stock) FROM material") == "integer");
  CHECK(raw.integer("SELECT stock FROM material") == 10000);
  CHECK(raw.integer("SELECT count(*) FROM stock_movement") == 1);
  // and the material is still readable through the engine
  CHECK(code_of([&] { engine.get<wo::Material>(admin, material); }) == wo::Code::ok);
}

TEST_CASE("several processes opening a new file at once all end at the latest schema") {
  TempDb db;
  const std::string path = db.path();
  const auto statuses = run_children(4, [&](int) {
    auto store = wo::open_sqlite_store(path);
    return store->schema_version() == wo::latest_schema_version() ? 0 : 1;
  });
  CHECK(statuses == std::vector<int>(4, 0));
  Raw raw(path);
  CHECK(raw.integer("PRAGMA user_version") == wo::latest_schema_version());
  CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'order_settings'") == 1);
  CHECK(raw.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("processes sharing a file: every write lands, unique names hold across processes") {
  TempDb db;
  const std::string path = db.path();
  wo::NewOrg org;
  {
    wo::Engine engine(wo::open_sqlite_store(path));
    org = make_org(engine);
  }  // no connection is open in the parent across fork()

  constexpr int processes = 4;
  constexpr int per_process = 25;
  // exit status: 0 = own departments created and the shared name refused with conflict,
  // 1 = own departments created and the shared name created, 2.. = something else went wrong
  const auto statuses = run_children(processes, [&](int k) {
    wo::Engine engine(wo::open_sqlite_store(path));
    const auto admin = wo::Actor::staff(org.admin);
    int shared = -1;
    for (int i = 0; i < per_process; ++i) {
      engine.create<wo::Department>(admin, department("p" + std::to_string(k) + "-d" + std::to_string(i)));
      if (i == per_process / 2) {
        try {
          engine.create<wo::Department>(admin, department("Shared"));
          shared = 1;
        } catch (const wo::Error& e) {
          if (e.code() != wo::Code::conflict) {
            std::fprintf(stderr, "child %d: shared: code %d: %s\n", k, static_cast<int>(e.code()), e.what());
            return 3;
          }
          shared = 0;
        }
      }
    }
    return shared;
  });
  int winners = 0;
  for (int s : statuses) {
    CHECK((s == 0 || s == 1));
    winners += s == 1;
  }
  CHECK(winners == 1);

  wo::Engine engine(wo::open_sqlite_store(path));
  const auto all = list_all<wo::Department>(engine, org.admin);
  CHECK(all.size() == processes * per_process + 1);
  std::set<std::string> names;
  for (const auto& d : all) names.insert(d.name);
  CHECK(names.size() == all.size());
  CHECK(names.count("Shared") == 1);
  CHECK(names.count("p0-d0") == 1);
  CHECK(names.count("p3-d24") == 1);
  Raw raw(path);
  CHECK(raw.integer("SELECT count(*) FROM department") == processes * per_process + 1);
}

TEST_CASE("processes sharing a file: the stock bound holds under concurrent adjustments") {
  TempDb db;
  const std::string path = db.path();
  wo::NewOrg org;
  wo::MaterialId material;
  {
    wo::Engine engine(wo::open_sqlite_store(path));
    org = make_org(engine);
    material = make_material(engine, org.admin, "FC-1");
    engine.create<wo::StockMovement>(wo::Actor::staff(org.admin),
                                     movement(material, wo::MovementKind::requisition, 10000));
  }

  constexpr int processes = 4;
  constexpr int attempts = 5;
  // exit status: number of successful adjustments (the rest must be out_of_stock), 100 = other error
  const auto statuses = run_children(processes, [&](int k) {
    wo::Engine engine(wo::open_sqlite_store(path));
    int ok = 0;
    for (int i = 0; i < attempts; ++i) {
      try {
        engine.create<wo::StockMovement>(wo::Actor::staff(org.admin),
                                         movement(material, wo::MovementKind::adjustment, -1000));
        ++ok;
      } catch (const wo::Error& e) {
        if (e.code() != wo::Code::out_of_stock) {
          std::fprintf(stderr, "child %d: code %d: %s\n", k, static_cast<int>(e.code()), e.what());
          return 100;
        }
      }
    }
    return ok;
  });
  int succeeded = 0;
  for (int s : statuses) {
    CHECK((s >= 0 && s <= attempts));
    succeeded += s;
  }
  CHECK(succeeded == 10);

  wo::Engine engine(wo::open_sqlite_store(path));
  const auto admin = wo::Actor::staff(org.admin);
  CHECK(engine.get<wo::Material>(admin, material).stock.milli == 0);
  const wo::Filter by_material{{"material_id", wo::Value{material.value}}};
  const auto moves = list_all<wo::StockMovement>(engine, org.admin, by_material);
  CHECK(moves.size() == 1 + 10);
  std::int64_t sum = 0;
  int adjustments = 0;
  for (const auto& m : moves) {
    sum += m.qty.milli;
    if (m.movement_kind == wo::MovementKind::adjustment) {
      ++adjustments;
      CHECK(m.qty.milli == -1000);
    }
  }
  CHECK(adjustments == 10);
  CHECK(sum == 0);  // the movements explain the stock exactly
  Raw raw(path);
  CHECK(raw.integer("SELECT count(*) FROM stock_movement") == 11);
  CHECK(raw.integer("SELECT stock FROM material") == 0);
}
