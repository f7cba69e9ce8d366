// SPDX-License-Identifier: MIT
// Submission (docs/rules.md §3): who reports for whom, validation, order numbers from the org-local
// date, client_token idempotency. Every refusal leaves the database as it was.
#include <doctest/doctest.h>

#include <regex>

#include "orders/order_fixture.hpp"

using namespace orders_test;

namespace {

std::size_t count_orders(Fixture& fx) {
  for (const auto& t : fx.snapshot())
    if (t.table == "work_order") return t.rows.size();
  return 0;
}

std::size_t count_events(Fixture& fx) {
  for (const auto& t : fx.snapshot())
    if (t.table == "event") return t.rows.size();
  return 0;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// UTC instants around the Shanghai midnight of 2026-11-28.
constexpr std::int64_t t_2026_11_27_1559_59z = 1'795'795'199'000;  // 23:59:59 on the 27th local
constexpr std::int64_t t_2026_11_27_1730z = 1'795'800'600'000;     // 01:30 on the 28th local
constexpr std::int64_t t_2026_11_28_1559z = 1'795'881'540'000;     // 23:59 on the 28th local
constexpr std::int64_t t_2026_11_28_1600z = 1'795'881'600'000;     // 00:00 on the 29th local

}  // namespace

TEST_CASE("submit: a tenant contact reports for their own tenant") {
  Fixture fx;
  const OrgIds& o = fx.a;
  wo::OrderDraft d = Fixture::draft(o.after, o.after_spec);
  d.unit_ref = "3-2-1502";
  d.source_channel = wo::SourceChannel::tenant_app;
  d.attachments = {"photos/a.jpg", "photos/b.jpg", "s3://bucket/c.png"};
  const OrderId id = fx.engine.submit(o.as_c1(), d);
  const wo::Order ord = fx.order(id);
  CHECK(ord.org_id == o.org);
  CHECK(ord.tenant_id == std::optional{o.tenant_p});
  CHECK(ord.reporter_contact_id == std::optional{o.c1});
  CHECK_FALSE(ord.reporter_staff_id.has_value());
  CHECK(ord.created_by_kind == wo::ActorKind::contact);
  CHECK(ord.created_by_id == o.c1.value);
  CHECK(ord.payer == wo::Payer::tenant);
  CHECK(ord.order_type_id == o.plumbing);
  CHECK(ord.subtype_id == o.after);
  CHECK(ord.spec_id == std::optional{o.after_spec});
  CHECK(ord.spec_price == Money{story_spec_price});
  CHECK(ord.charge_mode == wo::ChargeMode::after_completion);
  CHECK(ord.description == d.description);
  CHECK(ord.address == d.address);
  CHECK(ord.unit_ref == d.unit_ref);
  CHECK(ord.source_channel == wo::SourceChannel::tenant_app);
  CHECK(ord.status == Status::pending_dispatch);
  CHECK(ord.created_at == fx.now);
  CHECK(ord.status_since == fx.now);
  CHECK_FALSE(ord.assignee_id.has_value());
  CHECK(ord.reopen_count == 0);
  CHECK(std::regex_match(ord.number, std::regex(R"(\d{8}-\d{6})")));
  CHECK(fx.engine.attachments(o.as_c1(), id) == d.attachments);
  // The contact sees it; the other contact of the same tenant does not.
  CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_c1(), id); }));
  fx.expect_error(Code::not_found, [&] { fx.engine.get_order(o.as_c2(), id); });
}

TEST_CASE("submit: the reporter's phone must belong to a contact of that tenant (normalised)") {
  Fixture fx;
  const OrgIds& o = fx.a;
  auto for_tenant = [&](wo::TenantId t, const std::string& phone) {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.tenant_id = t;
    d.reporter_phone = phone;
    d.source_channel = wo::SourceChannel::staff_pc;
    return d;
  };
  SUBCASE("staff report for a tenant, phone written differently") {
    const OrderId id1 = fx.engine.submit(o.as_dispatcher(), for_tenant(o.tenant_p, "(138) 0000-0002"));
    CHECK(fx.order(id1).reporter_contact_id == std::optional{o.c2});
    CHECK(fx.order(id1).tenant_id == std::optional{o.tenant_p});
    CHECK(fx.order(id1).created_by_kind == wo::ActorKind::staff);
    CHECK(fx.order(id1).created_by_id == o.dispatcher.value);
    CHECK(fx.order(id1).payer == wo::Payer::tenant);
    const OrderId id2 = fx.engine.submit(o.as_tech_a(), for_tenant(o.tenant_q, "+86-21-5555 0100"));
    CHECK(fx.order(id2).reporter_contact_id == std::optional{o.q1});
    const OrderId id3 = fx.engine.submit(o.as_admin(), for_tenant(o.tenant_p, " 138 0000 0001 "));
    CHECK(fx.order(id3).reporter_contact_id == std::optional{o.c1});
    // The contact reporter sees the order staff made for them; their colleague does not.
    CHECK(fx.expect_ok([&] { fx.engine.get_order(o.as_c2(), id1); }));
    fx.expect_error(Code::not_found, [&] { fx.engine.get_order(o.as_c1(), id1); });
  }
  SUBCASE("a phone of another tenant's contact is refused") {
    const Outcome out = fx.expect_error(Code::invalid_argument,
                                        [&] { fx.engine.submit(o.as_dispatcher(), for_tenant(o.tenant_q, "13800000001")); });
    CHECK(out.message.find("reporter_phone") != std::string::npos);
  }
  SUBCASE("an unknown phone is refused") {
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_dispatcher(), for_tenant(o.tenant_p, "13899999999")); });
  }
  SUBCASE("a malformed phone is refused") {
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_dispatcher(), for_tenant(o.tenant_p, "call me")); });
  }
  SUBCASE("a deactivated contact's phone is refused") {
    fx.engine.set_active<wo::Contact>(o.as_admin(), o.c2, false);
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_dispatcher(), for_tenant(o.tenant_p, "13800000002")); });
  }
  SUBCASE("a tenant without a phone is refused") {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.tenant_id = o.tenant_p;
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_dispatcher(), d); });
  }
  SUBCASE("a phone without a tenant is refused (staff)") {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.reporter_phone = "13800000001";
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_dispatcher(), d); });
  }
  SUBCASE("a tenant of another org is not found") {
    fx.expect_error(Code::not_found, [&] { fx.engine.submit(o.as_dispatcher(), for_tenant(fx.b.tenant_p, "13800000001")); });
  }
  SUBCASE("a contact may not report for another tenant") {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.tenant_id = o.tenant_q;
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), d); });
    wo::OrderDraft e = Fixture::draft(o.after);
    e.reporter_phone = "+86 21 5555 0100";  // q1, another tenant
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), e); });
  }
  SUBCASE("a contact naming a colleague of the same tenant reports for that colleague's tenant") {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.tenant_id = o.tenant_p;
    d.reporter_phone = "138-0000-0002";
    const OrderId id = fx.engine.submit(o.as_c1(), d);
    CHECK(fx.order(id).tenant_id == std::optional{o.tenant_p});
    CHECK(fx.order(id).reporter_contact_id == std::optional{o.c2});
  }
}

TEST_CASE("submit: staff report for the org itself") {
  Fixture fx;
  const OrgIds& o = fx.a;
  wo::OrderDraft d = Fixture::draft(o.after, o.after_spec);
  d.source_channel = wo::SourceChannel::staff_mobile;
  d.payer = wo::Payer::tenant;  // no tenant to pay: the org pays
  const OrderId id = fx.engine.submit(o.as_tech_b(), d);
  const wo::Order ord = fx.order(id);
  CHECK(ord.reporter_staff_id == std::optional{o.tech_b});
  CHECK_FALSE(ord.reporter_contact_id.has_value());
  CHECK_FALSE(ord.tenant_id.has_value());
  CHECK(ord.payer == wo::Payer::enterprise);
  CHECK(ord.prepay_due == Money{0});
  CHECK(ord.status == Status::pending_dispatch);

  fx.engine.assign(o.as_dispatcher(), id, o.tech_a);
  fx.engine.accept(o.as_tech_a(), id);
  fx.engine.add_line(o.as_tech_a(), id, {wo::LineKind::labor, o.plumbing_labor.value, Qty{1000}});
  CHECK(fx.bill(id).owed == Money{0});
  fx.advance(5min);
  fx.engine.finish(o.as_tech_a(), id);
  // Nothing owed and a staff reporter: straight to completed.
  const wo::Order done = fx.order(id);
  CHECK(done.status == Status::completed);
  CHECK(done.completed_at == std::optional{fx.now});
  CHECK(done.finished_at == std::optional{fx.now});
  CHECK(fx.bill(id).total == Money{story_spec_price + 8000});
  fx.check_bill_invariants(id);
  // Prepaid subtypes need no prepayment from the org either.
  const OrderId full = fx.engine.submit(o.as_dispatcher(), Fixture::draft(o.full, o.full_spec));
  CHECK(fx.order(full).prepay_due == Money{0});
  CHECK(fx.status(full) == Status::pending_dispatch);
}

TEST_CASE("submit: payer enterprise is for staff only") {
  Fixture fx;
  const OrgIds& o = fx.a;
  wo::OrderDraft d = Fixture::draft(o.full, o.full_spec);
  d.payer = wo::Payer::enterprise;
  const Outcome out = fx.expect_error(Code::forbidden, [&] { fx.engine.submit(o.as_c1(), d); });
  CHECK(out.message.find("payer") != std::string::npos);
  d.payer = static_cast<wo::Payer>(7);
  d.tenant_id = o.tenant_p;
  d.reporter_phone = "13800000001";
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_dispatcher(), d); });
}

TEST_CASE("submit: service specs") {
  Fixture fx;
  const OrgIds& o = fx.a;
  SUBCASE("required for prepay subtypes") {
    const Outcome a = fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.deposit_fixed)); });
    CHECK(a.message.find("spec_id") != std::string::npos);
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.deposit_bps)); });
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.full)); });
  }
  SUBCASE("optional otherwise") {
    CHECK(fx.expect_ok([&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.after)); }));
    CHECK(fx.expect_ok([&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.free)); }));
  }
  SUBCASE("must belong to the subtype") {
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.full, o.dep_spec)); });
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.after, o.full_spec)); });
  }
  SUBCASE("of another org: not found") {
    fx.expect_error(Code::not_found, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.full, fx.b.full_spec)); });
    fx.expect_error(Code::not_found,
                    [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.full, wo::ServiceSpecId{987654})); });
  }
  SUBCASE("an inactive spec is refused") {
    fx.engine.set_active<wo::ServiceSpec>(o.as_admin(), o.dep_spec_exact, false);
    fx.expect_error(Code::invalid_argument,
                    [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.deposit_fixed, o.dep_spec_exact)); });
  }
  SUBCASE("the spec price is frozen at submit") {
    const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.full, o.full_spec));
    wo::Patch<wo::ServiceSpec> p;
    p.set(&wo::ServiceSpec::price, Money{99900});
    fx.engine.update<wo::ServiceSpec>(o.as_admin(), o.full_spec, p);
    CHECK(fx.order(id).spec_price == Money{15000});
    CHECK(fx.order(id).prepay_due == Money{15000});
  }
}

TEST_CASE("submit: description, address and attachments") {
  Fixture fx;
  const OrgIds& o = fx.a;
  auto with_description = [&](std::string text) {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.description = std::move(text);
    return d;
  };
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), with_description("")); });
  CHECK(fx.expect_ok([&] { fx.engine.submit(o.as_c1(), with_description("x")); }));
  // 2000 characters (6000 bytes of CJK) is the limit; 2001 is too long.
  CHECK(fx.expect_ok([&] { fx.engine.submit(o.as_c1(), with_description(repeat("漏", 2000))); }));
  const Outcome too_long =
      fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), with_description(repeat("漏", 2001))); });
  CHECK(too_long.message.find("description") != std::string::npos);
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), with_description(repeat("a", 2001))); });
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), with_description("bad \xff utf-8")); });
  {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.address = "";
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), d); });
  }
  {
    wo::OrderDraft d = Fixture::draft(o.after);
    for (int i = 0; i < 9; ++i) d.attachments.push_back("photo-" + std::to_string(i) + ".jpg");
    OrderId id;
    CHECK(fx.expect_ok([&] { id = fx.engine.submit(o.as_c1(), d); }));
    CHECK(fx.engine.attachments(o.as_c1(), id) == d.attachments);
    d.attachments.push_back("photo-9.jpg");
    const Outcome out = fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), d); });
    CHECK(out.message.find("attachments") != std::string::npos);
  }
  {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.attachments = {"ok.jpg", ""};
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), d); });
  }
  {
    wo::OrderDraft d = Fixture::draft(o.after);
    d.source_channel = static_cast<wo::SourceChannel>(42);
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), d); });
  }
}

TEST_CASE("submit: subtypes and actors") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const Outcome inactive = fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.inactive_sub)); });
  CHECK(inactive.message.find("inactive") != std::string::npos);
  fx.expect_error(Code::not_found, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(fx.b.after)); });
  fx.expect_error(Code::not_found, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(wo::SubtypeId{987654})); });
  // A deactivated order type takes no new orders either.
  fx.engine.set_active<wo::OrderType>(o.as_admin(), o.electric, false);
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.wiring)); });
  // The system actor does not report; deactivated people do not either.
  fx.expect_error(Code::forbidden, [&] { fx.engine.submit(Actor::system(), Fixture::draft(o.after)); });
  fx.engine.set_active<wo::Contact>(o.as_admin(), o.c2, false);
  fx.expect_error(Code::forbidden, [&] { fx.engine.submit(o.as_c2(), Fixture::draft(o.after)); });
  fx.expect_error(Code::not_found, [&] { fx.engine.submit(Actor::contact(wo::ContactId{987654}), Fixture::draft(o.after)); });
}

TEST_CASE("submit: order numbers come from the org-local date and a per-org daily sequence") {
  Fixture fx;
  const OrgIds& o = fx.a;
  auto submit_at = [&](std::int64_t ms, const OrgIds& org) {
    fx.set_now(ms);
    return fx.order(fx.engine.submit(org.as_c1(), Fixture::draft(org.after))).number;
  };
  // Refused submits consume no number.
  fx.set_now(t_2026_11_27_1559_59z);
  fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.inactive_sub)); });
  CHECK(submit_at(t_2026_11_27_1559_59z, o) == "20261127-000001");
  // 17:30Z on the 27th is 01:30 on the 28th in Shanghai: a new local day, the sequence restarts.
  CHECK(submit_at(t_2026_11_27_1730z, o) == "20261128-000001");
  CHECK(submit_at(t_2026_11_27_1730z + 60'000, o) == "20261128-000002");
  CHECK(submit_at(t_2026_11_28_1559z, o) == "20261128-000003");
  CHECK(submit_at(t_2026_11_28_1600z, o) == "20261129-000001");
  // Another org has its own sequence.
  CHECK(submit_at(t_2026_11_27_1730z + 120'000, fx.b) == "20261128-000001");
  CHECK(submit_at(t_2026_11_27_1730z + 180'000, o) == "20261128-000004");
  // An org in Europe/London (UTC+0 in November) numbers the same instant by its own date.
  const wo::NewOrg utc = fx.new_org("London office", "Europe/London");
  const auto dept = fx.engine.create<wo::Department>(Actor::staff(utc.admin), [] {
    wo::Patch<wo::Department> p;
    p.set(&wo::Department::name, std::string("Maintenance"));
    return p;
  }());
  const auto pos = fx.engine.create<wo::Position>(Actor::staff(utc.admin), [] {
    wo::Patch<wo::Position> p;
    p.set(&wo::Position::name, std::string("Plumber"));
    return p;
  }());
  const auto type = fx.engine.create<wo::OrderType>(Actor::staff(utc.admin), [&] {
    wo::Patch<wo::OrderType> p;
    p.set(&wo::OrderType::name, std::string("Repairs")).set(&wo::OrderType::department_id, dept)
        .set(&wo::OrderType::position_id, pos);
    return p;
  }());
  const auto sub = fx.engine.create<wo::Subtype>(Actor::staff(utc.admin), [&] {
    wo::Patch<wo::Subtype> p;
    p.set(&wo::Subtype::order_type_id, type).set(&wo::Subtype::name, std::string("General"))
        .set(&wo::Subtype::charge_mode, wo::ChargeMode::free);
    return p;
  }());
  fx.set_now(t_2026_11_27_1730z);
  const OrderId london = fx.engine.submit(Actor::staff(utc.admin), Fixture::draft(sub));
  CHECK(fx.order(london).number == "20261127-000001");
}

TEST_CASE("submit: client_token returns the first order") {
  Fixture fx;
  const OrgIds& o = fx.a;
  wo::OrderDraft d = Fixture::draft(o.deposit_fixed, o.dep_spec);
  d.client_token = "tok-1";
  const OrderId first = fx.engine.submit(o.as_c1(), d);
  const std::size_t orders = count_orders(fx);
  const std::size_t events = count_events(fx);
  SUBCASE("the same actor repeating gets the first order, and nothing changes") {
    const Snapshot before = fx.snapshot();
    fx.advance(1min);
    OrderId again;
    CHECK(fx.expect_ok([&] { again = fx.engine.submit(o.as_c1(), d); }));
    CHECK(again == first);
    CHECK(diff(before, fx.snapshot()) == "");
    CHECK(count_orders(fx) == orders);
    CHECK(count_events(fx) == events);
    // Even with another draft, and after the first order moved on.
    fx.engine.pay_prepayment(o.as_c1(), first, {wo::Channel::wechat, Money{story_deposit}, std::nullopt});
    wo::OrderDraft other = Fixture::draft(o.after);
    other.client_token = "tok-1";
    CHECK(fx.engine.submit(o.as_c1(), other) == first);
    CHECK(count_orders(fx) == orders);
  }
  SUBCASE("another actor reusing the token: conflict") {
    fx.expect_error(Code::conflict, [&] { fx.engine.submit(o.as_c2(), d); });
    wo::OrderDraft staff = Fixture::draft(o.after);
    staff.client_token = "tok-1";
    fx.expect_error(Code::conflict, [&] { fx.engine.submit(o.as_dispatcher(), staff); });
  }
  SUBCASE("another token, or the same token in another org, is a new order") {
    d.client_token = "tok-2";
    CHECK(fx.engine.submit(o.as_c1(), d) != first);
    wo::OrderDraft b = Fixture::draft(fx.b.after);
    b.client_token = "tok-1";
    CHECK(fx.engine.submit(fx.b.as_c1(), b) != first);
    CHECK(count_orders(fx) == orders + 2);
  }
  SUBCASE("an empty token is refused") {
    d.client_token = "";
    fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_c1(), d); });
  }
}

TEST_CASE("submit: writes one submit event") {
  Fixture fx;
  const OrgIds& o = fx.a;
  const OrderId id = fx.engine.submit(o.as_c1(), Fixture::draft(o.deposit_fixed, o.dep_spec));
  const auto ev = fx.events(id);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].action == wo::Action::submit);
  CHECK(ev[0].actor_kind == wo::ActorKind::contact);
  CHECK(ev[0].actor_id == o.c1.value);
  CHECK(ev[0].at == fx.now);
  CHECK_FALSE(ev[0].from_status.has_value());
  CHECK(ev[0].to_status == std::optional{Status::awaiting_prepayment});
  CHECK(ev[0].amount == std::optional<std::int64_t>{story_deposit});
}

TEST_CASE("submit: a deactivated tenant takes no new orders, whoever reports") {
  // Staff reporting for a deactivated tenant are refused (invalid_argument "tenant_id ... is
  // inactive"); the tenant's own contacts must not get around that by reporting directly.
  Fixture fx;
  const OrgIds& o = fx.a;
  fx.engine.set_active<wo::Tenant>(o.as_admin(), o.tenant_p, false);
  wo::OrderDraft d = Fixture::draft(o.after);
  d.tenant_id = o.tenant_p;
  d.reporter_phone = "13800000001";
  const Outcome staff = fx.expect_error(Code::invalid_argument, [&] { fx.engine.submit(o.as_dispatcher(), d); });
  CHECK(staff.message.find("inactive") != std::string::npos);
  const Snapshot before = fx.snapshot();
  const Outcome contact = capture([&] { fx.engine.submit(o.as_c1(), Fixture::draft(o.after)); });
  CHECK_MESSAGE(contact.threw, "a contact of a deactivated tenant could submit an order");
  CHECK((contact.code == Code::invalid_argument || contact.code == Code::forbidden));
  CHECK(diff(before, fx.snapshot()) == "");
}
