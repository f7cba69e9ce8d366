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
  pending_begin_.clear();
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

void Connection::begin(const std::string& begin_sql) { pending_begin_ = begin_sql; }

void Connection::end(const std::string& sql) {
  if (!pending_begin_.empty()) {
    pending_begin_.clear();
    return;
  }
  exec(sql);
}

void Connection::send_begin() {
  if (pending_begin_.empty()) return;
  const std::string begin = std::move(pending_begin_);
  pending_begin_.clear();
  check(PQexec(conn_, begin.c_str()), "exec");
}

Result Connection::exec(const std::string& sql) {
  send_begin();
  return check(PQexec(conn_, sql.c_str()), "exec");
}

Result Connection::query(const std::string& sql, std::span<const Value> params) {
  const Params p(params);
  auto it = prepared_.find(sql);
  const bool prepare = it == prepared_.end();
  const std::string name = prepare ? "wo" + std::to_string(prepared_.size() + 1) : it->second;
  if (!pending_begin_.empty())
    return pipelined_begin(name, prepare ? &sql : nullptr, p.count(), p.values.data(), p.lengths.data(), p.formats.data());
  if (prepare) {
    check(PQprepare(conn_, name.c_str(), sql.c_str(), p.count(), nullptr), "prepare");
    prepared_.emplace(sql, name);
  }
  return check(PQexecPrepared(conn_, name.c_str(), p.count(), p.values.data(), p.lengths.data(), p.formats.data(), 0),
               "query");
}

// BEGIN, the statement's Parse if it is new, and the statement, then one sync: one round trip
// instead of two. The server runs them in order as if sent one by one; the results are read
// to the sync before any is checked, so the connection leaves pipeline mode either way.
Result Connection::pipelined_begin(const std::string& name, const std::string* prepare_sql, int count,
                                   const char* const* values, const int* lengths, const int* formats) {
  const std::string begin = std::move(pending_begin_);
  pending_begin_.clear();
  // A pipeline takes one command per message: the begin text's commands (BEGIN …; SELECT …)
  // go one by one. They are the store's own constant text, without quoted semicolons.
  std::vector<std::string> begin_commands;
  for (std::size_t at = 0; at <= begin.size();) {
    const std::size_t end = std::min(begin.find(';', at), begin.size());
    const std::string command = begin.substr(at, end - at);
    if (command.find_first_not_of(' ') != std::string::npos) begin_commands.push_back(command);
    at = end + 1;
  }
  if (PQenterPipelineMode(conn_) != 1) raise("begin", nullptr, PQerrorMessage(conn_));
  bool complete = true;
  for (const auto& command : begin_commands)
    complete = complete && PQsendQueryParams(conn_, command.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  complete = complete && (!prepare_sql || PQsendPrepare(conn_, name.c_str(), prepare_sql->c_str(), count, nullptr) == 1) &&
             PQsendQueryPrepared(conn_, name.c_str(), count, values, lengths, formats, 0) == 1 && PQpipelineSync(conn_) == 1;
  std::vector<Result> results;  // the begin commands, [prepare], query: each owns its PGresult
  const std::size_t commands = begin_commands.size() + (prepare_sql ? 2 : 1);
  while (complete && results.size() < commands) {
    PGresult* r = PQgetResult(conn_);
    complete = r != nullptr;
    if (!complete) break;
    results.emplace_back(r);
    while (PGresult* end_of_command = PQgetResult(conn_)) PQclear(end_of_command);  // NULL ends each command
  }
  if (complete) {
    PGresult* sync = PQgetResult(conn_);
    complete = sync && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    PQclear(sync);
  }
  if (!complete || PQexitPipelineMode(conn_) != 1) {
    // Only a broken connection gets here: drop it, so that the next call connects again.
    const std::string message = scrub(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    fail(Code::storage, "begin: lost the connection to PostgreSQL {}: {}", where_, message);
  }
  for (std::size_t i = 0; i < begin_commands.size(); ++i) check(results[i].take(), "begin");
  if (prepare_sql) {
    check(results[begin_commands.size()].take(), "prepare");
    prepared_.emplace(*prepare_sql, name);  // it exists now, whatever the statement does
  }
  return check(results.back().take(), "query");
}

Result Connection::query_once(const std::string& sql, std::span<const Value> params) {
  send_begin();
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
