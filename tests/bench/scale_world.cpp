// SPDX-License-Identifier: MIT
#include "scale_world.hpp"

#include <fmt/format.h>

#include <random>
#include <stdexcept>

#include "workorder/errors.hpp"

namespace wo_bench::scale {
namespace {

using namespace wo;

template <class T>
decltype(T::id) create(Engine& engine, const Actor& actor, const Patch<T>& patch) {
  return engine.create<T>(actor, patch);
}

std::string phone_of_tenant(std::size_t i) { return fmt::format("139{:08}", i + 1); }

struct TypePlan {
  const char* name;
  int department;  // index into departments below
  const char* position;
  int technicians;
  int weight;
  const char* labor;
  std::int64_t labor_rate;
  struct Sub {
    const char* name;
    ChargeMode mode;
    bool consumables;
    int weight;
    std::int64_t deposit_fixed = 0;  // prepay_deposit: a fixed amount, or
    std::int64_t deposit_bps = 0;    // a share of the spec price
  } subtypes[2];
  struct Item {
    const char* name;
    std::int64_t price;
  } specs[2], service, materials[2];
};

const char* const departments[] = {"Maintenance (维修部)", "Cleaning (保洁部)", "Customer service (客服部)"};

// Four order types, two subtypes each in different charge modes.
const TypePlan type_plans[] = {
    {"Plumbing repair (水管维修)", 0, "Plumber (水工)", 13, 35, "Plumbing labor (水工工时)", 6000,
     {{"Pipes and faucets (管道龙头)", ChargeMode::prepay_deposit, true, 3, 3000},
      {"Drain unblocking (疏通下水)", ChargeMode::after_completion, true, 2}},
     {{"Replace a faucet (更换龙头)", 5000}, {"Fix a leaking pipe (修补漏水管)", 8000}},
     {"Call-out fee (上门费)", 2000},
     {{"Faucet, chrome (镀铬龙头)", 4500}, {"PVC pipe 1.5 m (PVC管1.5米)", 1200}}},
    {"Electrical repair (电路维修)", 0, "Electrician (电工)", 10, 25, "Electrical labor (电工工时)", 7000,
     {{"Sockets and switches (插座开关)", ChargeMode::after_completion, true, 3},
      {"Lighting installation (灯具安装)", ChargeMode::prepay_full, true, 2}},
     {{"Replace a socket (更换插座)", 3000}, {"Install a ceiling lamp (安装吸顶灯)", 6000}},
     {"Call-out fee (上门费)", 2000},
     {{"Wall socket (墙壁插座)", 1800}, {"LED bulb (LED灯泡)", 1500}}},
    {"Cleaning (保洁服务)", 1, "Cleaner (保洁员)", 13, 25, "Cleaning labor (保洁工时)", 4000,
     {{"Deep home cleaning (深度保洁)", ChargeMode::prepay_full, false, 2},
      {"Common-area cleaning (公区保洁)", ChargeMode::free, false, 3}},
     {{"Two-bedroom flat (两居室)", 30000}, {"Three-bedroom flat (三居室)", 42000}},
     {"Extra room (加一间)", 8000},
     {{"Cleaning agent (清洁剂)", 800}, {"Mop head (拖把头)", 1500}}},
    {"Doors and locks (门锁维修)", 0, "Locksmith (锁匠)", 8, 15, "Locksmith labor (锁匠工时)", 6500,
     {{"Lock replacement (换锁)", ChargeMode::prepay_deposit, true, 2, 0, 3000},
      {"Door and window adjustment (门窗调整)", ChargeMode::free, true, 3}},
     {{"Replace a lock cylinder (更换锁芯)", 15000}, {"Adjust a door (调整门)", 4000}},
     {"Call-out fee (上门费)", 2000},
     {{"Lock cylinder (锁芯)", 12000}, {"Door hinge (合页)", 900}}},
};

}  // namespace

std::vector<std::vector<StaffId>> World::staff_pools() const {
  std::vector<std::vector<StaffId>> pools;
  for (const auto& t : types) pools.push_back(t.technicians);
  pools.push_back(dispatchers);
  pools.push_back(clerks);
  return pools;
}

std::string address_of(std::size_t i) {
  const std::size_t building = i / 120 + 1, unit = i / 40 % 3 + 1, floor = i / 4 % 10 + 1, room = i % 4 + 1;
  return fmt::format("Building {0}, Unit {1}, Room {2}{3:02} ({0}栋{1}单元{2}{3:02})", building, unit, floor, room);
}

std::string unit_of(std::size_t i) {
  return fmt::format("{}-{}-{}{:02}", i / 120 + 1, i / 40 % 3 + 1, i / 4 % 10 + 1, i % 4 + 1);
}

World build_world(Engine& engine, int tenant_count, std::int64_t opening_stock_units) {
  World w;
  Patch<wo::Org> org;
  org.set(&wo::Org::name, std::string("Bench Property Management (基准物业)")).set(&wo::Org::time_zone, std::string(time_zone));
  Patch<Staff> first_admin;
  first_admin.set(&Staff::name, std::string("Admin (管理员)")).set(&Staff::phone, std::string("13800000000"));
  const NewOrg created = engine.create_org(Actor::system(), org, first_admin);
  w.org = created.org;
  w.admin = created.admin;
  const Actor admin = Actor::staff(w.admin);

  std::vector<DepartmentId> dept;
  for (const char* name : departments)
    dept.push_back(create(engine, admin, Patch<Department>().set(&Department::name, std::string(name))));
  auto position = [&](const char* name) {
    return create(engine, admin, Patch<Position>().set(&Position::name, std::string(name)));
  };
  int staff_number = 0;
  auto staff = [&](const std::string& name, DepartmentId d, PositionId p, std::int32_t roles) {
    Patch<Staff> s;
    s.set(&Staff::name, name).set(&Staff::phone, fmt::format("1380000{:04}", ++staff_number));
    s.set(&Staff::department_id, std::optional{d}).set(&Staff::position_id, std::optional{p}).set(&Staff::roles, roles);
    return create(engine, admin, s);
  };
  const PositionId dispatcher_position = position("Dispatcher (调度员)");
  const PositionId clerk_position = position("Front desk (前台)");
  for (int i = 0; i < 2; ++i)
    w.dispatchers.push_back(staff(fmt::format("Dispatcher {} (调度{})", i + 1, i + 1), dept[2], dispatcher_position, role_dispatcher));
  for (int i = 0; i < 3; ++i)
    w.clerks.push_back(staff(fmt::format("Front desk {} (前台{})", i + 1, i + 1), dept[2], clerk_position, 0));

  int material_number = 0;
  for (const TypePlan& plan : type_plans) {
    TypeInfo t;
    t.weight = plan.weight;
    const DepartmentId d = dept[static_cast<std::size_t>(plan.department)];
    const PositionId p = position(plan.position);
    for (int i = 0; i < plan.technicians; ++i)
      t.technicians.push_back(staff(fmt::format("{} {}", plan.position, i + 1), d, p, role_technician));
    Patch<OrderType> type;
    type.set(&OrderType::name, std::string(plan.name)).set(&OrderType::department_id, d).set(&OrderType::position_id, p);
    t.id = create(engine, admin, type);

    Patch<LaborItem> labor;
    labor.set(&LaborItem::name, std::string(plan.labor)).set(&LaborItem::default_rate, std::optional{Money{plan.labor_rate}});
    t.labor = create(engine, admin, labor);
    // The department's rate beats the item's default; the position's beats the department's.
    Patch<LaborRate> dept_rate;
    dept_rate.set(&LaborRate::labor_item_id, t.labor).set(&LaborRate::department_id, d);
    dept_rate.set(&LaborRate::rate, Money{plan.labor_rate + 1000});
    create(engine, admin, dept_rate);
    Patch<LaborRate> position_rate = dept_rate;
    position_rate.set(&LaborRate::position_id, std::optional{p}).set(&LaborRate::rate, Money{plan.labor_rate + 2000});
    create(engine, admin, position_rate);

    for (const auto& m : plan.materials) {
      Patch<Material> material;
      material.set(&Material::sku, fmt::format("MAT-{:03}", ++material_number)).set(&Material::name, std::string(m.name));
      material.set(&Material::unit, std::string("pcs")).set(&Material::unit_price, Money{m.price});
      const MaterialId id = create(engine, admin, material);
      Patch<StockMovement> stock;
      stock.set(&StockMovement::material_id, id).set(&StockMovement::movement_kind, MovementKind::requisition);
      stock.set(&StockMovement::qty, Qty{opening_stock_units * 1000});
      stock.set(&StockMovement::note, std::optional<std::string>("opening stock (期初库存)"));
      create(engine, admin, stock);
      t.materials.push_back(id);
    }

    for (const auto& sp : plan.subtypes) {
      SubtypeInfo s;
      s.mode = sp.mode;
      s.consumables = sp.consumables;
      s.weight = sp.weight;
      Patch<Subtype> subtype;
      subtype.set(&Subtype::order_type_id, t.id).set(&Subtype::name, std::string(sp.name));
      subtype.set(&Subtype::charge_mode, sp.mode).set(&Subtype::consumables_enabled, sp.consumables);
      if (sp.deposit_fixed) subtype.set(&Subtype::deposit_fixed, std::optional{Money{sp.deposit_fixed}});
      if (sp.deposit_bps) subtype.set(&Subtype::deposit_bps, std::optional{sp.deposit_bps});
      s.id = create(engine, admin, subtype);
      for (const auto& spec : plan.specs) {
        Patch<ServiceSpec> sp_patch;
        sp_patch.set(&ServiceSpec::subtype_id, s.id).set(&ServiceSpec::name, std::string(spec.name));
        sp_patch.set(&ServiceSpec::price, Money{spec.price});
        s.specs.push_back(create(engine, admin, sp_patch));
      }
      Patch<ServiceItem> item;
      item.set(&ServiceItem::subtype_id, s.id).set(&ServiceItem::name, std::string(plan.service.name));
      item.set(&ServiceItem::price, Money{plan.service.price});
      s.items.push_back(create(engine, admin, item));
      t.subtypes.push_back(std::move(s));
    }
    w.types.push_back(std::move(t));
  }

  for (auto c : {Channel::wechat, Channel::alipay, Channel::cash, Channel::corporate, Channel::bank_transfer})
    engine.set_channel_enabled(admin, c, true);

  for (int i = 0; i < tenant_count; ++i) {
    const bool company = i % 10 == 9;
    const std::string name = company ? fmt::format("Company {0:04} (公司{0:04})", i + 1)
                                     : fmt::format("Resident {0:04} (住户{0:04})", i + 1);
    Patch<Tenant> tenant;
    tenant.set(&Tenant::name, name).set(&Tenant::tenant_kind, company ? TenantKind::company : TenantKind::person);
    const TenantId tid = create(engine, admin, tenant);
    Patch<Contact> contact;
    contact.set(&Contact::tenant_id, tid).set(&Contact::name, company ? fmt::format("Manager of {}", name) : name);
    contact.set(&Contact::phone, phone_of_tenant(static_cast<std::size_t>(i)));
    w.tenants.push_back({tid, create(engine, admin, contact)});
  }
  return w;
}

// --- the template orders ---------------------------------------------------------------------
namespace {

enum class Story {
  // These use the timers (tick); they run first and end closed.
  auto_rated, accept_timeout, prepay_timeout,
  // Closed orders.
  rated, grabbed, rejected, transferred, reopened, chatty, partial_payments, cancelled, cancelled_refunded,
  staff_for_tenant, staff_for_org,
  // Orders left open in each status.
  open_awaiting_prepayment, open_pending_dispatch, open_pending_accept, open_in_progress, open_awaiting_payment,
  open_awaiting_rating,
};

struct StoryPlan {
  Story story;
  const char* name;
  double weight;
  Status ends_in;
};

// Weights are per subtype; a story that does not apply to a subtype is skipped.
const StoryPlan story_plans[] = {
    {Story::auto_rated, "auto_rated", 30, Status::completed},
    {Story::accept_timeout, "accept_timeout", 2, Status::completed},
    {Story::prepay_timeout, "prepay_timeout", 2, Status::cancelled},
    {Story::rated, "rated", 25, Status::completed},
    {Story::grabbed, "grabbed", 10, Status::completed},
    {Story::rejected, "rejected", 3, Status::completed},
    {Story::transferred, "transferred", 3, Status::completed},
    {Story::reopened, "reopened", 2, Status::completed},
    {Story::chatty, "chatty", 6, Status::completed},
    {Story::partial_payments, "partial_payments", 2, Status::completed},
    {Story::cancelled, "cancelled", 4, Status::cancelled},
    {Story::cancelled_refunded, "cancelled_refunded", 1, Status::cancelled},
    {Story::staff_for_tenant, "staff_for_tenant", 6, Status::completed},
    {Story::staff_for_org, "staff_for_org", 4, Status::completed},
    {Story::open_awaiting_prepayment, "open_awaiting_prepayment", 2, Status::awaiting_prepayment},
    {Story::open_pending_dispatch, "open_pending_dispatch", 4, Status::pending_dispatch},
    {Story::open_pending_accept, "open_pending_accept", 3, Status::pending_accept},
    {Story::open_in_progress, "open_in_progress", 5, Status::in_progress},
    {Story::open_awaiting_payment, "open_awaiting_payment", 3, Status::awaiting_payment},
    {Story::open_awaiting_rating, "open_awaiting_rating", 6, Status::awaiting_rating},
};

bool prepaid(ChargeMode m) { return m == ChargeMode::prepay_deposit || m == ChargeMode::prepay_full; }

bool applies(Story s, const SubtypeInfo& sub) {
  switch (s) {
    case Story::prepay_timeout:
    case Story::cancelled_refunded:
    case Story::open_awaiting_prepayment:
      return prepaid(sub.mode);
    case Story::partial_payments:
    case Story::open_awaiting_payment:
      return sub.mode != ChargeMode::free;  // the tenant must owe something at the end
    default:
      return true;
  }
}

const char* const descriptions[][3] = {
    {"Kitchen faucet leaks and the pipe under the sink drips (厨房龙头漏水，水槽下水管滴水)",
     "Bathroom floor drain is blocked, water backs up (卫生间地漏堵塞，返水)",
     "Water pressure is very low in the shower (淋浴水压很低)"},
    {"Bedroom socket sparks when plugging in (卧室插座插电时冒火花)", "Living-room lights flicker (客厅灯闪烁)",
     "Circuit breaker trips every evening (每晚跳闸)"},
    {"Please clean the flat before we move in (入住前请做保洁)", "Stairwell on floor 5 needs cleaning (5楼楼梯间需要清扫)",
     "Kitchen hood and windows are greasy (油烟机和窗户油污重)"},
    {"Front door lock is stuck (入户门锁卡住)", "Balcony door does not close properly (阳台门关不严)",
     "Lost the key, please change the cylinder (钥匙丢了，请换锁芯)"},
};

const char* const reasons[] = {"Not my speciality, please reassign (非本专业，请改派)", "Tenant not at home (住户不在家)",
                               "Needs a second technician (需要其他师傅)"};
const char* const comments[] = {"Fast and tidy, thank you (师傅很专业)", "Arrived on time (准时上门)",
                                "Good, but a bit expensive (不错，就是有点贵)"};

constexpr std::int64_t minute = 60'000;
constexpr std::int64_t day = 1'440 * minute;

// Drives one order through a story on the engine, moving the shared clock between calls.
class Teller {
 public:
  Teller(Engine& engine, std::int64_t& clock, const World& world) : e_(engine), clock_(clock), w_(world) {}

  OrderId tell(const StoryPlan& plan, const TypeInfo& type, const SubtypeInfo& sub, std::size_t tenant) {
    type_ = &type;
    sub_ = &sub;
    tenant_ = tenant % w_.tenants.size();
    tech_ = type.technicians[0];
    other_ = type.technicians[1];
    dispatcher_ = Actor::staff(w_.dispatchers[0]);
    switch (plan.story) {
      case Story::auto_rated:
        to_in_progress(Kind::contact);
        work(false);
        finish_and_settle(false);
        wait(7 * day + 1 * minute, 7 * day + 90 * minute);
        ticks(1);
        break;
      case Story::accept_timeout:
        submit(Kind::contact);
        prepay();
        assign(tech_);
        wait(61 * minute, 80 * minute);
        ticks(1);
        assign(other_);
        accept(other_);
        work(false);
        finish_and_settle(false);
        rate();
        break;
      case Story::prepay_timeout:
        submit(Kind::contact);
        wait(31 * minute, 50 * minute);
        ticks(1);
        break;
      case Story::rated:
        to_in_progress(Kind::contact);
        work(false);
        finish_and_settle(false);
        rate();
        break;
      case Story::grabbed:
        submit(Kind::contact);
        prepay();
        wait(2 * minute, 50 * minute);
        e_.grab(Actor::staff(tech_), id_);
        work(false);
        finish_and_settle(false);
        rate();
        break;
      case Story::rejected:
        submit(Kind::contact);
        prepay();
        assign(tech_);
        wait(5 * minute, 40 * minute);
        e_.reject(Actor::staff(tech_), id_, reasons[0]);
        assign(other_);
        accept(other_);
        work(false);
        finish_and_settle(false);
        rate();
        break;
      case Story::transferred:
        to_in_progress(Kind::contact);
        wait(10 * minute, 90 * minute);
        e_.transfer(Actor::staff(tech_), id_, other_, reasons[2]);
        accept(other_);
        work(false);
        finish_and_settle(false);
        rate();
        break;
      case Story::reopened:
        to_in_progress(Kind::contact);
        work(false);
        finish_and_settle(false);
        rate(2);
        wait(2 * 60 * minute, 4 * day);
        e_.reopen(reporter_, id_, "The leak is back (又漏了)");
        assign(tech_);
        accept(tech_);
        work(sub.mode != ChargeMode::free);
        finish_and_settle(false);
        rate();
        break;
      case Story::chatty:
        submit(Kind::contact);
        prepay();
        wait(3 * minute, 30 * minute);
        e_.message(reporter_, id_, "Please call before coming (上门前请先电话联系)");
        assign(tech_);
        wait(2 * minute, 20 * minute);
        e_.message(Actor::staff(tech_), id_, "I will be there in an hour (一小时后到)");
        accept(tech_);
        if (sub.consumables) {
          wait(10 * minute, 40 * minute);
          const auto line = e_.add_line(Actor::staff(tech_), id_, {LineKind::material, type.materials[1].value, Qty{1000}});
          wait(2 * minute, 10 * minute);
          e_.remove_line(Actor::staff(tech_), id_, line);
        }
        work(false);
        finish_and_settle(false);
        rate();
        break;
      case Story::partial_payments:
        to_in_progress(Kind::contact);
        work(true);
        finish_and_settle(true);
        rate();
        break;
      case Story::cancelled:
        submit(Kind::contact);
        if (!prepaid(sub.mode)) {
          assign(tech_);
          wait(5 * minute, 30 * minute);
          e_.cancel(dispatcher_, id_, "Tenant solved it themselves (住户已自行解决)");
        } else {
          wait(2 * minute, 20 * minute);
          e_.cancel(reporter_, id_, "Changed my mind (不需要了)");
        }
        break;
      case Story::cancelled_refunded:
        submit(Kind::contact);
        prepay();
        wait(10 * minute, 6 * 60 * minute);
        e_.cancel(reporter_, id_, "Moving out next week (下周搬走)");
        wait(30 * minute, day);
        refund();
        break;
      case Story::staff_for_tenant:
        to_in_progress(Kind::clerk_for_tenant);
        work(false);
        finish_and_settle(false);
        rate();
        break;
      case Story::staff_for_org:
        to_in_progress(Kind::clerk_for_org);
        work(false);
        finish_and_settle(false);
        break;
      case Story::open_awaiting_prepayment:
        submit(Kind::contact);
        break;
      case Story::open_pending_dispatch:
        submit(Kind::contact);
        prepay();
        break;
      case Story::open_pending_accept:
        submit(Kind::contact);
        prepay();
        assign(tech_);
        break;
      case Story::open_in_progress:
        to_in_progress(Kind::contact);
        if (tenant_ % 2) work(false);
        break;
      case Story::open_awaiting_payment:
        to_in_progress(Kind::contact);
        work(true);
        wait(20 * minute, 4 * 60 * minute);
        e_.finish(Actor::staff(tech_), id_);
        break;
      case Story::open_awaiting_rating:
        to_in_progress(Kind::contact);
        work(false);
        finish_and_settle(false);
        break;
    }
    const Order o = e_.get_order(Actor::staff(w_.admin), id_);
    if (o.status != plan.ends_in)
      throw std::runtime_error(fmt::format("template story {} on subtype {} ended in {}, expected {}", plan.name,
                                           sub.id.value, name_of(o.status), name_of(plan.ends_in)));
    return id_;
  }

 private:
  enum class Kind { contact, clerk_for_tenant, clerk_for_org };

  // Moves the clock forward by a random time in [lo, hi] ms.
  void wait(std::int64_t lo, std::int64_t hi) { clock_ += std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng_)];
  }
  Order order() { return e_.get_order(Actor::staff(w_.admin), id_); }

  void submit(Kind kind) {
    const TenantInfo& tenant = w_.tenants[tenant_];
    OrderDraft d;
    d.subtype_id = sub_->id;
    if (prepaid(sub_->mode) || chance(0.6)) d.spec_id = pick(sub_->specs);
    const std::size_t type_index = static_cast<std::size_t>(type_ - w_.types.data());
    d.description = descriptions[type_index][std::uniform_int_distribution<int>(0, 2)(rng_)];
    d.address = address_of(tenant_);
    d.unit_ref = unit_of(tenant_);
    const Actor clerk = Actor::staff(w_.clerks[0]);
    switch (kind) {
      case Kind::contact:
        reporter_ = Actor::contact(tenant.contact);
        d.source_channel = chance(0.6) ? SourceChannel::mini_program : chance(0.7) ? SourceChannel::tenant_app : SourceChannel::h5;
        d.client_token = fmt::format("app-{}", ++serial_);
        break;
      case Kind::clerk_for_tenant:
        reporter_ = Actor::contact(tenant.contact);  // the contact pays and rates
        d.source_channel = SourceChannel::staff_pc;
        d.tenant_id = tenant.tenant;
        d.reporter_phone = phone_of_tenant(tenant_);
        break;
      case Kind::clerk_for_org:
        reporter_ = clerk;
        d.source_channel = SourceChannel::staff_mobile;
        d.payer = Payer::enterprise;
        d.address = "Building 5 lobby, public area (5栋大堂公区)";
        d.unit_ref.reset();
        break;
    }
    for (int i = 0, n = chance(0.5) ? std::uniform_int_distribution<int>(1, 3)(rng_) : 0; i < n; ++i)
      d.attachments.push_back(fmt::format("https://files.example.com/wo/{:08x}.jpg", static_cast<std::uint32_t>(rng_())));
    id_ = e_.submit(kind == Kind::contact ? reporter_ : clerk, d);
  }

  PaymentDraft payment(Money amount, bool by_contact) {
    PaymentDraft p;
    p.amount = amount;
    if (by_contact) {
      p.channel = chance(0.65) ? Channel::wechat : Channel::alipay;
      p.provider_txn_id = fmt::format("{}{:012}", p.channel == Channel::wechat ? "wx" : "ali", ++serial_);
    } else {
      p.channel = chance(0.5) ? Channel::cash : Channel::corporate;
      if (p.channel == Channel::corporate) p.provider_txn_id = fmt::format("corp{:012}", ++serial_);
    }
    return p;
  }

  // Pays the prepayment, if one is due, within the prepayment timeout.
  void prepay() {
    const Order o = order();
    if (o.status != Status::awaiting_prepayment) return;
    wait(1 * minute, 25 * minute);
    const PaymentDraft p = payment(o.prepay_due - o.paid, true);
    prepay_channel_ = p.channel;
    e_.pay_prepayment(reporter_, id_, p);
  }

  void assign(StaffId tech) {
    wait(3 * minute, 45 * minute);
    e_.assign(dispatcher_, id_, tech);
  }

  // Within the accept timeout.
  void accept(StaffId tech) {
    wait(2 * minute, 45 * minute);
    e_.accept(Actor::staff(tech), id_);
    tech_ = tech;
  }

  void to_in_progress(Kind kind) {
    submit(kind);
    prepay();
    assign(tech_);
    accept(tech_);
  }

  // Charge lines by the assignee; `owed` adds a service item so that the tenant owes money.
  void work(bool owed) {
    const Actor tech = Actor::staff(order().assignee_id.value());
    wait(15 * minute, 90 * minute);
    if (sub_->consumables) {
      e_.add_line(tech, id_, {LineKind::labor, type_->labor.value, Qty{500 * std::uniform_int_distribution<std::int64_t>(1, 6)(rng_)}});
      if (chance(0.75))
        e_.add_line(tech, id_, {LineKind::material, type_->materials[0].value, Qty{chance(0.8) ? 1000 : 2000}});
      if (chance(0.2)) e_.add_line(tech, id_, {LineKind::material, type_->materials[1].value, Qty{1000}});
    }
    if (owed || chance(0.35)) e_.add_line(tech, id_, {LineKind::service_item, sub_->items[0].value, Qty{1000}});
  }

  // Finishes; pays the balance (in two parts if asked) when the tenant owes one.
  void finish_and_settle(bool partial) {
    wait(20 * minute, 4 * 60 * minute);
    e_.finish(Actor::staff(tech_), id_);
    if (order().status != Status::awaiting_payment) return;
    const Money balance = e_.get_bill(Actor::staff(w_.admin), id_).balance;
    const bool by_contact = reporter_.kind == Actor::Kind::contact && chance(0.85);
    const Actor payer = by_contact ? reporter_ : dispatcher_;
    wait(10 * minute, day);
    if (partial && balance.minor > 1) {
      const Money first{balance.minor / 2};
      e_.pay(payer, id_, payment(first, by_contact));
      wait(30 * minute, 10 * 60 * minute);
      e_.pay(payer, id_, payment(balance - first, by_contact));
    } else {
      e_.pay(payer, id_, payment(balance, by_contact));
    }
  }

  // Rated by the reporter within the rating timeout.
  void rate(int score = 0) {
    wait(20 * minute, 3 * day);
    if (score == 0) {
      const int roll = std::uniform_int_distribution<int>(1, 100)(rng_);
      score = roll <= 70 ? 5 : roll <= 88 ? 4 : roll <= 95 ? 3 : roll <= 98 ? 2 : 1;
    }
    std::optional<std::string> comment;
    if (chance(0.4)) comment = comments[std::uniform_int_distribution<int>(0, 2)(rng_)];
    e_.rate(reporter_, id_, score, comment);
  }

  void refund() {
    PaymentDraft p;
    p.channel = prepay_channel_;
    p.amount = e_.get_bill(Actor::staff(w_.admin), id_).refund_due;
    p.provider_txn_id = fmt::format("refund{:012}", ++serial_);
    e_.refund(Actor::staff(w_.admin), id_, p);
  }

  void ticks(int expected) {
    const int changed = e_.tick(Actor::system(), from_unix_ms(clock_));
    if (changed != expected)
      throw std::runtime_error(fmt::format("template tick changed {} orders, expected {}", changed, expected));
  }

  Engine& e_;
  std::int64_t& clock_;
  const World& w_;
  std::mt19937_64 rng_{20261127};
  std::int64_t serial_ = 0;
  const TypeInfo* type_ = nullptr;
  const SubtypeInfo* sub_ = nullptr;
  std::size_t tenant_ = 0;
  StaffId tech_, other_;
  Actor dispatcher_, reporter_;
  Channel prepay_channel_ = Channel::wechat;
  OrderId id_;
};

}  // namespace

std::vector<TemplateOrder> drive_templates(Engine& engine, std::int64_t& clock_ms, const World& world) {
  Teller teller(engine, clock_ms, world);
  std::vector<TemplateOrder> out;
  double type_weights = 0;
  for (const auto& t : world.types) type_weights += t.weight;
  for (const StoryPlan& plan : story_plans) {
    for (const auto& type : world.types) {
      double subtype_weights = 0;
      for (const auto& s : type.subtypes) subtype_weights += s.weight;
      for (const auto& sub : type.subtypes) {
        if (!applies(plan.story, sub)) continue;
        clock_ms += day;  // each story starts on a later day than the last one ended
        const OrderId id = teller.tell(plan, type, sub, out.size());
        out.push_back({id, plan.name, plan.weight * type.weight / type_weights * sub.weight / subtype_weights});
      }
    }
  }
  return out;
}

}  // namespace wo_bench::scale
