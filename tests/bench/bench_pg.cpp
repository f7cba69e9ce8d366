// SPDX-License-Identifier: MIT
#include "bench_pg.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace wo_bench::pg {
namespace {

constexpr Oid int2_oid = 21, int4_oid = 23, int8_oid = 20;

std::string trimmed(const char* message) {
  std::string m = message ? message : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

std::string_view Result::text(int row, int column) const {
  return {PQgetvalue(r_.get(), row, column), static_cast<std::size_t>(PQgetlength(r_.get(), row, column))};
}

std::int64_t Result::integer(int row, int column) const {
  if (is_null(row, column)) throw std::runtime_error(fmt::format("postgres: column {} is NULL, expected an integer", column));
  const std::string_view t = text(row, column);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size())
    throw std::runtime_error(fmt::format("postgres: column {} holds '{}', not an integer", column, t));
  return v;
}

bool Result::integer_type(int column) const {
  const Oid t = PQftype(r_.get(), column);
  return t == int8_oid || t == int4_oid || t == int2_oid;
}

std::int64_t Result::changed() const {
  const char* n = r_ ? PQcmdTuples(r_.get()) : nullptr;
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Conn::Conn(const std::string& uri) : c_(PQconnectdb(uri.c_str())) {
  if (!c_) throw std::runtime_error("postgres: out of memory connecting");
  PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);  // NOTICEs of DROP ... CASCADE
  if (PQstatus(c_) != CONNECTION_OK) {
    const std::string message = trimmed(PQerrorMessage(c_)), db = PQdb(c_) ? PQdb(c_) : "";
    PQfinish(c_);
    throw std::runtime_error(fmt::format("postgres: cannot connect to database '{}': {}", db, message));
  }
}

Conn::~Conn() { PQfinish(c_); }

Result Conn::check(PGresult* r, std::string_view what) {
  Result result(r);
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) return result;
  throw std::runtime_error(fmt::format("postgres: {}: {}", what, trimmed(PQerrorMessage(c_))));
}

Result Conn::exec(const std::string& sql) { return check(PQexec(c_, sql.c_str()), sql); }

std::int64_t Conn::scalar(const std::string& sql) {
  const Result r = exec(sql);
  if (r.rows() != 1 || r.columns() < 1) throw std::runtime_error(fmt::format("postgres: no single row from {}", sql));
  return r.integer(0, 0);
}

void Conn::copy_in(const std::string& copy_sql, std::string_view data) {
  check(PQexec(c_, copy_sql.c_str()), copy_sql);
  // PQputCopyData takes an int length: hand the buffer over in pieces.
  constexpr std::size_t piece = 1 << 20;
  for (std::size_t at = 0; at < data.size(); at += piece) {
    const std::size_t n = std::min(piece, data.size() - at);
    if (PQputCopyData(c_, data.data() + at, static_cast<int>(n)) != 1)
      throw std::runtime_error(fmt::format("postgres: {}: {}", copy_sql, trimmed(PQerrorMessage(c_))));
  }
  if (PQputCopyEnd(c_, nullptr) != 1) throw std::runtime_error(fmt::format("postgres: {}: {}", copy_sql, trimmed(PQerrorMessage(c_))));
  for (PGresult* r; (r = PQgetResult(c_)) != nullptr;) check(r, copy_sql);
}

std::string dollar_placeholders(std::string_view sql) {
  std::string out;
  int next = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '?') {
      out += sql[i];
      continue;
    }
    out += '$';
    if (i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) continue;  // ?N keeps its N
    out += std::to_string(++next);
  }
  return out;
}

Statement::Statement(Conn& conn, std::string_view sql) : conn_(conn), sql_(dollar_placeholders(sql)), name_(conn.next_name()) {
  conn_.check(PQprepare(conn_.get(), name_.c_str(), sql_.c_str(), 0, nullptr), sql_);
}

Statement& Statement::bind(int i, std::int64_t v) {
  if (params_.size() < static_cast<std::size_t>(i)) params_.resize(static_cast<std::size_t>(i));
  params_[static_cast<std::size_t>(i - 1)] = std::to_string(v);
  return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
  if (params_.size() < static_cast<std::size_t>(i)) params_.resize(static_cast<std::size_t>(i));
  params_[static_cast<std::size_t>(i - 1)] = std::string(v);
  return *this;
}

Statement& Statement::bind_null(int i) {
  if (params_.size() < static_cast<std::size_t>(i)) params_.resize(static_cast<std::size_t>(i));
  params_[static_cast<std::size_t>(i - 1)].reset();
  return *this;
}

const Result& Statement::execute() {
  std::vector<const char*> values;
  values.reserve(params_.size());
  for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
  result_ = conn_.check(PQexecPrepared(conn_.get(), name_.c_str(), static_cast<int>(values.size()), values.data(),
                                       nullptr, nullptr, 0),
                        sql_);
  row_ = 0;
  return result_;
}

bool Statement::step() {
  if (row_ < 0) execute();
  else ++row_;
  if (row_ < result_.rows()) return true;
  reset();
  return false;
}

std::string with_search_path(const std::string& uri, const std::string& schema) {
  // libpq keeps the last of repeated URI parameters, so this one wins over an earlier "options".
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

Schema::Schema(const std::string& server_uri, std::string name, bool keep)
    : server_(server_uri), name_(std::move(name)), location_(with_search_path(server_uri, name_)), keep_(keep) {
  for (const char ch : name_)
    if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '_'))
      throw std::runtime_error(fmt::format("postgres: '{}' is not a plain schema name", name_));
  Conn c(server_);
  if (c.scalar(fmt::format("SELECT count(*) FROM pg_namespace WHERE nspname = '{}'", name_)) != 0)
    throw std::runtime_error(fmt::format("postgres: schema {} already exists; a benchmark needs a fresh one", name_));
  c.exec("CREATE SCHEMA " + name_);
}

Schema::~Schema() {
  if (keep_) return;
  try {
    Conn c(server_);
    c.exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: could not drop schema %s: %s\n", name_.c_str(), e.what());
  }
}

}  // namespace wo_bench::pg
