// SPDX-License-Identifier: MIT
// docs/rules.md §7 for the settings catalog, table-driven: every catalog write × every kind of actor,
// then every read. Only admins configure (tenants and contacts: admins and dispatchers); a
// refusal is forbidden, or not_found when the record is outside the actor's sight (another
// org's record, a record a contact may not see, an unknown actor), and changes nothing.
#include <set>

#include "fixture.hpp"

using catalog_test::Fixture;
using catalog_test::Outcome;
using catalog_test::Snapshot;
using catalog_test::code_name;
using wo::Code;

namespace {

enum class Who {
  admin,
  dispatcher,
  technician,
  contact,
  inactive_staff,
  inactive_contact,
  unknown_staff,
  unknown_contact,
  system,
  other_admin,       // admin of org B acting on org A's records
  other_technician,  // technician of org B
};

struct ActorCase {
  Who who;
  const char* name;
};

const std::vector<ActorCase> all_actors = {
    {Who::admin, "admin"},
    {Who::dispatcher, "dispatcher"},
    {Who::technician, "technician"},
    {Who::contact, "tenant contact"},
    {Who::inactive_staff, "inactive staff"},
    {Who::inactive_contact, "inactive contact"},
    {Who::unknown_staff, "unknown staff id"},
    {Who::unknown_contact, "unknown contact id"},
    {Who::system, "system actor"},
    {Who::other_admin, "admin of another org"},
    {Who::other_technician, "technician of another org"},
};

wo::Actor actor_for(const Fixture& fx, Who who) {
  switch (who) {
    case Who::admin: return fx.a.as_admin();
    case Who::dispatcher: return fx.a.as_dispatcher();
    case Who::technician: return fx.a.as_technician();
    case Who::contact: return fx.a.as_contact();
    case Who::inactive_staff: return fx.a.as_inactive_staff();
    case Who::inactive_contact: return fx.a.as_inactive_contact();
    case Who::unknown_staff: return wo::Actor::staff(wo::StaffId{999'999});
    case Who::unknown_contact: return wo::Actor::contact(wo::ContactId{999'999});
    case Who::system: return wo::Actor::system();
    case Who::other_admin: return fx.b.as_admin();
    case Who::other_technician: return fx.b.as_technician();
  }
  return wo::Actor::system();
}

enum class OpKind { create, update, set_active, settings, channel };

enum class Expect {
  ok,              // succeeds and changes org A
  ok_own_org,      // succeeds in the actor's own org (B); org A unchanged
  forbidden,
  not_found,
  refused,         // forbidden or not_found (system actor on an addressed record; see below)
};

const char* expect_name(Expect e) {
  switch (e) {
    case Expect::ok: return "ok";
    case Expect::ok_own_org: return "ok in own org";
    case Expect::forbidden: return "forbidden";
    case Expect::not_found: return "not_found";
    case Expect::refused: return "refused";
  }
  return "?";
}

using Call = std::function<void(const wo::Actor&)>;
using OrgRecordsRef = catalog_test::OrgRecords;

struct WriteOp {
  std::string name;
  OpKind kind;
  bool dispatcher_may = false;   // tenants and contacts
  bool contact_sees = false;     // update/set_active: org A's person_contact can see the target
  bool refers_to_org_a = false;  // create: the patch names org A records
  std::function<Call(Fixture&)> prepare;  // may create helper records (before the snapshot)
  std::function<void(Fixture&)> undo;     // after a success, restores the target (may be empty)
};

Expect expected(const WriteOp& op, Who who) {
  const bool addressed = op.kind == OpKind::update || op.kind == OpKind::set_active;
  switch (who) {
    case Who::admin: return Expect::ok;
    case Who::dispatcher: return op.dispatcher_may ? Expect::ok : Expect::forbidden;
    case Who::technician: return Expect::forbidden;
    case Who::contact: return addressed && !op.contact_sees ? Expect::not_found : Expect::forbidden;
    case Who::inactive_staff:
    case Who::inactive_contact: return Expect::forbidden;
    case Who::unknown_staff:
    case Who::unknown_contact: return Expect::not_found;
    case Who::system: return addressed ? Expect::refused : Expect::forbidden;
    case Who::other_admin:
      if (addressed) return Expect::not_found;
      if (op.kind == OpKind::create && op.refers_to_org_a) return Expect::not_found;
      return Expect::ok_own_org;
    case Who::other_technician: return addressed ? Expect::not_found : Expect::forbidden;
  }
  return Expect::forbidden;
}

// --- the operations ---------------------------------------------------------------------------

template <class T>
WriteOp create_op(std::string name, bool dispatcher_may, bool refers_to_org_a) {
  WriteOp op;
  op.name = "create " + name;
  op.kind = OpKind::create;
  op.dispatcher_may = dispatcher_may;
  op.refers_to_org_a = refers_to_org_a;
  op.prepare = [](Fixture& fx) -> Call {
    const wo::Patch<T> p = fx.valid_patch<T>(fx.a);
    return [&fx, p](const wo::Actor& actor) { fx.engine.create<T>(actor, p); };
  };
  return op;
}

// An update that changes the target: a fresh name (or, for rates, a fresh rate).
template <class T>
wo::Patch<T> change_patch(Fixture& fx) {
  wo::Patch<T> p;
  if constexpr (std::is_same_v<T, wo::LaborRate>) {
    p.set(&wo::LaborRate::rate, wo::Money{10'000 + fx.next_number()});
  } else {
    p.set(&T::name, fx.unique(std::string(T::kind) + " renamed"));
  }
  return p;
}

template <class T>
WriteOp update_op(std::string name, decltype(T::id) target, bool dispatcher_may, bool contact_sees) {
  WriteOp op;
  op.name = "update " + name;
  op.kind = OpKind::update;
  op.dispatcher_may = dispatcher_may;
  op.contact_sees = contact_sees;
  op.prepare = [target](Fixture& fx) -> Call {
    const wo::Patch<T> p = change_patch<T>(fx);
    return [&fx, p, target](const wo::Actor& actor) { fx.engine.update<T>(actor, target, p); };
  };
  return op;
}

template <class T>
WriteOp set_active_op(std::string name, decltype(T::id) target, bool dispatcher_may, bool contact_sees) {
  WriteOp op;
  op.name = "deactivate " + name;
  op.kind = OpKind::set_active;
  op.dispatcher_may = dispatcher_may;
  op.contact_sees = contact_sees;
  op.prepare = [target](Fixture& fx) -> Call {
    return [&fx, target](const wo::Actor& actor) { fx.engine.set_active<T>(actor, target, false); };
  };
  op.undo = [target](Fixture& fx) { fx.engine.set_active<T>(fx.a.as_admin(), target, true); };
  return op;
}

std::vector<WriteOp> all_write_ops(const OrgRecordsRef& a) {
  std::vector<WriteOp> ops;
  // create: (dispatcher may, patch refers to org A records)
  ops.push_back(create_op<wo::Department>("department", false, false));
  ops.push_back(create_op<wo::Position>("position", false, false));
  ops.push_back(create_op<wo::Staff>("staff", false, true));
  ops.push_back(create_op<wo::Tenant>("tenant", true, false));
  ops.push_back(create_op<wo::Contact>("contact", true, true));
  ops.push_back(create_op<wo::OrderType>("order type", false, true));
  ops.push_back(create_op<wo::Subtype>("subtype", false, true));
  ops.push_back(create_op<wo::ServiceSpec>("service spec", false, true));
  ops.push_back(create_op<wo::ServiceItem>("service item", false, true));
  ops.push_back(create_op<wo::LaborItem>("labor item", false, false));
  ops.push_back(create_op<wo::LaborRate>("labor rate", false, true));
  ops.push_back(create_op<wo::Material>("material", false, false));
  ops.push_back(create_op<wo::StockMovement>("stock movement", false, true));

  // update and set_active: (target, dispatcher may, the contact can see the target)
  ops.push_back(update_op<wo::Department>("department", a.external, false, false));
  ops.push_back(update_op<wo::Position>("position", a.desk, false, false));
  ops.push_back(update_op<wo::Staff>("staff", a.technician_external, false, false));
  ops.push_back(update_op<wo::Tenant>("own tenant", a.person, true, true));
  ops.push_back(update_op<wo::Tenant>("another tenant", a.company, true, false));
  ops.push_back(update_op<wo::Contact>("the contact itself", a.person_contact, true, true));
  ops.push_back(update_op<wo::Contact>("a contact of the same tenant", a.person_contact2, true, true));
  ops.push_back(update_op<wo::Contact>("a contact of another tenant", a.company_contact, true, false));
  ops.push_back(update_op<wo::OrderType>("order type", a.public_repair, false, true));
  ops.push_back(update_op<wo::Subtype>("subtype", a.free, false, true));
  ops.push_back(update_op<wo::ServiceSpec>("service spec", a.after_spec, false, true));
  ops.push_back(update_op<wo::ServiceItem>("service item", a.callout, false, true));
  ops.push_back(update_op<wo::LaborItem>("labor item", a.electrical_labor, false, false));
  ops.push_back(update_op<wo::LaborRate>("labor rate", a.plumbing_external_rate, false, false));
  ops.push_back(update_op<wo::Material>("material", a.tape, false, false));

  ops.push_back(set_active_op<wo::Department>("department", a.external, false, false));
  ops.push_back(set_active_op<wo::Position>("position", a.desk, false, false));
  ops.push_back(set_active_op<wo::Staff>("staff", a.technician_external, false, false));
  ops.push_back(set_active_op<wo::Tenant>("own tenant", a.person, true, true));
  ops.push_back(set_active_op<wo::Tenant>("another tenant", a.company, true, false));
  ops.push_back(set_active_op<wo::Contact>("the contact itself", a.person_contact, true, true));
  ops.push_back(set_active_op<wo::Contact>("a contact of the same tenant", a.person_contact2, true, true));
  ops.push_back(set_active_op<wo::Contact>("a contact of another tenant", a.company_contact, true, false));
  ops.push_back(set_active_op<wo::OrderType>("order type", a.public_repair, false, true));
  ops.push_back(set_active_op<wo::Subtype>("subtype", a.free, false, true));
  ops.push_back(set_active_op<wo::ServiceSpec>("service spec", a.after_spec, false, true));
  ops.push_back(set_active_op<wo::ServiceItem>("service item", a.callout, false, true));
  ops.push_back(set_active_op<wo::LaborItem>("labor item", a.electrical_labor, false, false));
  ops.push_back(set_active_op<wo::LaborRate>("labor rate", a.plumbing_external_rate, false, false));
  ops.push_back(set_active_op<wo::Material>("material", a.tape, false, false));

  {
    WriteOp op;
    op.name = "update work-order settings";
    op.kind = OpKind::settings;
    op.prepare = [](Fixture& fx) -> Call {
      wo::Patch<wo::OrderSettings> p;
      p.set(&wo::OrderSettings::grab_limit, static_cast<std::int32_t>(fx.next_number()));
      return [&fx, p](const wo::Actor& actor) { fx.engine.update_settings(actor, p); };
    };
    ops.push_back(op);
  }
  {
    WriteOp op;
    op.name = "toggle payment channel alipay";
    op.kind = OpKind::channel;
    op.prepare = [](Fixture& fx) -> Call {
      bool enabled = false;
      for (const auto& c : fx.engine.list_channels(fx.a.as_admin()))
        if (c.channel == wo::Channel::alipay) enabled = c.enabled;
      return [&fx, enabled](const wo::Actor& actor) { fx.engine.set_channel_enabled(actor, wo::Channel::alipay, !enabled); };
    };
    ops.push_back(op);
  }
  return ops;
}

void run_write(Fixture& fx, const WriteOp& op, const ActorCase& actor) {
  const Expect want = expected(op, actor.who);
  INFO(op.name, " as ", actor.name, ", expecting ", expect_name(want));
  const Call call = op.prepare(fx);
  const wo::Actor who = actor_for(fx, actor.who);
  const Snapshot before = fx.snapshot();
  const Outcome out = catalog_test::capture([&] { call(who); });
  const Snapshot after = fx.snapshot();
  INFO("got ", out.threw ? code_name(out.code) : std::string("success"), " ", out.message);
  switch (want) {
    case Expect::ok:
      CHECK_FALSE(out.threw);
      CHECK(catalog_test::diff(before, after) != "");
      break;
    case Expect::ok_own_org:
      CHECK_FALSE(out.threw);
      CHECK(catalog_test::diff(catalog_test::only_org(before, fx.a.org), catalog_test::only_org(after, fx.a.org)) == "");
      break;
    case Expect::forbidden:
    case Expect::not_found:
      CHECK(out.threw);
      CHECK(code_name(out.code) == code_name(want == Expect::forbidden ? Code::forbidden : Code::not_found));
      CHECK(catalog_test::diff(before, after) == "");
      break;
    case Expect::refused:
      CHECK(out.threw);
      CHECK((out.code == Code::forbidden || out.code == Code::not_found));
      CHECK(catalog_test::diff(before, after) == "");
      break;
  }
  if (!out.threw && op.undo) op.undo(fx);
}

}  // namespace

// ------------------------------------------------------------------------------------------------
TEST_CASE("catalog writes: only admins (and for tenants and contacts dispatchers) succeed") {
  Fixture fx;
  const auto ops = all_write_ops(fx.a);
  CHECK(ops.size() == 13 + 15 + 15 + 2);
  for (const auto& op : ops)
    for (const auto& actor : all_actors) run_write(fx, op, actor);
}

TEST_CASE("catalog writes: a deactivated admin or dispatcher is refused at once") {
  Fixture fx;
  const wo::StaffId second_admin = fx.add_staff(fx.a, "Second admin", "13977770000", wo::role_admin);
  fx.engine.set_active<wo::Staff>(fx.a.as_admin(), second_admin, false);
  const wo::Actor former_admin = wo::Actor::staff(second_admin);
  const auto p = fx.valid_patch<wo::Department>(fx.a);
  fx.expect_error(Code::forbidden, {std::to_string(second_admin.value), "inactive"},
                  [&] { fx.engine.create<wo::Department>(former_admin, p); });
  wo::Patch<wo::OrderSettings> s;
  s.set(&wo::OrderSettings::grab_limit, std::int32_t{3});
  fx.expect_error(Code::forbidden, {"inactive"}, [&] { fx.engine.update_settings(former_admin, s); });
  // Reactivated, the same admin acts again.
  fx.engine.set_active<wo::Staff>(fx.a.as_admin(), second_admin, true);
  fx.expect_ok([&] { fx.engine.create<wo::Department>(former_admin, p); });

  // A dispatcher who loses the role stops creating tenants at once.
  wo::Patch<wo::Staff> demote;
  demote.set(&wo::Staff::roles, std::int32_t{wo::role_technician});
  fx.engine.update<wo::Staff>(fx.a.as_admin(), fx.a.dispatcher, demote);
  const auto t = fx.valid_patch<wo::Tenant>(fx.a);
  fx.expect_error(Code::forbidden, {"admin or dispatcher"}, [&] { fx.engine.create<wo::Tenant>(fx.a.as_dispatcher(), t); });
}

// The brief: "the system actor can create/list orgs but gets forbidden on catalog calls".
// create/list/settings/channels are forbidden; update, set_active and get of an addressed record
// answer not_found instead (load_visible runs before the role check).
TEST_CASE("the system actor is forbidden on catalog calls addressing a record") {
  Fixture fx;
  const wo::Actor sys = wo::Actor::system();
  wo::Patch<wo::Department> rename;
  rename.set(&wo::Department::name, std::string("Renamed"));
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.update<wo::Department>(sys, fx.a.external, rename); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.set_active<wo::Department>(sys, fx.a.external, false); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.get<wo::Department>(sys, fx.a.external); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.get<wo::Tenant>(sys, fx.a.person); });
}

TEST_CASE("the system actor creates and lists orgs, and is forbidden on the catalog") {
  Fixture fx;
  const wo::Actor sys = wo::Actor::system();
  std::vector<wo::Org> orgs;
  REQUIRE(fx.expect_ok([&] { orgs = fx.engine.list_orgs(sys, {}, 200); }));
  REQUIRE(orgs.size() == 2);
  CHECK(orgs[0].id == fx.a.org);
  CHECK(orgs[1].id == fx.b.org);
  CHECK(orgs[0].name == "Acme");
  CHECK(orgs[0].currency == "CNY");
  CHECK(fx.engine.get_org(sys, fx.b.org).name == "Beta");
  fx.expect_ok([&] { fx.new_org("Gamma"); });

  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.list<wo::Department>(sys, {}, {}, 10); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.list<wo::Tenant>(sys, {}, {}, 10); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.list<wo::OrderType>(sys, {}, {}, 10); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.get_settings(sys); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.list_channels(sys); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.resolve_labor_rate(sys, fx.a.plumbing_labor, fx.a.technician); });
  const auto p = fx.valid_patch<wo::Department>(fx.a);
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.create<wo::Department>(sys, p); });

  // Staff and contacts neither create nor list orgs.
  wo::Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Delta")).set(&wo::Org::time_zone, std::string("Asia/Shanghai"));
  wo::Patch<wo::Staff> admin;
  admin.set(&wo::Staff::name, std::string("Boss")).set(&wo::Staff::phone, std::string("13911112222"));
  for (const wo::Actor who : {fx.a.as_admin(), fx.a.as_contact()}) {
    fx.expect_error(Code::forbidden, {}, [&] { fx.engine.create_org(who, org, admin); });
    fx.expect_error(Code::forbidden, {}, [&] { fx.engine.list_orgs(who, {}, 10); });
  }
}

TEST_CASE("org update: the org's admins only; another org is not found") {
  Fixture fx;
  wo::Patch<wo::Org> rename;
  rename.set(&wo::Org::name, std::string("Acme Property"));
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.update_org(fx.a.as_dispatcher(), fx.a.org, rename); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.update_org(fx.a.as_technician(), fx.a.org, rename); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.update_org(fx.a.as_contact(), fx.a.org, rename); });
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.update_org(fx.a.as_inactive_staff(), fx.a.org, rename); });
  fx.expect_error(Code::not_found, {std::to_string(fx.a.org.value)},
                  [&] { fx.engine.update_org(fx.b.as_admin(), fx.a.org, rename); });
  fx.expect_error(Code::not_found, {}, [&] { fx.engine.update_org(fx.a.as_admin(), wo::OrgId{4242}, rename); });
  fx.expect_error(Code::not_found, {}, [&] { fx.engine.get_org(fx.b.as_admin(), fx.a.org); });
  fx.expect_error(Code::not_found, {}, [&] { fx.engine.get_org(fx.a.as_technician(), fx.b.org); });
  REQUIRE(fx.expect_ok([&] { fx.engine.update_org(fx.a.as_admin(), fx.a.org, rename); }));
  CHECK(fx.engine.get_org(fx.a.as_technician(), fx.a.org).name == "Acme Property");
  CHECK(fx.engine.get_org(fx.b.as_admin(), fx.b.org).name == "Beta");
}

// --- reads ---------------------------------------------------------------------------------------

namespace {

enum class ContactSight { visible, hidden_record, hidden_kind };

template <class T>
std::vector<T> list_all(Fixture& fx, const wo::Actor& actor, const wo::Filter& filter = {}) {
  std::vector<T> all;
  decltype(T::id) after{};
  for (;;) {
    auto page = fx.engine.list<T>(actor, filter, after, wo::max_page_size);
    for (auto& r : page) all.push_back(r);
    if (page.size() < static_cast<std::size_t>(wo::max_page_size)) return all;
    after = all.back().id;
  }
}

template <class T>
bool contains(const std::vector<T>& rows, decltype(T::id) id) {
  return std::any_of(rows.begin(), rows.end(), [&](const T& r) { return r.id == id; });
}

// get and list of one org-A record of kind T by every kind of actor.
template <class T>
void check_reads(Fixture& fx, decltype(T::id) target, ContactSight contact) {
  CAPTURE(T::kind);
  CAPTURE(target.value);
  const T expected_row = fx.engine.get<T>(fx.a.as_admin(), target);
  CHECK(expected_row.org_id == fx.a.org);

  for (const Who who : {Who::admin, Who::dispatcher, Who::technician}) {
    INFO("staff of the org, actor ", static_cast<int>(who));
    const wo::Actor actor = actor_for(fx, who);
    T got{};
    REQUIRE(fx.expect_ok([&] { got = fx.engine.get<T>(actor, target); }));
    CHECK(wo::to_row(got) == wo::to_row(expected_row));
    std::vector<T> rows;
    REQUIRE(fx.expect_ok([&] { rows = list_all<T>(fx, actor); }));
    CHECK(contains(rows, target));
    for (const auto& r : rows) CHECK(r.org_id == fx.a.org);
  }

  {
    INFO("the tenant contact");
    const wo::Actor actor = fx.a.as_contact();
    if (contact == ContactSight::visible) {
      T got{};
      REQUIRE(fx.expect_ok([&] { got = fx.engine.get<T>(actor, target); }));
      CHECK(wo::to_row(got) == wo::to_row(expected_row));
      std::vector<T> rows;
      REQUIRE(fx.expect_ok([&] { rows = list_all<T>(fx, actor); }));
      CHECK(contains(rows, target));
    } else {
      fx.expect_error(Code::not_found, {T::kind, std::to_string(target.value)},
                      [&] { fx.engine.get<T>(actor, target); });
      if (contact == ContactSight::hidden_kind) {
        fx.expect_error(Code::forbidden, {T::kind}, [&] { list_all<T>(fx, actor); });
      } else {
        std::vector<T> rows;
        REQUIRE(fx.expect_ok([&] { rows = list_all<T>(fx, actor); }));
        CHECK_FALSE(contains(rows, target));
      }
    }
  }

  for (const Who who : {Who::inactive_staff, Who::inactive_contact}) {
    INFO("inactive actor ", static_cast<int>(who));
    const wo::Actor actor = actor_for(fx, who);
    fx.expect_error(Code::forbidden, {"inactive"}, [&] { fx.engine.get<T>(actor, target); });
    fx.expect_error(Code::forbidden, {"inactive"}, [&] { list_all<T>(fx, actor); });
  }
  for (const Who who : {Who::unknown_staff, Who::unknown_contact}) {
    INFO("unknown actor ", static_cast<int>(who));
    const wo::Actor actor = actor_for(fx, who);
    fx.expect_error(Code::not_found, {"999999"}, [&] { fx.engine.get<T>(actor, target); });
    fx.expect_error(Code::not_found, {"999999"}, [&] { list_all<T>(fx, actor); });
  }

  // Another org's actors: never org A's record, whatever their role.
  for (const wo::Actor actor : {fx.b.as_admin(), fx.b.as_technician(), fx.b.as_contact()}) {
    INFO("actor of org B, kind ", static_cast<int>(actor.kind), " id ", actor.id);
    fx.expect_error(Code::not_found, {T::kind, std::to_string(target.value)},
                    [&] { fx.engine.get<T>(actor, target); });
    const bool may_list = actor.kind == wo::Actor::Kind::staff || contact != ContactSight::hidden_kind;
    if (may_list) {
      std::vector<T> rows;
      REQUIRE(fx.expect_ok([&] { rows = list_all<T>(fx, actor); }));
      CHECK_FALSE(contains(rows, target));
      for (const auto& r : rows) CHECK(r.org_id == fx.b.org);
    }
  }

  // The system actor has no org: it reads no catalog record.
  fx.expect_error(Code::forbidden, {}, [&] { list_all<T>(fx, wo::Actor::system()); });
  const Outcome sys = catalog_test::capture([&] { fx.engine.get<T>(wo::Actor::system(), target); });
  CHECK(sys.threw);
  CHECK((sys.code == Code::forbidden || sys.code == Code::not_found));
}

}  // namespace

TEST_CASE("catalog reads: staff see all, contacts what the tenant app needs, nothing across orgs") {
  Fixture fx;
  const auto& a = fx.a;
  using CS = ContactSight;
  check_reads<wo::Department>(fx, a.maintenance, CS::hidden_kind);
  check_reads<wo::Position>(fx, a.plumber, CS::hidden_kind);
  check_reads<wo::Staff>(fx, a.technician, CS::hidden_kind);
  check_reads<wo::Tenant>(fx, a.person, CS::visible);
  check_reads<wo::Tenant>(fx, a.company, CS::hidden_record);
  check_reads<wo::Contact>(fx, a.person_contact, CS::visible);
  check_reads<wo::Contact>(fx, a.person_contact2, CS::visible);
  check_reads<wo::Contact>(fx, a.company_contact, CS::hidden_record);
  check_reads<wo::OrderType>(fx, a.home_repair, CS::visible);
  check_reads<wo::Subtype>(fx, a.deposit_fixed, CS::visible);
  check_reads<wo::ServiceSpec>(fx, a.deposit_fixed_spec, CS::visible);
  check_reads<wo::ServiceItem>(fx, a.callout, CS::visible);
  check_reads<wo::LaborItem>(fx, a.plumbing_labor, CS::hidden_kind);
  check_reads<wo::LaborRate>(fx, a.plumbing_dept_pos_rate, CS::hidden_kind);
  check_reads<wo::Material>(fx, a.pipe, CS::hidden_kind);
  check_reads<wo::StockMovement>(fx, a.pipe_requisition, CS::hidden_kind);
}

TEST_CASE("a contact lists exactly its own tenant and that tenant's contacts") {
  Fixture fx;
  const wo::Actor contact = fx.a.as_contact();
  const auto tenants = list_all<wo::Tenant>(fx, contact);
  REQUIRE(tenants.size() == 1);
  CHECK(tenants[0].id == fx.a.person);
  // Even when asking for another tenant's contacts by filter.
  const auto contacts = list_all<wo::Contact>(fx, contact);
  std::set<std::int64_t> ids;
  for (const auto& c : contacts) ids.insert(c.id.value);
  CHECK(ids == std::set<std::int64_t>{fx.a.person_contact.value, fx.a.person_contact2.value, fx.a.inactive_contact.value});
  const auto filtered = list_all<wo::Contact>(fx, contact, {{"tenant_id", wo::Value{fx.a.company.value}}});
  CHECK(filtered.empty());
  const auto by_id = list_all<wo::Tenant>(fx, contact, {{"tenant_kind", wo::Value{std::int64_t{1}}}});
  CHECK(by_id.empty());  // the company tenant exists, but is not the contact's
  // The company's contact sees the company only.
  const auto other = list_all<wo::Tenant>(fx, wo::Actor::contact(fx.a.company_contact));
  REQUIRE(other.size() == 1);
  CHECK(other[0].id == fx.a.company);
  // A contact sees the whole order catalog of its org (it needs it to submit).
  CHECK(list_all<wo::Subtype>(fx, contact).size() == 5);
  CHECK(list_all<wo::ServiceSpec>(fx, contact).size() == 6);
}

TEST_CASE("settings, channels and labor rates: org staff read their own org's; others are refused") {
  Fixture fx;
  for (const wo::Actor actor : {fx.a.as_admin(), fx.a.as_dispatcher(), fx.a.as_technician()}) {
    CAPTURE(actor.id);
    wo::OrderSettings s{};
    REQUIRE(fx.expect_ok([&] { s = fx.engine.get_settings(actor); }));
    CHECK(s.id == fx.a.org);
    std::vector<wo::PaymentChannel> channels;
    REQUIRE(fx.expect_ok([&] { channels = fx.engine.list_channels(actor); }));
    CHECK(channels.size() == 6);
    for (const auto& c : channels) CHECK(c.org_id == fx.a.org);
    wo::Money rate{};
    REQUIRE(fx.expect_ok([&] { rate = fx.engine.resolve_labor_rate(actor, fx.a.plumbing_labor, fx.a.technician); }));
    CHECK(rate.minor == 7000);
  }
  // A contact may see which channels its org accepts (to pay), but resolves no rates.
  std::vector<wo::PaymentChannel> channels;
  REQUIRE(fx.expect_ok([&] { channels = fx.engine.list_channels(fx.a.as_contact()); }));
  for (const auto& c : channels) CHECK(c.org_id == fx.a.org);
  fx.expect_error(Code::forbidden, {}, [&] { fx.engine.resolve_labor_rate(fx.a.as_contact(), fx.a.plumbing_labor, fx.a.technician); });
  // Another org's admin sees its own settings and never org A's records.
  CHECK(fx.engine.get_settings(fx.b.as_admin()).id == fx.b.org);
  for (const auto& c : fx.engine.list_channels(fx.b.as_admin())) CHECK(c.org_id == fx.b.org);
  fx.expect_error(Code::not_found, {"labor_item"},
                  [&] { fx.engine.resolve_labor_rate(fx.b.as_admin(), fx.a.plumbing_labor, fx.b.technician); });
  fx.expect_error(Code::not_found, {"staff"},
                  [&] { fx.engine.resolve_labor_rate(fx.b.as_admin(), fx.b.plumbing_labor, fx.a.technician); });
  // Inactive and unknown actors.
  fx.expect_error(Code::forbidden, {"inactive"}, [&] { fx.engine.get_settings(fx.a.as_inactive_staff()); });
  fx.expect_error(Code::forbidden, {"inactive"}, [&] { fx.engine.list_channels(fx.a.as_inactive_contact()); });
  fx.expect_error(Code::not_found, {}, [&] { fx.engine.get_settings(wo::Actor::staff(wo::StaffId{999'999})); });
}
