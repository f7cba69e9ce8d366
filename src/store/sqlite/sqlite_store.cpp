// The SQLite Store: one connection per Store, calls serialised by a mutex, every write
// transaction BEGIN IMMEDIATE so concurrent writers queue on the busy timeout instead of
// failing on a lock upgrade.
#include <mutex>

#include "domain/fail.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/schema.hpp"
#include "workorder/store.hpp"

namespace wo {
namespace sqlite {
namespace {

std::string join(std::span<const std::string_view> names, std::string_view suffix = "") {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += names[i];
    out += suffix;
  }
  return out;
}

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& c) : c_(c) {}

  std::int64_t insert(std::string_view table, std::span<const std::string_view> columns,
                      const Row& values) override {
    std::string sql = "INSERT INTO " + std::string(table) + " (" + join(columns) + ") VALUES (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
    auto stmt = c_.prepare(sql);
    for (std::size_t i = 0; i < values.size(); ++i) stmt.bind(static_cast<int>(i + 1), values[i]);
    stmt.step();
    return sqlite3_last_insert_rowid(c_.handle());
  }

  void update(std::string_view table, std::int64_t id, std::span<const std::string_view> columns,
              const Row& values) override {
    std::string sql = "UPDATE " + std::string(table) + " SET " + join(columns, " = ?") + " WHERE id = ?";
    auto stmt = c_.prepare(sql);
    std::size_t i = 0;
    for (; i < values.size(); ++i) stmt.bind(static_cast<int>(i + 1), values[i]);
    stmt.bind(static_cast<int>(i + 1), Value{id});
    stmt.step();
  }

  std::optional<Row> find(std::string_view table, std::span<const std::string_view> columns,
                          std::int64_t id) override {
    auto stmt = c_.prepare("SELECT " + join(columns) + " FROM " + std::string(table) + " WHERE id = ?");
    stmt.bind(1, Value{id});
    if (!stmt.step()) return std::nullopt;
    return read_row(stmt, columns.size());
  }

  std::vector<Row> select(std::string_view table, std::span<const std::string_view> columns,
                          std::span<const Condition> where, std::int64_t after_id, int limit) override {
    std::string sql = "SELECT " + join(columns) + " FROM " + std::string(table) + " WHERE id > ?";
    for (const auto& c : where) sql += " AND " + std::string(c.column) + " IS ?";
    sql += " ORDER BY id LIMIT ?";
    auto stmt = c_.prepare(sql);
    int i = 1;
    stmt.bind(i++, Value{after_id});
    for (const auto& c : where) stmt.bind(i++, c.value);
    stmt.bind(i, Value{std::int64_t{limit}});
    std::vector<Row> rows;
    while (stmt.step()) rows.push_back(read_row(stmt, columns.size()));
    return rows;
  }

  bool add_bounded(std::string_view table, std::int64_t id, std::string_view column, std::int64_t delta,
                   std::int64_t minimum) override {
    const std::string col(column);
    auto stmt = c_.prepare("UPDATE " + std::string(table) + " SET " + col + " = " + col + " + ?1 WHERE id = ?2 AND " +
                           col + " + ?1 >= ?3");
    stmt.bind(1, Value{delta});
    stmt.bind(2, Value{id});
    stmt.bind(3, Value{minimum});
    stmt.step();
    return c_.changes() == 1;
  }

  std::int64_t count_active_admins(std::int64_t org_id) override {
    auto stmt = c_.prepare("SELECT count(*) FROM staff WHERE org_id = ? AND active = 1 AND (roles & 1) = 1");
    stmt.bind(1, Value{org_id});
    stmt.step();
    return stmt.column_int(0);
  }

 private:
  static Row read_row(Statement& stmt, std::size_t n) {
    Row row;
    row.reserve(n);
    for (std::size_t i = 0; i < n; ++i) row.push_back(stmt.column(static_cast<int>(i)));
    return row;
  }
  Connection& c_;
};

int user_version(Connection& c) {
  auto stmt = c.prepare("PRAGMA user_version");
  stmt.step();
  return static_cast<int>(stmt.column_int(0));
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const StoreOptions& options) : c_(path, options) {
    const int latest = static_cast<int>(migrations().size());
    const int target = options.max_schema_version > 0 ? std::min(options.max_schema_version, latest) : latest;
    if (user_version(c_) > latest) too_new(path);
    if (user_version(c_) >= target) return;
    write([&](Transaction&) {
      // Re-read inside the write lock: another process may have migrated meanwhile.
      const int found = user_version(c_);
      if (found > latest) too_new(path);
      for (int v = found; v < target; ++v) {
        c_.exec(migrations()[static_cast<std::size_t>(v)]);
        c_.exec("PRAGMA user_version = " + std::to_string(v + 1));
      }
    });
  }

  void write(const std::function<void(Transaction&)>& fn) override { run("BEGIN IMMEDIATE", fn); }
  void read(const std::function<void(Transaction&)>& fn) override { run("BEGIN", fn); }

  int schema_version() override {
    std::lock_guard lock(mutex_);
    return user_version(c_);
  }

 private:
  [[noreturn]] static void too_new(const std::string& path) {
    fail(Code::schema_too_new, "database '{}' has schema version newer than {} (this library)", path,
         migrations().size());
  }

  void run(const char* begin, const std::function<void(Transaction&)>& fn) {
    std::lock_guard lock(mutex_);
    c_.exec(begin);
    try {
      SqliteTransaction tx(c_);
      fn(tx);
      c_.exec("COMMIT");
    } catch (...) {
      if (!sqlite3_get_autocommit(c_.handle())) sqlite3_exec(c_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::recursive_mutex mutex_;
  Connection c_;
};

}  // namespace
}  // namespace sqlite

std::unique_ptr<Store> open_sqlite_store(const std::string& path, const StoreOptions& options) {
  return std::make_unique<sqlite::SqliteStore>(path, options);
}

int latest_schema_version() { return static_cast<int>(sqlite::migrations().size()); }

}  // namespace wo
