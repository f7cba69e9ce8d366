// SPDX-License-Identifier: MIT
// The dashboard (docs/rules.md §8): every figure of docs/dashboard.md from one streaming pass over the
// orders created in the range, plus the org's current held counts, in one read transaction.
#include <date/tz.h>

#include <limits>
#include <map>

#include "domain/billing.hpp"
#include "domain/duration_stats.hpp"
#include "domain/fail.hpp"
#include "domain/lifecycle.hpp"
#include "engine/context.hpp"
#include "engine/row_mapping.hpp"

namespace wo {
namespace {

constexpr std::int64_t day_ms = 86'400'000;
// The accepted range: instants the library takes (check_instant) and at most 36,525 days
// (100 years) long, so the list of days stays small whatever a host passes.
constexpr std::int64_t max_span_days = 36'525;

// The columns the pass reads, and their positions in each row.
enum Col : std::size_t {
  c_type, c_subtype, c_status, c_assignee, c_created, c_accepted, c_finished, c_completed, c_rating, c_reopens,
  c_payer, c_charge_mode, c_spec_price, c_lines_total, c_paid, c_refunded, c_response_state, c_response_due,
  c_resolution_state, c_resolution_due, col_count
};
constexpr std::string_view scan_columns[col_count] = {
    "order_type_id", "subtype_id", "status", "assignee_id", "created_at", "accepted_at", "finished_at",
    "completed_at", "rating", "reopen_count", "payer", "charge_mode", "spec_price", "lines_total", "paid", "refunded",
    "response_state", "response_due", "resolution_state", "resolution_due"};

std::int64_t int_at(const Row& row, Col c) { return std::get<std::int64_t>(row[c]); }
const std::int64_t* optional_at(const Row& row, Col c) { return std::get_if<std::int64_t>(&row[c]); }

template <class E>
E enum_at(const Row& row, Col c) {
  const std::int64_t v = int_at(row, c);
  if (v < 0 || v >= static_cast<std::int64_t>(std::size(EnumRange<E>::names)))
    fail(Code::internal, "stored {} {} is out of range", scan_columns[c], v);
  return static_cast<E>(v);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

std::int64_t clamped_ms(date::sys_seconds t) {
  constexpr auto limit = std::numeric_limits<std::int64_t>::max() / 1000;
  const auto s = t.time_since_epoch().count();
  return s >= limit ? std::numeric_limits<std::int64_t>::max() : s <= -limit ? std::numeric_limits<std::int64_t>::min() : s * 1000;
}

// Org-local dates as days since 1970-01-01. Within one period of the zone (date::sys_info)
// the offset is constant, so the date is plain arithmetic; the zone is consulted again only
// when an instant falls outside the cached period (a DST change, or a far-off instant).
class LocalDays {
 public:
  explicit LocalDays(const date::time_zone& zone) : zone_(zone) {}
  std::int64_t day_of(std::int64_t ms) {
    if (ms < begin_ || ms >= end_) {
      const auto info = zone_.get_info(date::floor<std::chrono::seconds>(from_unix_ms(ms)));
      begin_ = clamped_ms(info.begin);
      end_ = clamped_ms(info.end);
      offset_ms_ = info.offset.count() * 1000;
    }
    return floor_div(ms + offset_ms_, day_ms);
  }

 private:
  const date::time_zone& zone_;
  std::int64_t begin_ = 0, end_ = 0, offset_ms_ = 0;
};

std::string date_text(std::int64_t day) {
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// Counts a clock where it stands at `now`; a clock without target (or cancelled in time)
// is not counted.
void attain(Attainment& a, ServiceState state, const std::int64_t* due, std::int64_t now) {
  if (state == ServiceState::open && due && now > *due) state = ServiceState::breached;
  if (state == ServiceState::met) ++a.met;
  if (state == ServiceState::breached) ++a.breached;
  if (state == ServiceState::open) ++a.open;
}

struct Attained {
  Attainment response, resolution;
};

struct StaffAcc {
  Attained attained;
  std::int64_t finished = 0;
  MeanOf handling, rating;
  std::int64_t held_now = 0;
};

// Everything the pass gathers before the figures are derived.
struct Tally {
  Dashboard d;
  std::map<std::int64_t, std::int64_t> types, subtypes;
  std::map<std::int64_t, Attained> type_attained;
  std::int64_t now = 0;
  std::int64_t first_day = 0;
  std::vector<std::int64_t> created_per_day, completed_per_day;  // indexed by day - first_day
  std::vector<std::int64_t> to_accept, to_finish, to_complete;
  std::int64_t reopened = 0;
  MeanOf rating;
  std::map<std::int64_t, StaffAcc> staff;
  Order money;  // the fields bill_of reads, refilled per row (no allocation)

  // Only days of the range asked for: a day outside it (a completion after `to`, a stored
  // instant from a clock that was wrong) is not listed, so the list's size is the range's.
  void count_day(std::vector<std::int64_t>& per_day, std::int64_t day) {
    const std::int64_t i = day - first_day;
    if (i < 0 || i >= static_cast<std::int64_t>(per_day.size())) return;
    ++per_day[static_cast<std::size_t>(i)];
  }

  void add(const Row& row, LocalDays& local) {
    Dashboard& out = d;
    ++out.orders;
    const auto status = enum_at<Status>(row, c_status);
    ++out.by_status[static_cast<std::size_t>(status)];
    ++types[int_at(row, c_type)];
    ++subtypes[int_at(row, c_subtype)];

    const std::int64_t created = int_at(row, c_created);
    count_day(created_per_day, local.day_of(created));
    const std::int64_t* accepted = optional_at(row, c_accepted);
    const std::int64_t* finished = optional_at(row, c_finished);
    const std::int64_t* completed = optional_at(row, c_completed);
    if (accepted) to_accept.push_back(*accepted - created);
    const bool handled = accepted && finished && *finished >= *accepted;
    if (handled) to_finish.push_back(*finished - *accepted);
    if (status == Status::completed && completed) {
      to_complete.push_back(*completed - created);
      count_day(completed_per_day, local.day_of(*completed));
    }
    if (int_at(row, c_reopens) > 0) ++reopened;

    const std::int64_t* score = optional_at(row, c_rating);
    if (score) {
      if (*score < 1 || *score > 5) fail(Code::internal, "stored rating {} is not 1..5", *score);
      rating.add(*score);
      ++out.rating_counts[static_cast<std::size_t>(*score - 1)];
    }

    money.status = status;
    money.payer = enum_at<Payer>(row, c_payer);
    money.charge_mode = enum_at<ChargeMode>(row, c_charge_mode);
    money.spec_price.minor = int_at(row, c_spec_price);
    money.lines_total.minor = int_at(row, c_lines_total);
    money.paid.minor = int_at(row, c_paid);
    money.refunded.minor = int_at(row, c_refunded);
    const Bill bill = bill_of(money);
    out.billed = out.billed + bill.owed;
    out.collected = out.collected + money.paid;
    out.refunded = out.refunded + money.refunded;
    if (status != Status::cancelled) out.org_borne = out.org_borne + (bill.total - bill.owed);

    const auto response = enum_at<ServiceState>(row, c_response_state);
    const auto resolution = enum_at<ServiceState>(row, c_resolution_state);
    const auto count = [&](Attainment& response_to, Attainment& resolution_to) {
      attain(response_to, response, optional_at(row, c_response_due), now);
      attain(resolution_to, resolution, optional_at(row, c_resolution_due), now);
    };
    count(out.response, out.resolution);
    Attained& type = type_attained[int_at(row, c_type)];
    count(type.response, type.resolution);

    if (const std::int64_t* assignee = optional_at(row, c_assignee)) {
      StaffAcc& s = staff[*assignee];
      count(s.attained.response, s.attained.resolution);
      if (finished) {
        ++s.finished;
        if (handled) s.handling.add(*finished - *accepted);
        if (score) s.rating.add(*score);
      }
    }
  }
};

std::vector<CountById> counts_of(const std::map<std::int64_t, std::int64_t>& m) {
  std::vector<CountById> out;
  out.reserve(m.size());
  for (const auto& [id, n] : m) out.push_back({id, n});
  return out;
}

void check_range(Timestamp from, Timestamp to) {
  const std::int64_t f = to_unix_ms(from), t = to_unix_ms(to);
  if (t <= f) fail(Code::invalid_argument, "to {} must be after from {}", t, f);
  if (f < earliest_instant_ms) fail(Code::invalid_argument, "from {} is before 1970-01-01T00:00Z", f);
  if (t > latest_instant_ms) fail(Code::invalid_argument, "to {} is after 9999-01-01T00:00Z", t);
  if (t - f > max_span_days * day_ms)
    fail(Code::invalid_argument, "from {} to {} spans more than {} days", f, t, max_span_days);
}

}  // namespace

Dashboard Engine::dashboard(const Actor& actor, Timestamp from, Timestamp to) {
  check_range(from, to);
  Tally tally;
  tally.now = to_unix_ms(impl_->now());
  tally.d.from = from;
  tally.d.to = to;
  impl_->store->read([&](Transaction& tx) {
    const Who who = resolve(tx, actor);
    require_role(who, role_admin | role_dispatcher, "read the dashboard");
    static const std::vector<std::string_view> zone_col{"time_zone"};
    const auto org = tx.find("org", zone_col, who.org.value);
    if (!org) fail(Code::not_found, "org {} not found", who.org.value);
    LocalDays local(find_time_zone("time_zone", std::get<std::string>(org->at(0))));
    tally.first_day = local.day_of(to_unix_ms(from));
    tally.created_per_day.assign(static_cast<std::size_t>(local.day_of(to_unix_ms(to) - 1) - tally.first_day + 1), 0);
    tally.completed_per_day.assign(tally.created_per_day.size(), 0);

    OrderFilter filter;
    filter.org_id = who.org.value;
    filter.created_from_ms = to_unix_ms(from);
    filter.created_to_ms = to_unix_ms(to);
    tx.scan_orders(filter, scan_columns, [&](const Row& row) {
      tally.add(row, local);
      return true;
    });
    std::vector<Value> held;
    for (Status s : held_statuses) held.push_back(to_value(s));
    const Condition held_now[] = {{"org_id", Value{who.org.value}}, {"status", held}};
    for (const auto& [staff, n] : tx.count_by("work_order", "assignee_id", held_now)) tally.staff[staff].held_now = n;
  });

  Dashboard& d = tally.d;
  for (const auto& [id, n] : tally.types) {
    const Attained& a = tally.type_attained[id];
    d.by_type.push_back({id, n, a.response, a.resolution});
  }
  d.by_subtype = counts_of(tally.subtypes);
  const std::size_t days = tally.created_per_day.size();
  d.days.reserve(days);
  for (std::size_t i = 0; i < days; ++i)
    d.days.push_back({date_text(tally.first_day + static_cast<std::int64_t>(i)), tally.created_per_day[i],
                      tally.completed_per_day[i]});
  d.submit_to_accept = duration_stats(tally.to_accept);
  d.accept_to_finish = duration_stats(tally.to_finish);
  d.submit_to_complete = duration_stats(tally.to_complete);
  d.completion_rate_bp = ratio_bp(d.by_status[static_cast<std::size_t>(Status::completed)], d.orders);
  d.reopen_rate_bp = ratio_bp(tally.reopened, d.orders);
  d.rated = tally.rating.count;
  d.rating_mean_x100 = tally.rating.mean_x100();
  d.staff.reserve(tally.staff.size());
  for (const auto& [id, s] : tally.staff)
    d.staff.push_back({StaffId{id}, s.finished, s.handling.mean(), s.rating.count, s.rating.mean_x100(), s.held_now,
                       s.attained.response, s.attained.resolution});
  return d;
}

}  // namespace wo
