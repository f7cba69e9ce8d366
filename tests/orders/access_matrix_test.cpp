// SPDX-License-Identifier: MIT
// Who may do what to an order (docs/rules.md §4 "who", §7 visibility), table-driven: every action in a
// status that allows it × {admin, dispatcher, eligible technician, ineligible technician,
// assignee, reporter, other contact of the same tenant, actor of another org}. Anything the
// actor cannot see is not_found (never forbidden); a visible order the actor plays no
// permitted part in is forbidden; every refusal changes nothing.
#include <doctest/doctest.h>

#include <array>
#include <functional>

#include "orders/order_fixture.hpp"

using namespace orders_test;

namespace {

enum class Who { admin, dispatcher, eligible_tech, other_tech, assignee, reporter, other_contact, other_org };
constexpr std::array<Who, 8> everyone = {Who::admin,    Who::dispatcher, Who::eligible_tech, Who::other_tech,
                                         Who::assignee, Who::reporter,   Who::other_contact, Who::other_org};
const char* name_of(Who w) {
  static const char* names[] = {"admin",    "dispatcher", "eligible technician", "ineligible technician",
                                "assignee", "reporter",   "other contact",       "other org"};
  return names[static_cast<int>(w)];
}

enum Exp { ok, forbidden, not_found, na };
const char* name_of(Exp e) {
  static const char* names[] = {"success", "forbidden", "not_found", "n/a"};
  return names[e];
}

// The actor for a column; nullopt when the column has no one (no assignee yet).
std::optional<Actor> actor_for(Fixture& fx, Who w, OrderId id) {
  const OrgIds& o = fx.a;
  switch (w) {
    case Who::admin: return o.as_admin();
    case Who::dispatcher: return o.as_dispatcher();
    case Who::eligible_tech: return o.as_tech_b();   // maintenance + plumber, holds nothing
    case Who::other_tech: return o.as_electrician(); // maintenance + electrician
    case Who::assignee: {
      const auto a = fx.order(id).assignee_id;
      if (!a) return std::nullopt;
      return Actor::staff(*a);
    }
    case Who::reporter: return o.as_c1();
    case Who::other_contact: return o.as_c2();
    case Who::other_org: return fx.b.as_admin();
  }
  return std::nullopt;
}

using Call = std::function<void(Fixture&, OrderId, const Actor&)>;

struct Row {
  const char* name;
  Status status;
  Call call;
  std::array<Exp, 8> expected;  // in the order of `everyone`
};

const OrgIds& A(Fixture& fx) { return fx.a; }

std::vector<Row> rows() {
  using S = Status;
  const auto F = forbidden;
  const auto N = not_found;
  return {
      {"pay_prepayment", S::awaiting_prepayment,
       [](Fixture& fx, OrderId id, const Actor& who) {
         fx.engine.pay_prepayment(who, id, {wo::Channel::cash, Money{story_deposit}, std::nullopt});
       },
       {ok, ok, N, N, na, ok, N, N}},
      {"assign", S::pending_dispatch,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.assign(who, id, A(fx).tech_a); },
       {ok, ok, F, N, na, F, N, N}},
      {"grab", S::pending_dispatch, [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.grab(who, id); },
       {F, F, ok, N, na, F, N, N}},
      {"accept", S::pending_accept, [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.accept(who, id); },
       {F, F, N, N, ok, F, N, N}},
      {"reject", S::pending_accept,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.reject(who, id, "Busy elsewhere"); },
       {F, F, N, N, ok, F, N, N}},
      {"transfer (pending_accept)", S::pending_accept,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.transfer(who, id, A(fx).lead, "Handing over"); },
       {ok, ok, N, N, ok, F, N, N}},
      {"transfer (in_progress)", S::in_progress,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.transfer(who, id, A(fx).lead, "Handing over"); },
       {ok, ok, N, N, ok, F, N, N}},
      {"add_line", S::in_progress,
       [](Fixture& fx, OrderId id, const Actor& who) {
         fx.engine.add_line(who, id, {wo::LineKind::service_item, A(fx).dep_callout.value, Qty{1000}});
       },
       {F, F, N, N, ok, F, N, N}},
      {"remove_line", S::in_progress,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.remove_line(who, id, fx.active_line(id)); },
       {F, F, N, N, ok, F, N, N}},
      {"finish", S::in_progress, [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.finish(who, id); },
       {ok, ok, N, N, ok, F, N, N}},
      {"pay", S::awaiting_payment,
       [](Fixture& fx, OrderId id, const Actor& who) {
         fx.engine.pay(who, id, {wo::Channel::cash, Money{1000}, std::nullopt});
       },
       {ok, ok, N, N, F, ok, N, N}},
      {"refund (cancelled after prepayment)", S::cancelled,
       [](Fixture& fx, OrderId id, const Actor& who) {
         fx.engine.refund(who, id, {wo::Channel::wechat, Money{story_deposit}, std::nullopt});
       },
       {ok, ok, N, N, F, F, N, N}},
      {"rate", S::awaiting_rating,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.rate(who, id, 5, std::nullopt); },
       {F, F, N, N, F, ok, N, N}},
      {"reopen (awaiting_rating)", S::awaiting_rating,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.reopen(who, id, "Still leaking"); },
       {F, F, N, N, F, ok, N, N}},
      {"reopen (completed)", S::completed,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.reopen(who, id, "Still leaking"); },
       {F, F, N, N, F, ok, N, N}},
      {"cancel (awaiting_prepayment)", S::awaiting_prepayment,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.cancel(who, id, "Changed my mind"); },
       {ok, ok, N, N, na, ok, N, N}},
      {"cancel (pending_dispatch)", S::pending_dispatch,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.cancel(who, id, "Changed my mind"); },
       {ok, ok, F, N, na, ok, N, N}},
      {"cancel (pending_accept)", S::pending_accept,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.cancel(who, id, "Changed my mind"); },
       {ok, ok, N, N, F, ok, N, N}},
      {"cancel (in_progress): admin only", S::in_progress,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.cancel(who, id, "Changed my mind"); },
       {ok, F, N, N, F, F, N, N}},
      {"message (awaiting_prepayment)", S::awaiting_prepayment,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.message(who, id, "Any news?"); },
       {ok, ok, N, N, na, ok, N, N}},
      {"message (pending_dispatch)", S::pending_dispatch,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.message(who, id, "Any news?"); },
       {ok, ok, F, N, na, ok, N, N}},
      {"message (in_progress)", S::in_progress,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.message(who, id, "Any news?"); },
       {ok, ok, N, N, ok, ok, N, N}},
      {"message (completed)", S::completed,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.message(who, id, "Thanks"); },
       {ok, ok, N, N, ok, ok, N, N}},
      {"message (cancelled)", S::cancelled,
       [](Fixture& fx, OrderId id, const Actor& who) { fx.engine.message(who, id, "Why?"); },
       {ok, ok, N, N, ok, ok, N, N}},
  };
}

void run_row(const Row& row) {
  for (std::size_t i = 0; i < everyone.size(); ++i) {
    const Who w = everyone[i];
    const Exp exp = row.expected[i];
    INFO("action ", row.name, " in ", wo::name_of(row.status), " by ", name_of(w), ", expected ", name_of(exp));
    Fixture fx;
    const OrderId id = fx.drive(fx.a, row.status);
    REQUIRE(fx.status(id) == row.status);
    const auto actor = actor_for(fx, w, id);
    if (exp == na) {
      CHECK_FALSE(actor.has_value());
      continue;
    }
    REQUIRE(actor.has_value());
    fx.advance(1min);
    const Snapshot before = fx.snapshot();
    const std::size_t events_before = fx.events(id).size();
    const Outcome out = capture([&] { row.call(fx, id, *actor); });
    INFO("outcome: ", doctest::toString(out.code), " ", out.message);
    CHECK_FALSE(out.foreign);
    switch (exp) {
      case ok:
        CHECK_FALSE(out.threw);
        CHECK(fx.events(id).size() == events_before + 1);
        break;
      case forbidden:
        CHECK(out.threw);
        CHECK(out.code == Code::forbidden);
        CHECK(diff(before, fx.snapshot()) == "");
        break;
      case not_found:
        CHECK(out.threw);
        CHECK(out.code == Code::not_found);
        CHECK(diff(before, fx.snapshot()) == "");
        break;
      case na: break;
    }
  }
}

}  // namespace

TEST_CASE("access matrix: every action x every kind of actor") {
  for (const Row& row : rows()) run_row(row);
}

TEST_CASE("access matrix: reading an order (get_order, bill, attachments, lines, payments, timeline)") {
  for (Status s : all_statuses) {
    Fixture fx;
    const OrderId id = fx.drive(fx.a, s);
    for (Who w : everyone) {
      const auto actor = actor_for(fx, w, id);
      if (!actor) continue;
      bool visible = false;
      switch (w) {
        case Who::admin:
        case Who::dispatcher:
        case Who::assignee:
        case Who::reporter: visible = true; break;
        case Who::eligible_tech: visible = s == Status::pending_dispatch; break;  // the pool
        case Who::other_tech:
        case Who::other_contact:
        case Who::other_org: visible = false; break;
      }
      INFO("status ", wo::name_of(s), ", reader ", name_of(w), ", visible expected ", visible);
      const Snapshot before = fx.snapshot();
      std::vector<std::function<void()>> reads = {
          [&] { (void)fx.engine.get_order(*actor, id); },
          [&] { (void)fx.engine.get_bill(*actor, id); },
          [&] { (void)fx.engine.attachments(*actor, id); },
          [&] { (void)fx.engine.lines(*actor, id); },
          [&] { (void)fx.engine.payments(*actor, id); },
          [&] { (void)fx.engine.timeline(*actor, id, 0, 50); },
      };
      for (std::size_t r = 0; r < reads.size(); ++r) {
        INFO("read #", r);
        const Outcome out = capture(reads[r]);
        if (visible) {
          CHECK_MESSAGE(!out.threw, out.message);
        } else {
          CHECK(out.threw);
          CHECK(out.code == Code::not_found);
        }
      }
      CHECK(diff(before, fx.snapshot()) == "");
    }
    // A contact of another org and an unknown order id are not found either.
    CHECK(capture([&] { fx.engine.get_order(fx.b.as_c1(), id); }).code == Code::not_found);
    CHECK(capture([&] { fx.engine.get_order(fx.a.as_admin(), OrderId{id.value + 1000}); }).code == Code::not_found);
  }
}

TEST_CASE("access: the data returned to a reader is the order's own") {
  Fixture fx;
  const OrderId id = fx.drive(fx.a, Status::awaiting_rating);
  const wo::Order seen_by_reporter = fx.engine.get_order(fx.a.as_c1(), id);
  const wo::Order seen_by_system = fx.order(id);
  CHECK(wo::to_row(seen_by_reporter) == wo::to_row(seen_by_system));
  CHECK(fx.engine.lines(fx.a.as_tech_a(), id).size() == 1);
  CHECK(fx.engine.payments(fx.a.as_c1(), id).size() == 2);  // deposit + balance
}

TEST_CASE("access: a technician still sees an order they held, but may no longer act on it") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::pending_accept);  // tech_a assigned
  fx.engine.transfer(o.as_dispatcher(), id, o.tech_b, "tech_a is ill");
  CHECK(fx.order(id).assignee_id == std::optional{o.tech_b});
  // tech_a held it: sees it (rules §7 "orders they hold or held") ...
  CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_tech_a(), id); }));
  CHECK(fx.expect_ok([&] { fx.engine.timeline(o.as_tech_a(), id, 0, 10); }));
  // ... but is no longer its assignee.
  fx.expect_error(Code::forbidden, [&] { fx.engine.accept(o.as_tech_a(), id); });
  fx.expect_error(Code::forbidden, [&] { fx.engine.message(o.as_tech_a(), id, "I am back"); });
  // The new assignee acts.
  CHECK(fx.expect_ok([&] { fx.engine.accept(o.as_tech_b(), id); }));
}

TEST_CASE("access: a technician who rejected keeps sight of the order") {
  Fixture fx;
  const OrgIds& o = fx.a;
  // An ineligible technician, force-assigned, rejects: the order leaves their hands, and they
  // are not eligible for the pool, but they held it.
  const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.after_spec));
  fx.engine.assign(o.as_dispatcher(), id, o.electrician, true);
  CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_electrician(), id); }));
  fx.engine.reject(o.as_electrician(), id, "Not my trade");
  CHECK(fx.status(id) == Status::pending_dispatch);
  CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_electrician(), id); }));
  // Not eligible: may not grab it back even though they see it.
  fx.expect_error(Code::forbidden, [&] { fx.engine.grab(o.as_electrician(), id); });
  // Another ineligible technician who never held it does not see it.
  fx.expect_error(Code::not_found, [&] { fx.engine.get_order(o.as_tech_ext(), id); });
}

TEST_CASE("access: a staff reporter of an org order sees it and acts as its reporter") {
  Fixture fx;
  const OrgIds& o = fx.a;
  // The electrician (not eligible for plumbing) reports a public repair for the org.
  const OrderId id = fx.engine.submit(o.as_electrician(), Fixture::draft(o.free));
  const wo::Order ord = fx.order(id);
  CHECK(ord.reporter_staff_id == std::optional{o.electrician});
  CHECK_FALSE(ord.reporter_contact_id.has_value());
  CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_electrician(), id); }));
  CHECK(fx.expect_ok([&] { fx.engine.message(o.as_electrician(), id, "Corridor flooded"); }));
  // The pool is visible to eligible technicians, not to the other ineligible one.
  CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_tech_b(), id); }));
  fx.expect_error(Code::not_found, [&] { fx.engine.get_order(o.as_tech_ext(), id); });
  // No contact sees an org order.
  fx.expect_error(Code::not_found, [&] { fx.engine.get_order(o.as_c1(), id); });
  // The reporter may cancel before acceptance.
  CHECK(fx.expect_ok([&] { fx.engine.cancel(o.as_electrician(), id, "Fixed itself"); }));
  CHECK(fx.status(id) == Status::cancelled);
}

TEST_CASE("access: once dispatched, the pool disappears for other eligible technicians") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::pending_dispatch);
  CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_tech_b(), id); }));
  fx.engine.grab(o.as_tech_a(), id);
  CHECK(fx.status(id) == Status::in_progress);
  fx.expect_error(Code::not_found, [&] { fx.engine.get_order(o.as_tech_b(), id); });
  fx.expect_error(Code::not_found, [&] { fx.engine.grab(o.as_tech_b(), id); });
}

TEST_CASE("access: deactivated staff and contacts cannot act") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::pending_accept);
  fx.engine.set_active<wo::Staff>(o.as_admin(), o.tech_a, false);
  const Outcome out = fx.expect_error(Code::forbidden, [&] { fx.engine.accept(o.as_tech_a(), id); });
  CHECK(out.message.find("inactive") != std::string::npos);
  fx.engine.set_active<wo::Contact>(o.as_admin(), o.c1, false);
  fx.expect_error(Code::forbidden, [&] { fx.engine.cancel(o.as_c1(), id, "bye"); });
}

TEST_CASE("access: only the system actor runs the timers") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::awaiting_prepayment);
  fx.advance(std::chrono::days{1});
  for (const Actor& who : {o.as_admin(), o.as_dispatcher(), o.as_lead(), o.as_tech_a(), o.as_c1(), fx.b.as_admin()}) {
    INFO("actor kind ", static_cast<int>(who.kind), " id ", who.id);
    fx.expect_error(Code::forbidden, [&] { fx.engine.tick(who, fx.now); });
  }
  CHECK(fx.status(id) == Status::awaiting_prepayment);
  CHECK(fx.engine.tick(Actor::system(), fx.now) == 1);
  CHECK(fx.status(id) == Status::cancelled);
}

TEST_CASE("access: assign and transfer targets") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.drive(o, Status::pending_dispatch);
  SUBCASE("an ineligible target is refused unless forced by the office") {
    const Outcome out = fx.expect_error(Code::ineligible, [&] { fx.engine.assign(o.as_dispatcher(), id, o.electrician); });
    CHECK(out.message.find("department and position") != std::string::npos);
    CHECK(fx.expect_ok([&] { fx.engine.assign(o.as_dispatcher(), id, o.electrician, true); }));
    CHECK(fx.order(id).assignee_id == std::optional{o.electrician});
  }
  SUBCASE("staff of another org is not found as a target") {
    fx.expect_error(Code::not_found, [&] { fx.engine.assign(o.as_dispatcher(), id, fx.b.tech_a); });
    fx.expect_error(Code::not_found, [&] { fx.engine.assign(o.as_dispatcher(), id, fx.b.tech_a, true); });
  }
  SUBCASE("an inactive target is refused even when forced") {
    fx.engine.set_active<wo::Staff>(o.as_admin(), o.tech_b, false);
    const Outcome out = fx.expect_error(Code::ineligible, [&] { fx.engine.assign(o.as_admin(), id, o.tech_b, true); });
    CHECK(out.message.find("inactive") != std::string::npos);
  }
  SUBCASE("grab limit applies to assign unless forced, and to grab") {
    fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::grab_limit, std::int32_t{1}); });
    const OrderId other = fx.drive(o, Status::pending_accept);  // tech_a holds one
    (void)other;
    fx.expect_error(Code::grab_limit, [&] { fx.engine.assign(o.as_dispatcher(), id, o.tech_a); });
    fx.expect_error(Code::grab_limit, [&] { fx.engine.grab(o.as_tech_a(), id); });
    CHECK(fx.expect_ok([&] { fx.engine.assign(o.as_dispatcher(), id, o.tech_a, true); }));
  }
  SUBCASE("transfer to the current assignee is refused") {
    fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.transfer(o.as_dispatcher(), id, o.tech_a, "same"); });
  }
  SUBCASE("force is for the office only: an assignee may not force a transfer") {
    fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
    fx.expect_error(Code::forbidden, [&] { fx.engine.transfer(o.as_tech_a(), id, o.electrician, "help", true); });
    fx.expect_error(Code::ineligible, [&] { fx.engine.transfer(o.as_tech_a(), id, o.electrician, "help"); });
    CHECK(fx.expect_ok([&] { fx.engine.transfer(o.as_tech_a(), id, o.tech_b, "help"); }));
  }
  SUBCASE("grab disabled") {
    fx.settings(o, [](auto& p) { p.set(&wo::OrderSettings::grab_enabled, false); });
    fx.expect_error(Code::invalid_state, [&] { fx.engine.grab(o.as_tech_b(), id); });
  }
}
