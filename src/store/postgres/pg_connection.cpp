#include "store/postgres/pg_connection.hpp"

#include <charconv>
#include <cstring>
#include <vector>

#include "domain/fail.hpp"

namespace wo::postgres {
namespace {

constexpr Oid int2_oid = 21, int4_oid = 23, int8_oid = 20;

bool is_integer_type(Oid type) { return type == int8_oid || type == int4_oid || type == int2_oid; }

std::string_view or_empty(const char* s) { return s ? std::string_view(s) : std::string_view(); }

// Parameters as libpq wants them: integers as decimal text, text as its exact bytes (binary
// format, so an embedded NUL is refused by the server instead of cutting the value short).
struct Params {
  std::vector<std::string> ints;
  std::vector<const char*> values;
  std::vector<int> lengths, formats;

  explicit Params(std::span<const Value> params) {
    ints.reserve(params.size());
    for (const auto& v : params) {
      if (auto* i = std::get_if<std::int64_t>(&v)) {
        ints.push_back(std::to_string(*i));
        values.push_back(ints.back().c_str());
        lengths.push_back(0);
        formats.push_back(0);
      } else if (auto* s = std::get_if<std::string>(&v)) {
        values.push_back(s->data());
        lengths.push_back(static_cast<int>(s->size()));
        formats.push_back(1);
      } else {
        values.push_back(nullptr);
        lengths.push_back(0);
        formats.push_back(0);
      }
    }
  }
  int count() const { return static_cast<int>(values.size()); }
};

}  // namespace

Value Result::value(int row, int column) const {
  if (PQgetisnull(r_.get(), row, column)) return Value{};
  const char* text = PQgetvalue(r_.get(), row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(r_.get(), row, column));
  if (is_integer_type(PQftype(r_.get(), column))) return Value{integer(row, column)};
  return Value{std::string(text, length)};
}

std::int64_t Result::integer(int row, int column) const {
  const char* text = PQgetvalue(r_.get(), row, column);
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(text, text + std::strlen(text), out);
  if (ec != std::errc{}) fail(Code::internal, "column {} holds '{}', not an integer", column, text);
  (void)end;
  return out;
}

std::int64_t Result::changed() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

Connection::Connection(const std::string& uri, const StoreOptions& options) : uri_(uri), options_(options) {
  connect();
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::connect() {
  PQfinish(conn_);
  prepared_.clear();
  conn_ = PQconnectdb(uri_.c_str());
  if (!conn_) fail(Code::internal, "out of memory opening a PostgreSQL connection");
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // not our stderr to write on
  password_.clear();
  if (PQconninfoOption* info = PQconninfo(conn_)) {
    for (auto* o = info; o->keyword; ++o)
      if (std::strcmp(o->keyword, "password") == 0 && o->val) password_ = o->val;
    PQconninfoFree(info);
  }
  where_ = "database '" + std::string(or_empty(PQdb(conn_))) + "' on host '" + std::string(or_empty(PQhost(conn_))) +
           "' port " + std::string(or_empty(PQport(conn_)));
  if (PQstatus(conn_) != CONNECTION_OK)
    fail(Code::storage, "cannot connect to PostgreSQL {}: {}", where_, scrub(PQerrorMessage(conn_)));
  if (or_empty(PQparameterStatus(conn_, "server_encoding")) != "UTF8")
    fail(Code::storage, "PostgreSQL {} has encoding {}; the library needs a UTF8 database", where_,
         or_empty(PQparameterStatus(conn_, "server_encoding")));
  exec("SET client_encoding = 'UTF8'");
  exec("SET lock_timeout = " + std::to_string(options_.busy_timeout_ms));
  if (options_.durability == Durability::normal) exec("SET synchronous_commit = off");
}

void Connection::ensure_open() {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  connect();
}

Result Connection::exec(const std::string& sql) { return check(PQexec(conn_, sql.c_str()), "exec"); }

Result Connection::query(const std::string& sql, std::span<const Value> params) {
  const Params p(params);
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "wo" + std::to_string(prepared_.size() + 1);
    check(PQprepare(conn_, name.c_str(), sql.c_str(), p.count(), nullptr), "prepare");
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return check(PQexecPrepared(conn_, it->second.c_str(), p.count(), p.values.data(), p.lengths.data(),
                              p.formats.data(), 0),
               "query");
}

Result Connection::query_once(const std::string& sql, std::span<const Value> params) {
  const Params p(params);
  return check(PQexecParams(conn_, sql.c_str(), p.count(), nullptr, p.values.data(), p.lengths.data(),
                            p.formats.data(), 0),
               "query");
}

Result Connection::check(PGresult* r, std::string_view what) {
  Result result(r);
  if (!r) {
    if (PQstatus(conn_) != CONNECTION_OK) raise(what, nullptr, PQerrorMessage(conn_));
    fail(Code::internal, "out of memory in a PostgreSQL {}", what);
  }
  const auto status = PQresultStatus(r);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  std::string message = or_empty(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)).empty()
                            ? std::string(PQerrorMessage(conn_))
                            : std::string(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY));
  if (const char* table = PQresultErrorField(r, PG_DIAG_TABLE_NAME)) message += fmt::format(" (table {})", table);
  raise(what, PQresultErrorField(r, PG_DIAG_SQLSTATE), std::move(message));
}

void Connection::raise(std::string_view what, const char* sqlstate, std::string message) {
  const std::string_view state = or_empty(sqlstate);
  message = scrub(std::move(message));
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (state == "40001" || state == "40P01") throw RetryableFailure{};
  if (state == "23505") fail(Code::conflict, "{}: {}", what, message);
  if (state.starts_with("23")) fail(Code::internal, "{}: {}", what, message);
  if (state == "55P03" || state == "57014") fail(Code::busy, "{}: {} waited too long for a lock ({})", what, where_, message);
  if (state == "22021" || state == "22P05")
    fail(Code::invalid_argument, "{}: a text value is not valid UTF-8 or contains NUL ({})", what, message);
  if (PQstatus(conn_) != CONNECTION_OK)
    fail(Code::storage, "{}: lost the connection to PostgreSQL {}: {}", what, where_, message);
  fail(Code::storage, "{} on PostgreSQL {}: {}{}", what, where_, message, state.empty() ? "" : fmt::format(" [{}]", state));
}

// A server message never quotes the password, but the library does not bet on it.
std::string Connection::scrub(std::string message) const {
  if (password_.empty()) return message;
  for (std::size_t at; (at = message.find(password_)) != std::string::npos;) message.replace(at, password_.size(), "***");
  return message;
}

}  // namespace wo::postgres
