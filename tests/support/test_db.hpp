// SPDX-License-Identifier: MIT
// The database a storage test runs on. SQLite by default; PostgreSQL when the environment
// variable WO_TEST_POSTGRES holds a server's connection URI (tools/run-tests starts a
// throwaway server and runs every such test again with it set). Tests reach the backend only
// through this file.
//
// On PostgreSQL every TestDb is a fresh schema of that server's database, named after the
// test, and its location is the URI with search_path set to it; it is dropped with the
// TestDb. On SQLite it is a fresh file in the temp directory.
#pragma once
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "workorder/store.hpp"

namespace test_support {

// The PostgreSQL server URI of this run, or "" for SQLite.
inline std::string postgres_server() {
  const char* uri = std::getenv("WO_TEST_POSTGRES");
  return uri ? uri : "";
}

inline bool on_postgres() { return !postgres_server().empty(); }

// Runs one statement on the test server (schema housekeeping); throws on failure.
inline void postgres_admin(const std::string& sql) {
  PGconn* c = PQconnectdb(postgres_server().c_str());
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql.c_str()) : nullptr;
  const bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string error = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + error);
}

class TestDb {
 public:
  // `prefix` names the test in the file or schema name.
  explicit TestDb(std::string_view prefix) {
    static int counter = 0;
    name_ = std::string(prefix) + "_" + std::to_string(static_cast<long>(::getpid())) + "_" + std::to_string(counter++);
    if (on_postgres()) {
      for (auto& ch : name_)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      name_ = "t_" + name_;
      postgres_admin("CREATE SCHEMA " + name_);
      const std::string server = postgres_server();
      path = server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name_;
    } else {
      path = (std::filesystem::temp_directory_path() / (name_ + ".db")).string();
      remove_files();
    }
  }
  ~TestDb() {
    if (!on_postgres()) {
      remove_files();
      return;
    }
    try {
      postgres_admin("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (...) {  // a leftover schema of a throwaway server harms nobody
    }
  }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  std::unique_ptr<wo::Store> open(const wo::StoreOptions& options = {}) const { return wo::open_store(path, options); }

  std::string path;  // what wo::open_store and wo_db_open take: a file path or a URI

 private:
  void remove_files() const {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
  }
  std::string name_;
};

// A store on a fresh database of its own, gone when the store is: what a test's engine runs
// on. On SQLite that is a private in-memory database.
class FreshStore final : public wo::Store {
 public:
  explicit FreshStore(std::string_view prefix, const wo::StoreOptions& options = {}) {
    if (on_postgres()) {
      db_ = std::make_unique<TestDb>(prefix);
      inner_ = db_->open(options);
    } else {
      inner_ = wo::open_sqlite_store(":memory:", options);
    }
  }
  ~FreshStore() override { inner_.reset(); }  // close before the database goes
  void write(const std::function<void(wo::Transaction&)>& fn) override { inner_->write(fn); }
  void read(const std::function<void(wo::Transaction&)>& fn) override { inner_->read(fn); }
  int schema_version() override { return inner_->schema_version(); }
  std::int64_t settled_id(std::string_view table) override { return inner_->settled_id(table); }

 private:
  std::unique_ptr<TestDb> db_;
  std::unique_ptr<wo::Store> inner_;
};

inline std::unique_ptr<wo::Store> fresh_store(std::string_view prefix = "t", const wo::StoreOptions& options = {}) {
  return std::make_unique<FreshStore>(prefix, options);
}

// Hands `store` on and keeps a pointer to it in `out`: a fixture keeps reading the database
// it gave its engine (snapshots of every table), the engine itself hands out no store.
inline std::unique_ptr<wo::Store> keep(wo::Store*& out, std::unique_ptr<wo::Store> store) {
  out = store.get();
  return store;
}

}  // namespace test_support
