// SPDX-License-Identifier: MIT
// Shared pieces of wo_bench: the subcommand signature, option parsing, the one-line JSON
// output, peak RSS, timing and scratch database files. A subcommand lives in its own
// <name>_bench.cpp and is listed in main.cpp's table.
#pragma once
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wo_bench {

// The arguments after the subcommand name.
using Args = std::span<const std::string_view>;

// A bad command line: main prints the message and the usage and exits with 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --- subcommands (one per *_bench.cpp) ---
int run_lifecycle(Args args);
int run_slots(Args args);
int run_scale(Args args);
int run_tick(Args args);

// --- options: "--name value" or "--name=value", and `flags` without a value ("--name");
// anything unknown, a positional argument, a missing or empty value, or a value starting
// with '-' (so no file is ever named after an option) is a UsageError. main handles -h and
// --help before the subcommand runs ---
class Options {
 public:
  Options(Args args, std::initializer_list<std::string_view> known, std::initializer_list<std::string_view> flags = {});
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view flag) const { return get(flag).has_value(); }
  // An integer in [min, max]; `fallback` when the option is absent.
  std::int64_t integer(std::string_view name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;

 private:
  std::vector<std::pair<std::string_view, std::string_view>> values_;
};

// One JSON object on one line: {"bench":"lifecycle","orders":2000,...}. Keys keep the order
// they were added in; doubles are printed with a few decimals (null if not finite).
class JsonLine {
 public:
  JsonLine& add(std::string_view key, std::string_view text);
  JsonLine& add(std::string_view key, const char* text) { return add(key, std::string_view(text)); }
  JsonLine& add(std::string_view key, std::int64_t number);
  JsonLine& add(std::string_view key, double number, int decimals = 3);
  std::string str() const { return "{" + body_ + "}"; }
  // Writes the object and a newline to stdout and flushes it.
  void print() const;

 private:
  void key(std::string_view k);
  std::string body_;
};

// Peak resident set size of this process in KiB (getrusage ru_maxrss, else VmHWM).
std::int64_t peak_rss_kb();

// Seconds on the steady clock since `start`.
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

namespace pg {
class Schema;
}

// A database for one benchmark run; path() is what wo::open_store takes.
// SQLite (`user_path` a file path, or empty): a database file. A temporary one (in TMPDIR) is
// deleted with its -wal/-shm/-journal files when this goes away; a path the user gave is kept.
// Either way the file must not exist yet: benchmarks start from a fresh database.
// PostgreSQL (`user_path` a libpq URI, wo::is_postgres_uri): a fresh schema
// wo_bench_<tag>_<pid> in the database the URI names, and path() is the URI with search_path
// set to it; it is dropped with its tables when this goes away unless `keep_schema`.
class ScratchDb {
 public:
  // `user_path` empty: a new temporary file named after `tag`.
  ScratchDb(const std::string& user_path, std::string_view tag, bool keep_schema = false);
  ~ScratchDb();
  ScratchDb(const ScratchDb&) = delete;
  ScratchDb& operator=(const ScratchDb&) = delete;
  const std::string& path() const { return path_; }
  bool postgres() const { return schema_ != nullptr; }
  // For stderr: the file, or the schema and database (never the URI: it may hold a password).
  std::string describe() const;

 private:
  std::string path_;
  bool keep_;
  std::unique_ptr<pg::Schema> schema_;
};

// "database 'x' on host 'y'" of a libpq URI, for stderr (no credentials).
std::string describe_server(const std::string& uri);

}  // namespace wo_bench
