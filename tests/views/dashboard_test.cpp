// SPDX-License-Identifier: MIT
// The dashboard (docs/rules.md §8, docs/dashboard.md): hand-checked figures, the org-local day cut
// across DST changes, access and range checks, and every figure of random histories
// compared with a brute-force recomputation from the engine's own orders.
#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include <unistd.h>

#include "orders/order_fixture.hpp"
#include "support/counting_store.hpp"
#include "support/test_db.hpp"
#include "workorder/views.hpp"

namespace {

using namespace orders_test;
using wo::Dashboard;
using wo::StaffId;

std::int64_t utc(int y, unsigned mo, unsigned d, int h, int mi = 0, int s = 0, int ms = 0) {
  const auto day = date::sys_days{date::year{y} / date::month{mo} / date::day{d}};
  return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count() +
         ((h * 60LL + mi) * 60 + s) * 1000 + ms;
}

Dashboard board(Fixture& f, const Actor& actor, std::int64_t from, std::int64_t to) {
  return f.engine.dashboard(actor, wo::from_unix_ms(from), wo::from_unix_ms(to));
}

void set_zone(Fixture& f, const OrgIds& o, const std::string& zone) {
  wo::Patch<wo::Org> p;
  p.set(&wo::Org::time_zone, zone);
  f.engine.update_org(o.as_admin(), o.org, p);
}

wo::PaymentDraft paying(Money amount) { return {wo::Channel::wechat, amount, std::nullopt}; }

// ---------------------------------------------------------------------------------------------
// The brute force: each figure recomputed with plain loops from whole orders.

std::string day_text(date::local_days day) {
  const date::year_month_day ymd{day};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

date::local_days local_day(const date::time_zone& zone, std::int64_t ms) {
  return date::floor<date::days>(zone.to_local(wo::from_unix_ms(ms)));
}

// Half up for non-negative a / b: floor((2a + b) / 2b).
std::int64_t half_up(wo::Wide a, std::int64_t b) { return b == 0 ? 0 : static_cast<std::int64_t>((2 * a + b) / (2 * b)); }

wo::DurationStats stats_of(std::vector<std::int64_t> v) {
  wo::DurationStats s;
  std::sort(v.begin(), v.end());
  s.count = static_cast<std::int64_t>(v.size());
  if (v.empty()) return s;
  wo::Wide sum = 0;
  for (auto x : v) {
    REQUIRE(x >= 0);  // the random histories only move the clock forward
    sum += x;
  }
  s.mean_ms = half_up(sum, s.count);
  // The smallest k with k / n >= p.
  const auto nearest = [&](std::int64_t p) {
    for (std::int64_t k = 1;; ++k)
      if (k * 100 >= p * s.count) return v[static_cast<std::size_t>(k - 1)];
  };
  s.median_ms = nearest(50);
  s.p90_ms = nearest(90);
  return s;
}

std::int64_t ms(const std::optional<wo::Timestamp>& t) { return wo::to_unix_ms(*t); }

Dashboard brute_force(const std::vector<wo::Order>& all, wo::OrgId org, const date::time_zone& zone, std::int64_t from,
                      std::int64_t to) {
  Dashboard d;
  d.from = wo::from_unix_ms(from);
  d.to = wo::from_unix_ms(to);
  std::vector<wo::Order> set;
  for (const auto& o : all)
    if (o.org_id == org && wo::to_unix_ms(o.created_at) >= from && wo::to_unix_ms(o.created_at) < to) set.push_back(o);

  std::map<std::int64_t, std::int64_t> types, subtypes;
  std::vector<std::int64_t> accept, finish, complete;
  std::int64_t reopened = 0, rating_sum = 0;
  for (const auto& o : set) {
    ++d.orders;
    ++d.by_status[static_cast<std::size_t>(o.status)];
    ++types[o.order_type_id.value];
    ++subtypes[o.subtype_id.value];
    const std::int64_t created = wo::to_unix_ms(o.created_at);
    if (o.accepted_at) accept.push_back(ms(o.accepted_at) - created);
    if (o.accepted_at && o.finished_at && *o.finished_at >= *o.accepted_at)
      finish.push_back(ms(o.finished_at) - ms(o.accepted_at));
    if (o.status == Status::completed) complete.push_back(ms(o.completed_at) - created);
    if (o.reopen_count > 0) ++reopened;
    if (o.rating) {
      ++d.rated;
      rating_sum += *o.rating;
      ++d.rating_counts[static_cast<std::size_t>(*o.rating - 1)];
    }
    const std::int64_t total = o.spec_price.minor + o.lines_total.minor;
    const bool tenant_owes =
        o.payer == wo::Payer::tenant && o.charge_mode != wo::ChargeMode::free && o.status != Status::cancelled;
    d.billed.minor += tenant_owes ? total : 0;
    d.collected.minor += o.paid.minor;
    d.refunded.minor += o.refunded.minor;
    if (o.status != Status::cancelled && !tenant_owes) d.org_borne.minor += total;
  }
  for (auto [id, n] : types) d.by_type.push_back({id, n});
  for (auto [id, n] : subtypes) d.by_subtype.push_back({id, n});

  // The days of the range asked for, whatever the stored instants (a completion after `to`
  // counts on no day).
  const date::local_days last = local_day(zone, to - 1);
  for (date::local_days day = local_day(zone, from); day <= last; day += date::days{1}) {
    wo::DayFigures f;
    f.date = day_text(day);
    for (const auto& o : set) {
      if (local_day(zone, wo::to_unix_ms(o.created_at)) == day) ++f.created;
      if (o.status == Status::completed && local_day(zone, ms(o.completed_at)) == day) ++f.completed;
    }
    d.days.push_back(f);
  }

  d.submit_to_accept = stats_of(accept);
  d.accept_to_finish = stats_of(finish);
  d.submit_to_complete = stats_of(complete);
  d.completion_rate_bp = half_up(wo::Wide{d.by_status[6]} * 10000, d.orders);
  d.reopen_rate_bp = half_up(wo::Wide{reopened} * 10000, d.orders);
  d.rating_mean_x100 = half_up(wo::Wide{rating_sum} * 100, d.rated);

  std::set<std::int64_t> staff;
  for (const auto& o : set)
    if (o.assignee_id) staff.insert(o.assignee_id->value);
  for (const auto& o : all)
    if (o.org_id == org && o.assignee_id && (o.status == Status::pending_accept || o.status == Status::in_progress))
      staff.insert(o.assignee_id->value);
  for (auto id : staff) {
    wo::StaffFigures s;
    s.staff_id = StaffId{id};
    std::vector<std::int64_t> handling;
    std::int64_t scores = 0;
    for (const auto& o : set) {
      if (o.assignee_id != StaffId{id} || !o.finished_at) continue;
      ++s.finished;
      if (o.accepted_at && *o.finished_at >= *o.accepted_at) handling.push_back(ms(o.finished_at) - ms(o.accepted_at));
      if (o.rating) {
        ++s.rated;
        scores += *o.rating;
      }
    }
    s.handling_mean_ms = stats_of(handling).mean_ms;
    s.rating_mean_x100 = half_up(wo::Wide{scores} * 100, s.rated);
    for (const auto& o : all)
      if (o.org_id == org && o.assignee_id == StaffId{id} &&
          (o.status == Status::pending_accept || o.status == Status::in_progress))
        ++s.held_now;
    d.staff.push_back(s);
  }
  return d;
}

void check_stats(const char* name, const wo::DurationStats& got, const wo::DurationStats& want) {
  INFO(name);
  CHECK(got.count == want.count);
  CHECK(got.mean_ms == want.mean_ms);
  CHECK(got.median_ms == want.median_ms);
  CHECK(got.p90_ms == want.p90_ms);
}

// Every figure of two dashboards.
void check_same(const Dashboard& got, const Dashboard& want) {
  CHECK(got.from == want.from);
  CHECK(got.to == want.to);
  CHECK(got.orders == want.orders);
  CHECK(got.by_status == want.by_status);
  REQUIRE(got.by_type.size() == want.by_type.size());
  for (std::size_t i = 0; i < got.by_type.size(); ++i) {
    CHECK(got.by_type[i].id == want.by_type[i].id);
    CHECK(got.by_type[i].orders == want.by_type[i].orders);
  }
  REQUIRE(got.by_subtype.size() == want.by_subtype.size());
  for (std::size_t i = 0; i < got.by_subtype.size(); ++i) {
    CHECK(got.by_subtype[i].id == want.by_subtype[i].id);
    CHECK(got.by_subtype[i].orders == want.by_subtype[i].orders);
  }
  REQUIRE(got.days.size() == want.days.size());
  for (std::size_t i = 0; i < got.days.size(); ++i) {
    INFO("day ", i, " ", want.days[i].date);
    CHECK(got.days[i].date == want.days[i].date);
    CHECK(got.days[i].created == want.days[i].created);
    CHECK(got.days[i].completed == want.days[i].completed);
  }
  check_stats("submit_to_accept", got.submit_to_accept, want.submit_to_accept);
  check_stats("accept_to_finish", got.accept_to_finish, want.accept_to_finish);
  check_stats("submit_to_complete", got.submit_to_complete, want.submit_to_complete);
  CHECK(got.completion_rate_bp == want.completion_rate_bp);
  CHECK(got.reopen_rate_bp == want.reopen_rate_bp);
  CHECK(got.rated == want.rated);
  CHECK(got.rating_mean_x100 == want.rating_mean_x100);
  CHECK(got.rating_counts == want.rating_counts);
  CHECK(got.billed == want.billed);
  CHECK(got.collected == want.collected);
  CHECK(got.refunded == want.refunded);
  CHECK(got.org_borne == want.org_borne);
  REQUIRE(got.staff.size() == want.staff.size());
  for (std::size_t i = 0; i < got.staff.size(); ++i) {
    INFO("staff row ", i, " id ", want.staff[i].staff_id.value);
    CHECK(got.staff[i].staff_id == want.staff[i].staff_id);
    CHECK(got.staff[i].finished == want.staff[i].finished);
    CHECK(got.staff[i].handling_mean_ms == want.staff[i].handling_mean_ms);
    CHECK(got.staff[i].rated == want.staff[i].rated);
    CHECK(got.staff[i].rating_mean_x100 == want.staff[i].rating_mean_x100);
    CHECK(got.staff[i].held_now == want.staff[i].held_now);
  }
}

// An order the dispatcher reports for the org itself (the enterprise pays), finished (and so
// completed) at `done` when given; all times are set on the clock.
OrderId org_order(Fixture& f, const OrgIds& o, std::int64_t created, std::optional<std::int64_t> done = std::nullopt) {
  f.set_now(created);
  const OrderId id = f.engine.submit(o.as_dispatcher(), Fixture::draft(o.after, o.after_spec));
  if (done) {
    f.engine.assign(o.as_dispatcher(), id, o.tech_a);
    f.engine.accept(o.as_tech_a(), id);
    f.set_now(*done);
    f.engine.finish(o.as_tech_a(), id);
    REQUIRE(f.status(id) == Status::completed);
  }
  return id;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
TEST_CASE("dashboard: every figure of a hand-built set") {
  Fixture f;
  const OrgIds& o = f.a;
  const std::int64_t t = start_ms;  // 2026-11-27 09:00 in Asia/Shanghai
  constexpr std::int64_t min = 60'000, hour = 3'600'000;
  const auto at = [&](std::int64_t ms_) { f.set_now(t + ms_); };

  // H: created 1 ms before the range, held now by the lead: only its held count shows.
  at(-1);
  const OrderId h = f.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));
  f.engine.assign(o.as_dispatcher(), h, o.lead);

  // A: after_completion 50.00 + call-out 20.00, accepted 10 min 1 ms after submit, finished,
  // paid and rated 4 an hour after submit.
  at(0);
  const OrderId a = f.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));
  at(1 * min);
  f.engine.assign(o.as_dispatcher(), a, o.tech_a);
  at(10 * min + 1);
  f.engine.accept(o.as_tech_a(), a);
  at(11 * min);
  f.engine.add_line(o.as_tech_a(), a, {wo::LineKind::service_item, o.callout.value, Qty{1000}});
  at(40 * min);
  f.engine.finish(o.as_tech_a(), a);
  at(50 * min);
  f.engine.pay(o.as_c1(), a, paying(Money{7000}));
  at(60 * min);
  f.engine.rate(o.as_c1(), a, 4, std::nullopt);

  // B: free, grabbed by tech_b after 5 min, a 10.00 part the org bears, finished after 15 min,
  // rated 5 fifty minutes after submit.
  at(1 * hour);
  const OrderId b = f.engine.submit(o.as_c1(), Fixture::draft(o.free));
  at(1 * hour + 5 * min);
  f.engine.grab(o.as_tech_b(), b);
  at(1 * hour + 10 * min);
  f.engine.add_line(o.as_tech_b(), b, {wo::LineKind::service_item, o.free_item.value, Qty{1000}});
  at(1 * hour + 20 * min);
  f.engine.finish(o.as_tech_b(), b);
  at(1 * hour + 50 * min);
  f.engine.rate(o.as_c1(), b, 5, std::nullopt);

  // C: free, grabbed and finished, then reopened (its accept and finish are cleared) and
  // assigned to tech_a, who holds it now.
  at(2 * hour);
  const OrderId c = f.engine.submit(o.as_c1(), Fixture::draft(o.free));
  at(2 * hour + 1 * min);
  f.engine.grab(o.as_tech_b(), c);
  at(2 * hour + 2 * min);
  f.engine.finish(o.as_tech_b(), c);
  at(2 * hour + 3 * min);
  f.engine.reopen(o.as_c1(), c, "Still leaking");
  at(2 * hour + 4 * min);
  f.engine.assign(o.as_dispatcher(), c, o.tech_a);

  // D: deposit 20.00 paid, assigned to tech_a, cancelled by the reporter, deposit refunded.
  at(3 * hour);
  const OrderId dd = f.engine.submit(o.as_c1(), Fixture::draft(o.deposit_fixed, o.dep_spec));
  at(3 * hour + 1 * min);
  f.engine.pay_prepayment(o.as_c1(), dd, paying(Money{story_deposit}));
  at(3 * hour + 2 * min);
  f.engine.assign(o.as_dispatcher(), dd, o.tech_a);
  at(3 * hour + 3 * min);
  f.engine.cancel(o.as_c1(), dd, "No longer needed");
  at(3 * hour + 4 * min);
  f.engine.refund(o.as_dispatcher(), dd, paying(Money{story_deposit}));

  // E: reported by the dispatcher for the org (the enterprise pays 50.00), accepted after
  // 2 min, finished 3 min later: completed at once, never rated.
  at(4 * hour);
  const OrderId e = f.engine.submit(o.as_dispatcher(), Fixture::draft(o.after, o.after_spec));
  at(4 * hour + 1 * min);
  f.engine.assign(o.as_dispatcher(), e, o.tech_a);
  at(4 * hour + 2 * min);
  f.engine.accept(o.as_tech_a(), e);
  at(4 * hour + 5 * min);
  f.engine.finish(o.as_tech_a(), e);

  // F: reported by q1, waiting for dispatch; its 50.00 is billed already.
  at(5 * hour);
  f.engine.submit(o.as_q1(), Fixture::draft(o.after, o.after_spec));

  // G: wiring (the electrical type), accepted by the electrician after 7 min 1 ms.
  at(6 * hour);
  const OrderId g = f.engine.submit(o.as_c1(), Fixture::draft(o.wiring));
  f.engine.assign(o.as_dispatcher(), g, o.electrician);
  at(6 * hour + 7 * min + 1);
  f.engine.accept(o.as_electrician(), g);

  // Outside the set: the other org's orders of the same hours, and an order created
  // exactly at `to`.
  at(7 * hour);
  f.drive(f.b, Status::completed);
  f.drive(f.b, Status::pending_accept);
  at(24 * hour);
  f.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));

  REQUIRE(f.status(a) == Status::completed);
  REQUIRE(f.status(b) == Status::completed);
  REQUIRE(f.status(c) == Status::pending_accept);
  REQUIRE(f.status(dd) == Status::cancelled);
  REQUIRE(f.status(e) == Status::completed);
  REQUIRE(f.order(e).payer == wo::Payer::enterprise);
  REQUIRE(f.status(g) == Status::in_progress);

  for (const Actor& actor : {o.as_admin(), o.as_dispatcher(), o.as_lead()}) {
    const Dashboard d = board(f, actor, t, t + 24 * hour);
    CHECK(d.orders == 7);
    std::array<std::int64_t, 8> by_status{};
    by_status[static_cast<std::size_t>(Status::completed)] = 3;  // A, B, E
    by_status[static_cast<std::size_t>(Status::pending_accept)] = 1;
    by_status[static_cast<std::size_t>(Status::cancelled)] = 1;
    by_status[static_cast<std::size_t>(Status::pending_dispatch)] = 1;
    by_status[static_cast<std::size_t>(Status::in_progress)] = 1;
    CHECK(d.by_status == by_status);
    REQUIRE(d.by_type.size() == 2);
    CHECK(d.by_type[0].id == o.plumbing.value);
    CHECK(d.by_type[0].orders == 6);
    CHECK(d.by_type[1].id == o.electric.value);
    CHECK(d.by_type[1].orders == 1);
    REQUIRE(d.by_subtype.size() == 4);  // ascending: free, after, deposit_fixed, wiring
    CHECK(d.by_subtype[0].id == o.free.value);
    CHECK(d.by_subtype[0].orders == 2);
    CHECK(d.by_subtype[1].id == o.after.value);
    CHECK(d.by_subtype[1].orders == 3);
    CHECK(d.by_subtype[2].id == o.deposit_fixed.value);
    CHECK(d.by_subtype[2].orders == 1);
    CHECK(d.by_subtype[3].id == o.wiring.value);
    CHECK(d.by_subtype[3].orders == 1);

    // 09:00 on the 27th to 09:00 on the 28th local: two dates, everything on the first.
    REQUIRE(d.days.size() == 2);
    CHECK(d.days[0].date == "2026-11-27");
    CHECK(d.days[0].created == 7);
    CHECK(d.days[0].completed == 3);
    CHECK(d.days[1].date == "2026-11-28");
    CHECK(d.days[1].created == 0);
    CHECK(d.days[1].completed == 0);

    // Accepts: E 2 min, B 5 min, G 7 min 1 ms, A 10 min 1 ms (C's was cleared by the reopen).
    // Mean 360000.5 rounds up; median rank ceil(2) = 2; p90 rank ceil(3.6) = 4.
    CHECK(d.submit_to_accept.count == 4);
    CHECK(d.submit_to_accept.mean_ms == 360'001);
    CHECK(d.submit_to_accept.median_ms == 300'000);
    CHECK(d.submit_to_accept.p90_ms == 600'001);
    // Handling: E 3 min, B 15 min, A 30 min less 1 ms: mean 959999.67 → 960000, median rank 2.
    CHECK(d.accept_to_finish.count == 3);
    CHECK(d.accept_to_finish.mean_ms == 960'000);
    CHECK(d.accept_to_finish.median_ms == 900'000);
    CHECK(d.accept_to_finish.p90_ms == 1'799'999);
    // Completion: E 5 min, B 50 min, A 60 min.
    CHECK(d.submit_to_complete.count == 3);
    CHECK(d.submit_to_complete.mean_ms == 2'300'000);
    CHECK(d.submit_to_complete.median_ms == 3'000'000);
    CHECK(d.submit_to_complete.p90_ms == 3'600'000);

    CHECK(d.completion_rate_bp == 4286);  // 3 / 7 = 42.857 %
    CHECK(d.reopen_rate_bp == 1429);      // 1 / 7 = 14.286 %
    CHECK(d.rated == 2);
    CHECK(d.rating_mean_x100 == 450);
    CHECK((d.rating_counts == std::array<std::int64_t, 5>{0, 0, 0, 1, 1}));

    CHECK(d.billed == Money{7000 + 5000});               // A and F; D is cancelled, E the org's
    CHECK(d.collected == Money{7000 + story_deposit});   // A's payment and D's deposit
    CHECK(d.refunded == Money{story_deposit});           // D
    CHECK(d.org_borne == Money{5000 + 1000});            // E and B's free part (D excluded)

    // lead: holds H (outside the range); tech_a: A and E finished (handling 1799999 and
    // 180000: mean 989999.5 → 990000), holds C, D cancelled; tech_b: B; electrician: holds G.
    REQUIRE(d.staff.size() == 4);
    CHECK(d.staff[0].staff_id == o.lead);
    CHECK(d.staff[0].finished == 0);
    CHECK(d.staff[0].handling_mean_ms == 0);
    CHECK(d.staff[0].rated == 0);
    CHECK(d.staff[0].held_now == 1);
    CHECK(d.staff[1].staff_id == o.tech_a);
    CHECK(d.staff[1].finished == 2);
    CHECK(d.staff[1].handling_mean_ms == 990'000);
    CHECK(d.staff[1].rated == 1);
    CHECK(d.staff[1].rating_mean_x100 == 400);
    CHECK(d.staff[1].held_now == 1);
    CHECK(d.staff[2].staff_id == o.tech_b);
    CHECK(d.staff[2].finished == 1);
    CHECK(d.staff[2].handling_mean_ms == 900'000);
    CHECK(d.staff[2].rated == 1);
    CHECK(d.staff[2].rating_mean_x100 == 500);
    CHECK(d.staff[2].held_now == 0);
    CHECK(d.staff[3].staff_id == o.electrician);
    CHECK(d.staff[3].finished == 0);
    CHECK(d.staff[3].rated == 0);
    CHECK(d.staff[3].rating_mean_x100 == 0);
    CHECK(d.staff[3].held_now == 1);
  }

  // The boundaries: from is inclusive (H at t − 1 ms joins), to exclusive.
  CHECK(board(f, o.as_admin(), t - 1, t + 24 * hour).orders == 8);
  CHECK(board(f, o.as_admin(), t, t + 24 * hour + 1).orders == 8);
  CHECK(board(f, o.as_admin(), t, t + 1).orders == 1);
  // The other org sees only its own two orders.
  const Dashboard other = board(f, f.b.as_admin(), t, t + 24 * hour);
  CHECK(other.orders == 2);
  REQUIRE(other.staff.size() == 1);
  CHECK(other.staff[0].staff_id == f.b.tech_a);
  CHECK(other.staff[0].held_now == 1);
}

TEST_CASE("dashboard: no orders gives zeros, the listed days and the staff holding orders") {
  Fixture f;
  const OrgIds& o = f.a;
  f.set_now(start_ms - 1);
  const OrderId h = f.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));
  f.engine.assign(o.as_dispatcher(), h, o.tech_b);
  const Dashboard d = board(f, o.as_admin(), start_ms, start_ms + 3 * 86'400'000LL);
  CHECK(d.orders == 0);
  CHECK((d.by_status == std::array<std::int64_t, 8>{}));
  CHECK(d.by_type.empty());
  CHECK(d.by_subtype.empty());
  CHECK(d.submit_to_accept.count == 0);
  CHECK(d.submit_to_accept.mean_ms == 0);
  CHECK(d.submit_to_accept.p90_ms == 0);
  CHECK(d.completion_rate_bp == 0);
  CHECK(d.reopen_rate_bp == 0);
  CHECK(d.rated == 0);
  CHECK(d.rating_mean_x100 == 0);
  CHECK(d.billed == Money{0});
  CHECK(d.org_borne == Money{0});
  REQUIRE(d.days.size() == 4);  // 09:00 local on the 27th to 09:00 on the 30th
  CHECK(d.days[0].date == "2026-11-27");
  CHECK(d.days[3].date == "2026-11-30");
  for (const auto& day : d.days) CHECK(day.created + day.completed == 0);
  REQUIRE(d.staff.size() == 1);
  CHECK(d.staff[0].staff_id == o.tech_b);
  CHECK(d.staff[0].held_now == 1);
}

TEST_CASE("dashboard: days are org-local dates, cut at local midnight across DST changes") {
  Fixture f;
  const OrgIds& o = f.a;
  set_zone(f, o, "America/New_York");
  // 2026-03-08: clocks go from 02:00 EST (−05:00) to 03:00 EDT (−04:00), a 23-hour day.
  const std::int64_t from = utc(2026, 3, 7, 5);  // 03-07 00:00 EST
  const std::int64_t to = utc(2026, 3, 10, 4);   // 03-10 00:00 EDT
  const OrderId o1 = org_order(f, o, from);                                                       // 03-07 00:00
  org_order(f, o, utc(2026, 3, 8, 4, 59, 59, 999));                                               // 03-07 23:59:59.999
  org_order(f, o, utc(2026, 3, 8, 5), utc(2026, 3, 9, 3, 30));                                    // 03-08 00:00, done 23:30 EDT
  org_order(f, o, utc(2026, 3, 9, 3, 59, 59, 999));                                               // 03-08 23:59:59.999 EDT
  org_order(f, o, utc(2026, 3, 9, 4));                                                            // 03-09 00:00 EDT (23:00 in EST)
  org_order(f, o, to - 1);                                                                        // 03-09 23:59:59.999
  org_order(f, o, to);                                                                            // outside
  // o1 completes on 03-13 00:30 EDT, after the range: the list still ends with its last day,
  // and that completion counts on no day.
  f.set_now(utc(2026, 3, 10, 5));
  f.engine.assign(o.as_dispatcher(), o1, o.tech_a);
  f.engine.accept(o.as_tech_a(), o1);
  f.set_now(utc(2026, 3, 13, 4, 30));
  f.engine.finish(o.as_tech_a(), o1);

  const Dashboard d = board(f, o.as_admin(), from, to);
  CHECK(d.orders == 6);
  const std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> want{
      {"2026-03-07", 2, 0}, {"2026-03-08", 2, 1}, {"2026-03-09", 2, 0}};
  REQUIRE(d.days.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("day ", i);
    CHECK(d.days[i].date == std::get<0>(want[i]));
    CHECK(d.days[i].created == std::get<1>(want[i]));
    CHECK(d.days[i].completed == std::get<2>(want[i]));
  }
  // Without the late completion the list ends with the local date of to − 1 ms.
  const Dashboard early = board(f, o.as_admin(), from + 1, to);
  REQUIRE(early.days.size() == 3);
  CHECK(early.days[0].created == 1);  // o1 at `from` is outside
  CHECK(early.days[2].date == "2026-03-09");
  // A one-millisecond range has one date.
  const Dashboard one = board(f, o.as_admin(), to - 1, to);
  REQUIRE(one.days.size() == 1);
  CHECK(one.days[0].date == "2026-03-09");
  CHECK(one.days[0].created == 1);

  // 2026-11-01: clocks go from 02:00 EDT back to 01:00 EST, a 25-hour day.
  const std::int64_t fall_from = utc(2026, 10, 31, 4);  // 10-31 00:00 EDT
  const std::int64_t fall_to = utc(2026, 11, 2, 5);     // 11-02 00:00 EST
  org_order(f, o, utc(2026, 11, 1, 3, 59, 59, 999));    // 10-31 23:59:59.999 EDT
  org_order(f, o, utc(2026, 11, 1, 5, 30));             // 11-01 01:30 EDT
  org_order(f, o, utc(2026, 11, 1, 6, 30));             // 11-01 01:30 EST, the repeated hour
  org_order(f, o, utc(2026, 11, 2, 4, 30));             // 11-01 23:30 EST (00:30 in EDT)
  org_order(f, o, fall_to);                             // 11-02 00:00 EST: outside
  const Dashboard fall = board(f, o.as_admin(), fall_from, fall_to);
  REQUIRE(fall.days.size() == 2);
  CHECK(fall.days[0].date == "2026-10-31");
  CHECK(fall.days[0].created == 1);
  CHECK(fall.days[1].date == "2026-11-01");
  CHECK(fall.days[1].created == 3);
}

TEST_CASE("dashboard: only admins and dispatchers of the org") {
  Fixture f;
  const OrgIds& o = f.a;
  f.drive(o, Status::completed);
  const std::int64_t from = start_ms, to = start_ms + 86'400'000;
  for (const Actor& actor : {o.as_tech_a(), o.as_electrician(), o.as_c1(), o.as_q1(), Actor::system()}) {
    const Outcome out = f.expect_error(Code::forbidden, [&] { board(f, actor, from, to); });
    CHECK(out.message.find("dashboard") != std::string::npos);
  }
  f.expect_error(Code::not_found, [&] { board(f, Actor::staff(StaffId{999'999}), from, to); });
  f.engine.set_active<wo::Staff>(o.as_admin(), o.dispatcher, false);
  f.expect_error(Code::forbidden, [&] { board(f, o.as_dispatcher(), from, to); });
  CHECK(board(f, o.as_admin(), from, to).orders == 1);
  CHECK(board(f, o.as_lead(), from, to).orders == 1);
  CHECK(board(f, f.b.as_admin(), from, to).orders == 0);
}

TEST_CASE("dashboard: the range must be ordered, bounded and at most 36525 days") {
  Fixture f;
  const Actor admin = f.a.as_admin();
  const std::int64_t t = start_ms;
  Outcome out = f.expect_error(Code::invalid_argument, [&] { board(f, admin, t, t); });
  CHECK(out.message.find(std::to_string(t)) != std::string::npos);
  out = f.expect_error(Code::invalid_argument, [&] { board(f, admin, t, t - 5); });
  CHECK(out.message.find(std::to_string(t - 5)) != std::string::npos);
  CHECK(out.message.find(std::to_string(t)) != std::string::npos);
  constexpr std::int64_t day = 86'400'000;
  out = f.expect_error(Code::invalid_argument, [&] { board(f, admin, t, t + 36'525 * day + 1); });
  CHECK(out.message.find("36525") != std::string::npos);
  CHECK(board(f, admin, t, t + 36'525 * day).days.size() == 36'526);
  const std::int64_t earliest = 0, latest = utc(9999, 1, 1, 0);
  out = f.expect_error(Code::invalid_argument, [&] { board(f, admin, earliest - 1, earliest + day); });
  CHECK(out.message.find("from") != std::string::npos);
  out = f.expect_error(Code::invalid_argument, [&] { board(f, admin, latest - day, latest + 1); });
  CHECK(out.message.find("to") != std::string::npos);
  const auto far_past = board(f, admin, earliest, earliest + day);
  CHECK(far_past.days.front().date == "1970-01-01");
  const auto far_future = board(f, admin, latest - day, latest);
  CHECK(far_future.days.back().date == "9999-01-01");  // 07:59 local in Shanghai
  f.expect_error(Code::invalid_argument, [&] {
    board(f, admin, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
  });
}

TEST_CASE("dashboard: money sums that overflow are an overflow error") {
  Fixture f;
  const OrgIds& o = f.a;
  // Three orders each billing 4e18 fen: each fits, their sum does not.
  for (int i = 0; i < 3; ++i) {
    f.advance(1min);
    const OrderId id = f.in_progress_after(o, o.tech_a);
    f.engine.add_line(o.as_tech_a(), id, {wo::LineKind::service_item, o.huge_item.value, Qty{1000}});
  }
  f.expect_error(Code::overflow, [&] { board(f, o.as_admin(), start_ms, start_ms + 86'400'000); });
}

// One read transaction, one scan, no query per order, counted by test_support::CountingStore.
TEST_CASE("dashboard: one read transaction, one scan of the range, no query per order") {
  const test_support::TestDb db("wo_dashboard");
  const std::string& path = db.path;
  {
    Fixture f(path);
    for (Status s : all_statuses) f.drive(f.a, s);
    for (Status s : all_statuses) f.drive(f.a, s);
    test_support::StoreCalls calls;
    wo::Engine counted(std::make_unique<test_support::CountingStore>(wo::open_store(path), calls),
                       [&] { return f.now; });
    const std::int64_t from = start_ms, to = start_ms + 86'400'000;
    const Dashboard d = counted.dashboard(f.a.as_dispatcher(), wo::from_unix_ms(from), wo::from_unix_ms(to));
    CHECK(d.orders == 16);
    CHECK(calls.reads == 1);
    CHECK(calls.writes == 0);
    CHECK(calls.scans == 1);
    CHECK(calls.held == 1);
    CHECK(calls.select_orders + calls.other_order_reads == 0);
    CHECK(calls.selects.empty());
    CHECK(calls.finds.size() == 2);  // the actor and the org's zone, once each
    CHECK(calls.finds["staff"] == 1);
    CHECK(calls.finds["org"] == 1);
    REQUIRE(calls.filters.size() == 1);
    const wo::OrderFilter& filter = calls.filters[0];
    CHECK(filter.org_id == f.a.org.value);
    CHECK(filter.created_from_ms == from);
    CHECK(filter.created_to_ms == to);
    CHECK_FALSE(filter.status);
    CHECK_FALSE(filter.held_by);
    CHECK_FALSE(filter.assignee_id);
    CHECK_FALSE(filter.text);
  }
}

// ---------------------------------------------------------------------------------------------
// Random histories driven through the engine, then every figure against the brute force.
namespace {

struct Driven {
  OrderId id;
  const OrgIds* org;
  Actor reporter;
};

class History {
 public:
  History(Fixture& f, std::uint64_t seed) : f_(f), rng_(seed) {}

  void run(int steps) {
    for (int i = 0; i < steps; ++i) {
      f_.advance(std::chrono::milliseconds(pick(1, 90) * 60'000 + pick(0, 59'999)));
      const auto r = pick(0, 99);
      if (r < 3) {
        f_.engine.tick(Actor::system(), f_.now);
      } else if (r < 25 || orders_.empty()) {
        submit(pick(0, 99) < 85 ? f_.a : f_.b);
      } else {
        act(orders_[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(orders_.size()) - 1))]);
      }
    }
  }

  std::vector<wo::Order> all_orders() {
    std::vector<wo::Order> all;
    for (const auto& d : orders_) all.push_back(f_.order(d.id));
    return all;
  }
  int succeeded = 0;

 private:
  std::int64_t pick(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_); }
  bool chance(int percent) { return pick(0, 99) < percent; }

  template <class F>
  void attempt(F&& call) {
    const Outcome out = capture(std::forward<F>(call));
    CHECK_MESSAGE(!out.foreign, out.message);
    if (!out.threw) ++succeeded;
  }

  void submit(const OrgIds& o) {
    const Actor reporters[] = {o.as_c1(), o.as_c2(), o.as_q1(), o.as_dispatcher()};
    const Actor reporter = reporters[pick(0, 3)];
    wo::OrderDraft d;
    switch (pick(0, 7)) {
      case 0: d = Fixture::draft(o.free); break;
      case 1: d = Fixture::draft(o.after, o.after_spec); break;
      case 2: d = Fixture::draft(o.after); break;
      case 3: d = Fixture::draft(o.after_plain); break;
      case 4: d = Fixture::draft(o.deposit_fixed, o.dep_spec); break;
      case 5: d = Fixture::draft(o.deposit_bps, o.bps_2000); break;
      case 6: d = Fixture::draft(o.full, o.full_spec); break;
      default: d = Fixture::draft(o.wiring);
    }
    const Outcome out = capture([&] { orders_.push_back({f_.engine.submit(reporter, d), &o, reporter}); });
    CHECK_MESSAGE(!out.threw, out.message);
  }

  std::vector<StaffId> eligible(const OrgIds& o, const wo::Order& order) {
    if (order.order_type_id == o.electric) return {o.electrician};
    return {o.tech_a, o.tech_b, o.lead};
  }
  StaffId any_of(const std::vector<StaffId>& v) { return v[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(v.size()) - 1))]; }

  void act(const Driven& d) {
    const OrgIds& o = *d.org;
    auto& e = f_.engine;
    const wo::Order order = f_.order(d.id);
    const OrderId id = d.id;
    const Actor assignee = order.assignee_id ? Actor::staff(*order.assignee_id) : o.as_dispatcher();
    switch (order.status) {
      case Status::awaiting_prepayment:
        if (chance(60)) attempt([&] { e.pay_prepayment(d.reporter, id, paying(order.prepay_due - order.paid)); });
        else if (chance(25)) attempt([&] { e.cancel(d.reporter, id, "changed my mind"); });
        break;
      case Status::pending_dispatch:
        if (chance(50)) attempt([&] { e.assign(o.as_dispatcher(), id, any_of(eligible(o, order))); });
        else if (chance(80)) attempt([&] { e.grab(Actor::staff(any_of(eligible(o, order))), id); });
        else attempt([&] { e.cancel(o.as_dispatcher(), id, "duplicate"); });
        break;
      case Status::pending_accept:
        if (chance(55)) attempt([&] { e.accept(assignee, id); });
        else if (chance(40)) attempt([&] { e.reject(assignee, id, "busy"); });
        else if (chance(60)) attempt([&] { e.transfer(o.as_dispatcher(), id, any_of(eligible(o, order)), "rebalance"); });
        else attempt([&] { e.cancel(d.reporter, id, "not needed"); });
        break;
      case Status::in_progress:
        if (chance(35)) {
          add_line(o, order, assignee);
        } else if (chance(15)) {
          for (const auto& l : f_.lines(id))
            if (!l.removed && !l.consumed) {
              attempt([&] { e.remove_line(assignee, id, l.id); });
              break;
            }
        } else if (chance(90)) {
          attempt([&] { e.finish(chance(80) ? assignee : o.as_dispatcher(), id); });
        } else {
          attempt([&] { e.cancel(o.as_admin(), id, "tenant moved out"); });
        }
        break;
      case Status::awaiting_payment: {
        const Money balance = f_.bill(id).balance;
        const Money amount = chance(70) || balance.minor < 2 ? balance : Money{balance.minor / 2};
        attempt([&] { e.pay(chance(70) ? d.reporter : o.as_dispatcher(), id, paying(amount)); });
        break;
      }
      case Status::awaiting_rating:
        if (chance(70)) attempt([&] { e.rate(d.reporter, id, static_cast<int>(pick(1, 5)), std::nullopt); });
        else if (chance(50)) attempt([&] { e.reopen(d.reporter, id, "not fixed"); });
        break;
      case Status::completed:
        if (chance(15)) attempt([&] { e.reopen(d.reporter, id, "broke again"); });
        else refund(o, id);
        break;
      case Status::cancelled:
        refund(o, id);
        break;
    }
  }

  void add_line(const OrgIds& o, const wo::Order& order, const Actor& assignee) {
    std::optional<wo::LineDraft> line;
    if (order.subtype_id == o.after) line = wo::LineDraft{wo::LineKind::service_item, o.callout.value, Qty{1000}};
    else if (order.subtype_id == o.deposit_fixed) line = wo::LineDraft{wo::LineKind::service_item, o.dep_callout.value, Qty{1000}};
    else if (order.subtype_id == o.free) line = wo::LineDraft{wo::LineKind::service_item, o.free_item.value, Qty{1000}};
    if (!line || chance(40))
      line = wo::LineDraft{wo::LineKind::labor, o.plumbing_labor.value, Qty{pick(250, 3000)}};
    attempt([&] { f_.engine.add_line(assignee, order.id, *line); });
  }

  void refund(const OrgIds& o, OrderId id) {
    const Money due = f_.bill(id).refund_due;
    if (due.minor <= 0 || !chance(50)) return;
    const Money amount = chance(60) || due.minor < 2 ? due : Money{due.minor / 2};
    attempt([&] { f_.engine.refund(o.as_dispatcher(), id, paying(amount)); });
  }

  Fixture& f_;
  std::mt19937_64 rng_;
  std::vector<Driven> orders_;
};

}  // namespace

TEST_CASE("dashboard: random histories agree with a brute-force recomputation") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    INFO("seed ", seed);
    Fixture f;
    set_zone(f, f.a, "America/New_York");  // the history crosses the 2026-11-01 DST change
    f.set_now(utc(2026, 10, 20, 12));
    const std::int64_t begin = wo::to_unix_ms(f.now);
    History history(f, seed);
    history.run(1500);
    CHECK(history.succeeded > 300);
    const std::int64_t end = wo::to_unix_ms(f.now) + 1;
    const auto all = history.all_orders();

    std::int64_t checked_orders = 0, completed = 0, reopen_bp = 0, rated = 0, refunds = 0;
    const auto compare = [&](const OrgIds& o, const std::string& zone, std::int64_t from, std::int64_t to) {
      INFO("org ", o.org.value, " range [", from, ", ", to, ")");
      const Dashboard got = board(f, o.as_dispatcher(), from, to);
      check_same(got, brute_force(all, o.org, *date::locate_zone(zone), from, to));
      return got;
    };
    // The whole history, for both orgs.
    const Dashboard whole = compare(f.a, "America/New_York", begin, end);
    compare(f.b, "Asia/Shanghai", begin, end);
    checked_orders = whole.orders;
    completed = whole.by_status[static_cast<std::size_t>(Status::completed)];
    reopen_bp = whole.reopen_rate_bp;
    rated = whole.rated;
    refunds = whole.refunded.minor;
    // Random windows, from an hour to ten days, some starting before the history.
    std::mt19937_64 rng(seed * 7919);
    for (int i = 0; i < 25; ++i) {
      const std::int64_t from = std::uniform_int_distribution<std::int64_t>(begin - 86'400'000, end)(rng);
      const std::int64_t length = std::uniform_int_distribution<std::int64_t>(3'600'000, 10 * 86'400'000LL)(rng);
      compare(i % 5 == 4 ? f.b : f.a, i % 5 == 4 ? "Asia/Shanghai" : "America/New_York", from, from + length);
    }
    // Whole local days around the DST change.
    for (int day = 28; day <= 31; ++day) compare(f.a, "America/New_York", utc(2026, 10, day, 4), utc(2026, 10, day + 1, 4));
    compare(f.a, "America/New_York", utc(2026, 11, 1, 4), utc(2026, 11, 2, 5));
    // The history is rich enough for the comparison to mean something.
    CHECK(checked_orders > 200);
    CHECK(completed > 30);
    CHECK(reopen_bp > 0);
    CHECK(rated > 20);
    CHECK(refunds > 0);
    CHECK(whole.staff.size() >= 3);
  }
}
