// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "bench.hpp"
#include "bench_pg.hpp"
#include "workorder/store.hpp"

namespace wo_bench {

Options::Options(Args args, std::initializer_list<std::string_view> known, std::initializer_list<std::string_view> flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view name = arg, value;
    const bool inline_value = arg.find('=') != std::string_view::npos;
    if (inline_value) {
      name = arg.substr(0, arg.find('='));
      value = arg.substr(arg.find('=') + 1);
    }
    if (!name.starts_with('-')) throw UsageError(fmt::format("unexpected argument '{}'", arg));
    bool flag = false;
    for (auto f : flags) flag = flag || f == name;
    if (flag) {
      if (inline_value) throw UsageError(fmt::format("option {} takes no value", name));
      values_.emplace_back(name, value);
      continue;
    }
    bool found = false;
    for (auto k : known) found = found || k == name;
    if (!found) throw UsageError(fmt::format("unknown option '{}'", arg));
    if (!inline_value) {
      // The next argument is the value unless it looks like an option: `--db --orders 5`
      // must not make a file named --orders.
      if (i + 1 == args.size() || args[i + 1].starts_with('-'))
        throw UsageError(fmt::format("option {} needs a value", name));
      value = args[++i];
    }
    if (value.empty()) throw UsageError(fmt::format("option {} needs a value", name));
    if (value.starts_with('-'))
      throw UsageError(fmt::format("option {}: value '{}' may not start with '-' (for a file of that name, write ./{})",
                                   name, value, value));
    values_.emplace_back(name, value);
  }
}

std::optional<std::string_view> Options::get(std::string_view name) const {
  std::optional<std::string_view> found;
  for (const auto& [n, v] : values_)
    if (n == name) found = v;  // the last one wins
  return found;
}

std::int64_t Options::integer(std::string_view name, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
  const auto text = get(name);
  if (!text) return fallback;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max)
    throw UsageError(fmt::format("{} must be an integer in {}..{}, got '{}'", name, min, max, *text));
  return v;
}

namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        else
          out += c;
    }
  }
  return out + "\"";
}

}  // namespace

void JsonLine::key(std::string_view k) {
  if (!body_.empty()) body_ += ',';
  body_ += json_string(k);
  body_ += ':';
}

JsonLine& JsonLine::add(std::string_view k, std::string_view text) {
  key(k);
  body_ += json_string(text);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, std::int64_t number) {
  key(k);
  body_ += std::to_string(number);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, double number, int decimals) {
  key(k);
  body_ += std::isfinite(number) ? fmt::format("{:.{}f}", number, decimals) : std::string("null");
  return *this;
}

void JsonLine::print() const {
  std::fputs((str() + "\n").c_str(), stdout);
  std::fflush(stdout);
}

std::int64_t peak_rss_kb() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0 && usage.ru_maxrss > 0) return usage.ru_maxrss;  // KiB on Linux
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));  // "VmHWM:   12345 kB"
  return 0;
}

ScratchDb::ScratchDb(const std::string& user_path, std::string_view tag, bool keep_schema) : keep_(!user_path.empty()) {
  namespace fs = std::filesystem;
  if (wo::is_postgres_uri(user_path)) {
    schema_ = std::make_unique<pg::Schema>(user_path, fmt::format("wo_bench_{}_{}", tag, static_cast<long>(getpid())),
                                           keep_schema);
    path_ = schema_->location();
    return;
  }
  path_ = keep_ ? user_path
                : (fs::temp_directory_path() / fmt::format("wo_bench_{}_{}.db", tag, static_cast<long>(getpid()))).string();
  if (fs::exists(path_))
    throw std::runtime_error(fmt::format("database '{}' already exists; a benchmark needs a fresh file", path_));
}

ScratchDb::~ScratchDb() {
  if (keep_ || schema_) return;  // a schema drops itself (or is kept)
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ignored);
}

std::string ScratchDb::describe() const {
  if (!schema_) return path_;
  return fmt::format("schema {} of {}", schema_->name(), describe_server(path_));
}

std::string describe_server(const std::string& uri) {
  std::string db, host;
  if (PQconninfoOption* options = PQconninfoParse(uri.c_str(), nullptr)) {
    for (auto* o = options; o->keyword; ++o) {
      if (!o->val) continue;
      if (std::string_view(o->keyword) == "dbname") db = o->val;
      if (std::string_view(o->keyword) == "host") host = o->val;
    }
    PQconninfoFree(options);
  }
  return fmt::format("PostgreSQL database '{}' on host '{}'", db, host.empty() ? "localhost" : host);
}

}  // namespace wo_bench
