// SPDX-License-Identifier: MIT
// Catalog behaviour that is not about refusing input: labor rate resolution (docs/rules.md §2), the
// deactivate/reactivate round trip, partial updates, phone normalisation (§1) and keyset paging.
#include <set>

#include "fixture.hpp"

using catalog_test::Fixture;
using catalog_test::OrgRecords;
using wo::Code;

namespace {

std::int64_t rate_of(Fixture& fx, wo::LaborItemId item, wo::StaffId staff) {
  return fx.engine.resolve_labor_rate(fx.a.as_dispatcher(), item, staff).minor;
}

// Rows of T equal except for the named columns.
template <class T>
std::vector<std::string> changed_columns(const T& before, const T& after) {
  const wo::Row a = wo::to_row(before);
  const wo::Row b = wo::to_row(after);
  std::vector<std::string> changed;
  const auto& cols = wo::columns<T>();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) changed.emplace_back(cols[i]);
  return changed;
}

template <class T>
void check_round_trip(Fixture& fx, decltype(T::id) id) {
  CAPTURE(T::kind);
  const wo::Actor admin = fx.a.as_admin();
  const T original = fx.engine.get<T>(admin, id);
  REQUIRE(original.active);
  auto listed = [&](std::int64_t active) {
    bool found = false;
    decltype(T::id) after{};
    for (;;) {
      const auto page = fx.engine.list<T>(admin, {{"active", wo::Value{active}}}, after, wo::max_page_size);
      for (const auto& r : page) {
        found = found || r.id == id;
        CHECK(r.active == (active == 1));
      }
      if (page.size() < static_cast<std::size_t>(wo::max_page_size)) return found;
      after = page.back().id;
    }
  };
  CHECK(listed(1));
  CHECK_FALSE(listed(0));

  REQUIRE(fx.expect_ok([&] { fx.engine.set_active<T>(admin, id, false); }));
  const T off = fx.engine.get<T>(admin, id);
  CHECK_FALSE(off.active);
  CHECK(changed_columns(original, off) == std::vector<std::string>{"active"});
  CHECK_FALSE(listed(1));
  CHECK(listed(0));
  // Deactivating again is harmless.
  fx.expect_ok([&] { fx.engine.set_active<T>(admin, id, false); });
  CHECK(wo::to_row(fx.engine.get<T>(admin, id)) == wo::to_row(off));

  REQUIRE(fx.expect_ok([&] { fx.engine.set_active<T>(admin, id, true); }));
  CHECK(wo::to_row(fx.engine.get<T>(admin, id)) == wo::to_row(original));
  CHECK(listed(1));
  CHECK_FALSE(listed(0));
}

template <class T>
void check_partial_update(Fixture& fx, decltype(T::id) id, const wo::Patch<T>& patch,
                          const std::vector<std::string>& expect_changed) {
  CAPTURE(T::kind);
  const wo::Actor admin = fx.a.as_admin();
  const T before = fx.engine.get<T>(admin, id);
  REQUIRE(fx.expect_ok([&] { fx.engine.update<T>(admin, id, patch); }));
  const T after = fx.engine.get<T>(admin, id);
  CHECK(changed_columns(before, after) == expect_changed);
  // An empty patch changes nothing.
  REQUIRE(fx.expect_ok([&] { fx.engine.update<T>(admin, id, wo::Patch<T>{}); }));
  CHECK(wo::to_row(fx.engine.get<T>(admin, id)) == wo::to_row(after));
}

}  // namespace

// ------------------------------------------------------------------------------------------------
TEST_CASE("labor rate: department+position beats department beats the item's default") {
  Fixture fx;
  const auto& a = fx.a;
  // Fixture rules for "Plumbing labor" (default 80.00): maintenance 60.00, maintenance+plumber
  // 70.00, external contractor 120.00.
  CHECK(rate_of(fx, a.plumbing_labor, a.technician) == 7000);           // maintenance + plumber
  CHECK(rate_of(fx, a.plumbing_labor, a.electrician) == 6000);          // maintenance, other position
  CHECK(rate_of(fx, a.plumbing_labor, a.admin) == 6000);                // maintenance, desk
  CHECK(rate_of(fx, a.plumbing_labor, a.technician_external) == 12000); // external, no position rule
  const wo::StaffId no_dept = fx.add_staff(fx.a, "Temp", "13966660000", wo::role_technician);
  CHECK(rate_of(fx, a.plumbing_labor, no_dept) == 8000);                // no department: default
  const wo::DepartmentId night = fx.add_department(fx.a, "Night shift");
  const wo::StaffId night_plumber =
      fx.add_staff(fx.a, "Night plumber", "13966660001", wo::role_technician, night, a.plumber);
  CHECK(rate_of(fx, a.plumbing_labor, night_plumber) == 8000);          // department without rules
  // A position rule of another department does not apply, nor does a position-only match.
  fx.add_rate(fx.a, a.plumbing_labor, a.external, a.electrician_pos, 15000);
  CHECK(rate_of(fx, a.plumbing_labor, a.electrician) == 6000);
  // An external plumber rule beats the external department rule.
  fx.add_rate(fx.a, a.plumbing_labor, a.external, a.plumber, 13000);
  CHECK(rate_of(fx, a.plumbing_labor, a.technician_external) == 13000);
  // Rules of another labor item do not leak.
  fx.add_rate(fx.a, a.electrical_labor, a.maintenance, a.electrician_pos, 9000);
  CHECK(rate_of(fx, a.plumbing_labor, a.electrician) == 6000);
  CHECK(rate_of(fx, a.electrical_labor, a.electrician) == 9000);
  // A rate change is seen at once.
  wo::Patch<wo::LaborRate> raise;
  raise.set(&wo::LaborRate::rate, wo::Money{7500});
  fx.engine.update<wo::LaborRate>(fx.a.as_admin(), a.plumbing_dept_pos_rate, raise);
  CHECK(rate_of(fx, a.plumbing_labor, a.technician) == 7500);
  // Staff moving department get the new department's rate.
  wo::Patch<wo::Staff> move;
  move.set(&wo::Staff::department_id, a.external);
  fx.engine.update<wo::Staff>(fx.a.as_admin(), a.technician, move);
  CHECK(rate_of(fx, a.plumbing_labor, a.technician) == 13000);
}

TEST_CASE("labor rate: the order rules were created in does not matter") {
  Fixture fx;
  const auto& a = fx.a;
  const wo::LaborItemId first_specific = fx.add_labor_item(fx.a, "Tiling", 1000);
  fx.add_rate(fx.a, first_specific, a.maintenance, a.plumber, 3000);
  fx.add_rate(fx.a, first_specific, a.maintenance, std::nullopt, 2000);
  CHECK(rate_of(fx, first_specific, a.technician) == 3000);
  CHECK(rate_of(fx, first_specific, a.electrician) == 2000);
  const wo::LaborItemId first_general = fx.add_labor_item(fx.a, "Painting", 1000);
  fx.add_rate(fx.a, first_general, a.maintenance, std::nullopt, 2000);
  fx.add_rate(fx.a, first_general, a.maintenance, a.plumber, 3000);
  CHECK(rate_of(fx, first_general, a.technician) == 3000);
  CHECK(rate_of(fx, first_general, a.electrician) == 2000);
}

TEST_CASE("labor rate: inactive rules are ignored; no rule and no default is not_found") {
  Fixture fx;
  const auto& a = fx.a;
  const wo::Actor admin = fx.a.as_admin();
  fx.engine.set_active<wo::LaborRate>(admin, a.plumbing_dept_pos_rate, false);
  CHECK(rate_of(fx, a.plumbing_labor, a.technician) == 6000);
  fx.engine.set_active<wo::LaborRate>(admin, a.plumbing_dept_rate, false);
  CHECK(rate_of(fx, a.plumbing_labor, a.technician) == 8000);
  fx.engine.set_active<wo::LaborRate>(admin, a.plumbing_dept_pos_rate, true);
  CHECK(rate_of(fx, a.plumbing_labor, a.technician) == 7000);
  CHECK(rate_of(fx, a.plumbing_labor, a.electrician) == 8000);  // department rule still off

  // "Electrical labor" has no default rate and no rules.
  fx.expect_error(Code::not_found,
                  {"labor_item", std::to_string(a.electrical_labor.value), std::to_string(a.technician.value)},
                  [&] { fx.engine.resolve_labor_rate(admin, a.electrical_labor, a.technician); });
  // Its only rule, once deactivated, leaves it without a rate again.
  const wo::LaborRateId rule = fx.add_rate(fx.a, a.electrical_labor, a.maintenance, std::nullopt, 9000);
  CHECK(rate_of(fx, a.electrical_labor, a.technician) == 9000);
  fx.engine.set_active<wo::LaborRate>(admin, rule, false);
  fx.expect_error(Code::not_found, {"labor_item"},
                  [&] { fx.engine.resolve_labor_rate(admin, a.electrical_labor, a.technician); });
  // Removing the default rate of an item with no applicable rule.
  wo::Patch<wo::LaborItem> no_default;
  no_default.set(&wo::LaborItem::default_rate, std::optional<wo::Money>{});
  fx.engine.update<wo::LaborItem>(admin, a.plumbing_labor, no_default);
  const wo::StaffId loose = fx.add_staff(fx.a, "Loose", "13966660002", wo::role_technician);  // no department
  fx.expect_error(Code::not_found, {"labor_item", std::to_string(loose.value)},
                  [&] { fx.engine.resolve_labor_rate(admin, a.plumbing_labor, loose); });
  CHECK(rate_of(fx, a.plumbing_labor, a.technician) == 7000);  // rules still apply
  // A zero default rate is a rate (free labor), not "no rate".
  wo::Patch<wo::LaborItem> zero;
  zero.set(&wo::LaborItem::default_rate, wo::Money{0});
  fx.engine.update<wo::LaborItem>(admin, a.electrical_labor, zero);
  CHECK(rate_of(fx, a.electrical_labor, a.technician) == 0);
}

TEST_CASE("deactivate / reactivate round trip for every catalog kind") {
  Fixture fx;
  const auto& a = fx.a;
  check_round_trip<wo::Department>(fx, a.external);
  check_round_trip<wo::Position>(fx, a.desk);
  check_round_trip<wo::Staff>(fx, a.technician_external);
  check_round_trip<wo::Tenant>(fx, a.company);
  check_round_trip<wo::Contact>(fx, a.company_contact);
  check_round_trip<wo::OrderType>(fx, a.public_repair);
  check_round_trip<wo::Subtype>(fx, a.free);
  check_round_trip<wo::ServiceSpec>(fx, a.full_spec);
  check_round_trip<wo::ServiceItem>(fx, a.night_fee);
  check_round_trip<wo::LaborItem>(fx, a.electrical_labor);
  check_round_trip<wo::LaborRate>(fx, a.plumbing_external_rate);
  check_round_trip<wo::Material>(fx, a.tape);
}

TEST_CASE("deactivated staff and contacts stop acting at once and act again when reactivated") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  fx.engine.set_active<wo::Staff>(admin, fx.a.dispatcher, false);
  const auto t = fx.valid_patch<wo::Tenant>(fx.a);
  fx.expect_error(Code::forbidden, {"inactive"}, [&] { fx.engine.create<wo::Tenant>(fx.a.as_dispatcher(), t); });
  fx.expect_error(Code::forbidden, {"inactive"}, [&] { fx.engine.get<wo::Tenant>(fx.a.as_dispatcher(), fx.a.person); });
  fx.engine.set_active<wo::Staff>(admin, fx.a.dispatcher, true);
  fx.expect_ok([&] { fx.engine.create<wo::Tenant>(fx.a.as_dispatcher(), t); });

  fx.engine.set_active<wo::Contact>(admin, fx.a.person_contact, false);
  fx.expect_error(Code::forbidden, {"inactive"}, [&] { fx.engine.list<wo::OrderType>(fx.a.as_contact(), {}, {}, 10); });
  fx.engine.set_active<wo::Contact>(admin, fx.a.person_contact, true);
  fx.expect_ok([&] { fx.engine.list<wo::OrderType>(fx.a.as_contact(), {}, {}, 10); });
}

TEST_CASE("update changes only the fields it names") {
  Fixture fx;
  const auto& a = fx.a;
  {
    wo::Patch<wo::Staff> p;
    p.set(&wo::Staff::name, std::string("张师傅 (senior)"));
    check_partial_update<wo::Staff>(fx, a.technician, p, {"name"});
    wo::Patch<wo::Staff> q;
    q.set(&wo::Staff::position_id, a.electrician_pos).set(&wo::Staff::roles, std::int32_t{wo::role_technician | wo::role_dispatcher});
    check_partial_update<wo::Staff>(fx, a.technician, q, {"position_id", "roles"});
    wo::Patch<wo::Staff> clear;
    clear.set(&wo::Staff::department_id, std::optional<wo::DepartmentId>{});
    check_partial_update<wo::Staff>(fx, a.technician, clear, {"department_id"});
    CHECK_FALSE(fx.engine.get<wo::Staff>(fx.a.as_admin(), a.technician).department_id.has_value());
  }
  {
    wo::Patch<wo::Subtype> p;
    p.set(&wo::Subtype::name, std::string("Door lock & key"));
    check_partial_update<wo::Subtype>(fx, a.deposit_fixed, p, {"name"});
    const auto st = fx.engine.get<wo::Subtype>(fx.a.as_admin(), a.deposit_fixed);
    CHECK(st.charge_mode == wo::ChargeMode::prepay_deposit);
    REQUIRE(st.deposit_fixed.has_value());
    CHECK(st.deposit_fixed->minor == catalog_test::fixed_deposit);
    CHECK_FALSE(st.deposit_bps.has_value());
    wo::Patch<wo::Subtype> c;
    c.set(&wo::Subtype::consumables_enabled, true);
    check_partial_update<wo::Subtype>(fx, a.deposit_bps, c, {"consumables_enabled"});
  }
  {
    wo::Patch<wo::Material> p;
    p.set(&wo::Material::unit_price, wo::Money{1800});
    check_partial_update<wo::Material>(fx, a.pipe, p, {"unit_price"});
    const auto m = fx.engine.get<wo::Material>(fx.a.as_admin(), a.pipe);
    CHECK(m.sku == "PIPE-20");
    CHECK(m.stock.milli == catalog_test::pipe_stock);
  }
  {
    wo::Patch<wo::Contact> p;
    p.set(&wo::Contact::name, std::string("张三 (主租人)"));
    check_partial_update<wo::Contact>(fx, a.person_contact, p, {"name"});
    CHECK(fx.engine.get<wo::Contact>(fx.a.as_admin(), a.person_contact).phone == "13800000001");
  }
  {
    wo::Patch<wo::Tenant> p;
    p.set(&wo::Tenant::tenant_kind, wo::TenantKind::company);
    check_partial_update<wo::Tenant>(fx, a.person, p, {"tenant_kind"});
  }
  {
    wo::Patch<wo::OrderType> p;
    p.set(&wo::OrderType::position_id, a.electrician_pos);
    check_partial_update<wo::OrderType>(fx, a.public_repair, p, {"position_id"});
  }
  {
    wo::Patch<wo::ServiceSpec> p;
    p.set(&wo::ServiceSpec::price, wo::Money{13000});
    check_partial_update<wo::ServiceSpec>(fx, a.deposit_fixed_spec, p, {"price"});
  }
  {
    wo::Patch<wo::ServiceItem> p;
    p.set(&wo::ServiceItem::name, std::string("上门费"));
    check_partial_update<wo::ServiceItem>(fx, a.callout, p, {"name"});
  }
  {
    wo::Patch<wo::LaborItem> p;
    p.set(&wo::LaborItem::default_rate, std::optional<wo::Money>{});
    check_partial_update<wo::LaborItem>(fx, a.plumbing_labor, p, {"default_rate"});
  }
  {
    wo::Patch<wo::LaborRate> p;
    p.set(&wo::LaborRate::rate, wo::Money{6100});
    check_partial_update<wo::LaborRate>(fx, a.plumbing_dept_rate, p, {"rate"});
  }
  {  // org, settings and channels
    const wo::Actor admin = fx.a.as_admin();
    const wo::Org before = fx.engine.get_org(admin, a.org);
    wo::Patch<wo::Org> p;
    p.set(&wo::Org::name, std::string("Acme 物业"));
    fx.engine.update_org(admin, a.org, p);
    CHECK(changed_columns(before, fx.engine.get_org(admin, a.org)) == std::vector<std::string>{"name"});

    const wo::OrderSettings s0 = fx.engine.get_settings(admin);
    wo::Patch<wo::OrderSettings> s;
    s.set(&wo::OrderSettings::grab_limit, std::int32_t{3}).set(&wo::OrderSettings::grab_enabled, false);
    fx.engine.update_settings(admin, s);
    const wo::OrderSettings s1 = fx.engine.get_settings(admin);
    CHECK(changed_columns(s0, s1) == std::vector<std::string>{"grab_enabled", "grab_limit"});
    CHECK(s1.grab_limit == 3);
    // Defaults of a new org (rules §2).
    CHECK(s0.grab_enabled);
    CHECK(s0.grab_limit == 0);
    CHECK(s0.prepay_timeout_min == 30);
    CHECK(s0.accept_timeout_min == 60);
    CHECK(s0.rating_timeout_days == 7);
    CHECK(s0.auto_rating_score == 5);
    CHECK(s0.reopen_window_days == 7);

    const auto c0 = fx.engine.list_channels(admin);
    fx.engine.set_channel_enabled(admin, wo::Channel::bank_transfer, true);
    const auto c1 = fx.engine.list_channels(admin);
    REQUIRE(c0.size() == 6);
    REQUIRE(c1.size() == 6);
    for (std::size_t i = 0; i < c0.size(); ++i) {
      CAPTURE(i);
      CHECK(c0[i].channel == c1[i].channel);
      CHECK(c1[i].enabled == (c0[i].enabled || c0[i].channel == wo::Channel::bank_transfer));
      // The fixture enabled wechat and cash only.
      CHECK(c0[i].enabled == (c0[i].channel == wo::Channel::wechat || c0[i].channel == wo::Channel::cash));
    }
    // Org B's channels are untouched.
    for (const auto& c : fx.engine.list_channels(fx.b.as_admin()))
      CHECK(c.enabled == (c.channel == wo::Channel::wechat || c.channel == wo::Channel::cash));
  }
}

TEST_CASE("phones are stored normalised") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  // From the fixture: "139 0000 0001" (first admin), "139-0000-0002", "+86 21 5555-0100".
  CHECK(fx.engine.get<wo::Staff>(admin, fx.a.admin).phone == "13900000001");
  CHECK(fx.engine.get<wo::Staff>(admin, fx.a.dispatcher).phone == "13900000002");
  CHECK(fx.engine.get<wo::Contact>(admin, fx.a.person_contact).phone == "13800000001");
  CHECK(fx.engine.get<wo::Contact>(admin, fx.a.company_contact).phone == "+862155550100");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"(021) 6666-7777", "02166667777"},
      {"+86 138.1234.5678", "+8613812345678"},
      {" 138 1234 5679 ", "13812345679"},
      {"+1 (415) 555-0100", "+14155550100"},
  };
  for (const auto& [raw, stored] : cases) {
    CAPTURE(raw);
    auto c = fx.valid_patch<wo::Contact>(fx.a);
    c.set(&wo::Contact::phone, raw);
    wo::ContactId cid;
    REQUIRE(fx.expect_ok([&] { cid = fx.engine.create<wo::Contact>(admin, c); }));
    CHECK(fx.engine.get<wo::Contact>(admin, cid).phone == stored);
    auto s = fx.valid_patch<wo::Staff>(fx.a);
    s.set(&wo::Staff::phone, raw);
    wo::StaffId sid;
    REQUIRE(fx.expect_ok([&] { sid = fx.engine.create<wo::Staff>(admin, s); }));
    CHECK(fx.engine.get<wo::Staff>(admin, sid).phone == stored);
  }
  // On update too.
  wo::Patch<wo::Contact> u;
  u.set(&wo::Contact::phone, std::string("138 0000 0099"));
  fx.engine.update<wo::Contact>(admin, fx.a.person_contact2, u);
  CHECK(fx.engine.get<wo::Contact>(admin, fx.a.person_contact2).phone == "13800000099");
  // Filtering by the stored form finds the record.
  const auto found = fx.engine.list<wo::Contact>(admin, {{"phone", wo::Value{std::string("13800000099")}}}, {}, 10);
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == fx.a.person_contact2);
}

// rules §1: phones are normalised "before storing and matching" — a phone filter given as the
// user typed it must match the stored, normalised phone.
TEST_CASE("phone filters are normalised before matching") {
  Fixture fx;
  const wo::Actor admin = fx.a.as_admin();
  std::vector<wo::Contact> contacts;
  REQUIRE(fx.expect_ok([&] {
    contacts = fx.engine.list<wo::Contact>(admin, {{"phone", wo::Value{std::string("138 0000 0001")}}}, {}, 10);
  }));
  CHECK(contacts.size() == 1);
  if (contacts.size() == 1) CHECK(contacts[0].id == fx.a.person_contact);
  std::vector<wo::Staff> staff;
  REQUIRE(fx.expect_ok([&] {
    staff = fx.engine.list<wo::Staff>(admin, {{"phone", wo::Value{std::string("139-0000-0003")}}}, {}, 10);
  }));
  CHECK(staff.size() == 1);
  if (staff.size() == 1) CHECK(staff[0].id == fx.a.technician);
}

TEST_CASE("keyset paging over 450 tenants: pages of 200/200/50, each tenant once, in id order") {
  Fixture fx;
  const wo::NewOrg c = fx.new_org("Gamma");
  const wo::Actor admin = wo::Actor::staff(c.admin);
  std::vector<std::int64_t> created;
  for (int i = 0; i < 450; ++i) {
    wo::Patch<wo::Tenant> p;
    p.set(&wo::Tenant::name, "Tenant " + std::to_string(i))
        .set(&wo::Tenant::tenant_kind, i % 2 ? wo::TenantKind::company : wo::TenantKind::person);
    created.push_back(fx.engine.create<wo::Tenant>(admin, p).value);
    // Interleave another org's rows so that ids of org C are not contiguous.
    if (i % 50 == 0) fx.add_tenant(fx.a, "Interleaved " + std::to_string(i), wo::TenantKind::person);
  }
  REQUIRE(std::is_sorted(created.begin(), created.end()));

  std::vector<std::size_t> sizes;
  std::vector<std::int64_t> seen;
  wo::TenantId after{};
  for (int guard = 0; guard < 10; ++guard) {
    const auto page = fx.engine.list<wo::Tenant>(admin, {}, after, 200);
    sizes.push_back(page.size());
    for (const auto& t : page) {
      CHECK(t.org_id == c.org);
      seen.push_back(t.id.value);
    }
    if (page.empty()) break;
    after = page.back().id;
  }
  CHECK(sizes == std::vector<std::size_t>{200, 200, 50, 0});
  CHECK(seen == created);  // each exactly once, ascending
  CHECK(std::set<std::int64_t>(seen.begin(), seen.end()).size() == 450);

  // With a filter: the 225 companies in pages of 200 and 25.
  std::vector<std::int64_t> companies;
  for (std::size_t i = 1; i < created.size(); i += 2) companies.push_back(created[i]);
  std::vector<std::int64_t> seen_companies;
  sizes.clear();
  after = {};
  for (int guard = 0; guard < 10; ++guard) {
    const auto page =
        fx.engine.list<wo::Tenant>(admin, {{"tenant_kind", wo::Value{std::int64_t{1}}}}, after, 200);
    sizes.push_back(page.size());
    for (const auto& t : page) {
      CHECK(t.tenant_kind == wo::TenantKind::company);
      seen_companies.push_back(t.id.value);
    }
    if (page.empty()) break;
    after = page.back().id;
  }
  CHECK(sizes == std::vector<std::size_t>{200, 25, 0});
  CHECK(seen_companies == companies);

  // Starting after any id (even one of another org) continues from the next of this org.
  const auto from_middle = fx.engine.list<wo::Tenant>(admin, {}, wo::TenantId{created[299]}, 200);
  REQUIRE(from_middle.size() == 150);
  CHECK(from_middle.front().id.value == created[300]);
  CHECK(from_middle.back().id.value == created[449]);
  // Small pages.
  const auto three = fx.engine.list<wo::Tenant>(admin, {}, {}, 3);
  REQUIRE(three.size() == 3);
  CHECK(three[2].id.value == created[2]);
}
