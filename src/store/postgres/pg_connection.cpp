// SPDX-License-Identifier: MIT
#include "store/postgres/pg_connection.hpp"

#include <charconv>
#include <cstring>
#include <new>
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

// Made while memory is plentiful and thrown by copy (which allocates nothing): out of memory
// after the server committed is a storage failure whose outcome the host must read back.
const Error committed_but_unread(Code::storage,
                                 "out of memory reading PostgreSQL's reply after the transaction committed: the change "
                                 "is stored, read it back");

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
  try {
    connect();
  } catch (...) {
    PQfinish(conn_);  // no destructor runs for an object whose constructor threw
    throw;
  }
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::connect() {
  drop();
  conn_ = PQconnectdb(uri_.c_str());
  if (!conn_) fail(Code::internal, "out of memory opening a PostgreSQL connection");
  try {
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
  } catch (...) {
    drop();  // a connection half set up is not used: the next call starts again
    throw;
  }
}

void Connection::drop() noexcept {
  PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
  queued_.clear();
  begin_queued_ = false;
  statements_queued_ = 0;
}

void Connection::ensure_open() {
  if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
  connect();
}

void Connection::begin(const std::string& begin_sql) {
  // A pipeline takes one command per message: the begin text's commands (BEGIN …; SELECT …)
  // are queued one by one. They are the store's own constant text, without quoted semicolons.
  for (std::size_t at = 0; at <= begin_sql.size();) {
    const std::size_t end = std::min(begin_sql.find(';', at), begin_sql.size());
    const std::string command = begin_sql.substr(at, end - at);
    if (command.find_first_not_of(' ') != std::string::npos) queued_.push_back({command, {}, false});
    at = end + 1;
  }
  begin_queued_ = true;
  statements_queued_ = 0;
}

void Connection::defer(const std::string& sql, std::span<const Value> params,
                       std::function<void(const Result&)> sink) {
  queued_.push_back({sql, std::vector<Value>(params.begin(), params.end()), true, std::move(sink)});
  ++statements_queued_;
}

void Connection::flush() {
  if (!queued_.empty()) pipeline(take_queue());
}

void Connection::commit() {
  if (begin_queued_ && statements_queued_ == 0) {  // no statement ran, so neither did BEGIN
    take_queue();
    return;
  }
  send({"COMMIT", {}, false});
}

void Connection::rollback() noexcept {
  const bool begun = !begin_queued_;
  queued_.clear();
  begin_queued_ = false;
  statements_queued_ = 0;
  if (!begun || !conn_) return;
  PGresult* r = PQpipelineStatus(conn_) == PQ_PIPELINE_OFF ? PQexec(conn_, "ROLLBACK") : nullptr;
  const bool rolled_back = r && PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!rolled_back) drop();  // the server rolls back a closed connection's transaction
}

Result Connection::exec(const std::string& sql) {
  flush();  // exec's text may hold several commands: it cannot join a pipeline
  return check(PQexec(conn_, sql.c_str()), "exec");
}

Result Connection::query(const std::string& sql, std::span<const Value> params) {
  return send({sql, std::vector<Value>(params.begin(), params.end()), true});
}

Result Connection::query_once(const std::string& sql, std::span<const Value> params) {
  return send({sql, std::vector<Value>(params.begin(), params.end()), false});
}

std::vector<Connection::Command> Connection::take_queue() {
  std::vector<Command> queue = std::move(queued_);
  queued_.clear();
  begin_queued_ = false;
  statements_queued_ = 0;
  return queue;
}

Result Connection::send(Command command) {
  if (queued_.empty()) return send_alone(command);
  std::vector<Command> commands = take_queue();
  commands.push_back(std::move(command));
  return pipeline(commands);
}

Result Connection::send_alone(const Command& c) {
  const Params p(c.params);
  if (!c.prepare)
    return check(PQexecParams(conn_, c.sql.c_str(), p.count(), nullptr, p.values.data(), p.lengths.data(),
                              p.formats.data(), 0),
                 "query");
  auto it = prepared_.find(c.sql);
  if (it == prepared_.end()) {
    const std::string name = "wo" + std::to_string(++statement_names_);
    check(PQprepare(conn_, name.c_str(), c.sql.c_str(), p.count(), nullptr), "prepare");
    it = prepared_.emplace(c.sql, name).first;
  }
  return check(PQexecPrepared(conn_, it->second.c_str(), p.count(), p.values.data(), p.lengths.data(),
                              p.formats.data(), 0),
               "query");
}

// Every command, each statement's Parse first if it is new, then one sync: one round trip.
// The server runs them in order as if sent one by one, and after a failure skips the rest
// (the transaction is aborted anyway). The results are read to the sync before any is
// checked, so the connection leaves pipeline mode either way; then they are checked in order
// and the first failure raised.
Result Connection::pipeline(const std::vector<Command>& commands) {
  std::vector<Params> params;
  params.reserve(commands.size());  // no reallocation: each Params points into itself
  for (const auto& c : commands) params.emplace_back(c.params);
  // Per command: the name it runs under ("" unprepared) and whether this pipeline prepares it.
  std::vector<std::pair<std::string, bool>> names;
  std::unordered_map<std::string, std::string> preparing;  // statements new in this pipeline
  for (const auto& c : commands) {
    if (!c.prepare) {
      names.emplace_back("", false);
    } else if (auto it = prepared_.find(c.sql); it != prepared_.end()) {
      names.emplace_back(it->second, false);
    } else if (auto p = preparing.find(c.sql); p != preparing.end()) {
      names.emplace_back(p->second, false);
    } else {
      const std::string name = "wo" + std::to_string(++statement_names_);
      preparing.emplace(c.sql, name);
      names.emplace_back(name, true);
    }
  }
  std::vector<Result> results;  // per command: [prepare], statement; each owns its PGresult
  std::size_t expected = 0;
  for (const auto& name : names) expected += name.second ? 2 : 1;
  results.reserve(expected);  // nothing allocated between sending and reading the replies
  if (PQenterPipelineMode(conn_) != 1) raise("pipeline", nullptr, PQerrorMessage(conn_));
  bool complete = true;
  for (std::size_t i = 0; i < commands.size() && complete; ++i) {
    const Command& c = commands[i];
    const Params& p = params[i];
    const auto& [name, prepare] = names[i];
    if (name.empty()) {
      complete = PQsendQueryParams(conn_, c.sql.c_str(), p.count(), nullptr, p.values.data(), p.lengths.data(),
                                   p.formats.data(), 0) == 1;
    } else {
      complete = (!prepare || PQsendPrepare(conn_, name.c_str(), c.sql.c_str(), p.count(), nullptr) == 1) &&
                 PQsendQueryPrepared(conn_, name.c_str(), p.count(), p.values.data(), p.lengths.data(),
                                     p.formats.data(), 0) == 1;
    }
  }
  complete = complete && PQpipelineSync(conn_) == 1;
  while (complete && results.size() < expected) {
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
    drop();
    fail(Code::storage, "pipeline: lost the connection to PostgreSQL {}: {}", where_, message);
  }
  // A pipeline that ends with a COMMIT the server accepted is stored, whatever happens to its
  // replies here: memory running out while they are read must not say "nothing changed".
  const bool committed = commands.back().sql == "COMMIT" && PQresultStatus(results.back().get()) == PGRES_COMMAND_OK;
  try {
    for (std::size_t i = 0, at = 0;; ++i) {
      if (names[i].second) {
        check(results[at++].take(), "prepare");
        prepared_.emplace(commands[i].sql, names[i].first);  // it exists now, whatever the statement does
      }
      Result r = check(results[at++].take(), "query");
      if (commands[i].sink) commands[i].sink(r);
      if (i + 1 == commands.size()) return r;
    }
  } catch (const std::bad_alloc&) {
    if (committed) throw committed_but_unread;
    throw;
  }
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
