// SPDX-License-Identifier: MIT
// repair.cpp — one repair order (在线报修) from submission to the bill, through the C++ API.
//
// A tenant reports a leaking pipe, pays the deposit, a technician is assigned and works
// 1.5 hours, the tenant pays the rest and rates the work. The same story is told in C,
// Python and Java beside this file, and all four print examples/expected-output.txt.
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>

#include <workorder/engine.hpp>
#include <workorder/errors.hpp>

using namespace wo;

namespace {

// Money is int64 fen and quantities int64 thousandths: format them with integer arithmetic.
std::string decimal(std::int64_t value, std::int64_t scale, int digits) {
  std::ostringstream out;
  if (value < 0) out << '-';
  const std::int64_t magnitude = value < 0 ? -value : value;
  out << magnitude / scale << '.' << std::setw(digits) << std::setfill('0') << magnitude % scale;
  return out.str();
}
std::string yuan(Money m) { return decimal(m.minor, 100, 2); }

void bill_row(const std::string& kind, const std::string& name, const std::string& qty, Money amount) {
  std::cout << "  " << std::left << std::setw(7) << kind << ' ' << std::setw(16) << name << ' ' << std::right
            << std::setw(6) << qty << ' ' << std::setw(8) << yuan(amount) << '\n';
}

}  // namespace

int main() {
  try {
    // A private in-memory SQLite database: nothing is left behind.
    Engine engine(open_store(":memory:"));

    // 1. The system actor creates the org and its first admin.
    const NewOrg created = engine.create_org(Actor::system(),
                                             Patch<Org>()
                                                 .set(&Org::name, "Sunshine Property (阳光物业)")
                                                 .set(&Org::time_zone, "Asia/Shanghai"),
                                             Patch<Staff>()
                                                 .set(&Staff::name, "Wang Li (王丽)")
                                                 .set(&Staff::phone, "13800000001"));
    const Actor admin = Actor::staff(created.admin);

    // 2. The admin sets up what the story needs. An order type is handled by the staff of one
    //    department and position; its subtype asks for a 30.00 deposit on a 50.00 service
    //    spec, and allows labor lines (consumables_enabled). A Patch<T> names only the fields
    //    it sets; create<T> is deduced from it.
    const auto maintenance = engine.create(admin, Patch<Department>().set(&Department::name, "Maintenance (维修部)"));
    const auto plumber = engine.create(admin, Patch<Position>().set(&Position::name, "Plumber (水工)"));
    const auto household = engine.create(admin, Patch<OrderType>()
                                                    .set(&OrderType::name, "Household repair (室内报修)")
                                                    .set(&OrderType::department_id, maintenance)
                                                    .set(&OrderType::position_id, plumber));
    const auto leaking_pipe = engine.create(admin, Patch<Subtype>()
                                                       .set(&Subtype::order_type_id, household)
                                                       .set(&Subtype::name, "Leaking pipe (水管漏水)")
                                                       .set(&Subtype::charge_mode, ChargeMode::prepay_deposit)
                                                       .set(&Subtype::deposit_fixed, Money{3000})
                                                       .set(&Subtype::consumables_enabled, true));
    const auto fix_a_leak = engine.create(admin, Patch<ServiceSpec>()
                                                     .set(&ServiceSpec::subtype_id, leaking_pipe)
                                                     .set(&ServiceSpec::name, "Fix a leak")
                                                     .set(&ServiceSpec::price, Money{5000}));

    // The technician belongs to the order type's department and position: that makes them
    // eligible, and the department's labor rate (80.00 an hour) prices their work.
    const auto tech_id = engine.create(admin, Patch<Staff>()
                                                  .set(&Staff::name, "Li Qiang (李强)")
                                                  .set(&Staff::phone, "13900000002")
                                                  .set(&Staff::department_id, maintenance)
                                                  .set(&Staff::position_id, plumber)
                                                  .set(&Staff::roles, role_technician));
    const auto labor = engine.create(admin, Patch<LaborItem>().set(&LaborItem::name, "Plumbing labor"));
    engine.create(admin, Patch<LaborRate>()
                             .set(&LaborRate::labor_item_id, labor)
                             .set(&LaborRate::department_id, maintenance)
                             .set(&LaborRate::rate, Money{8000}));

    // Payment channels start disabled.
    engine.set_channel_enabled(admin, Channel::wechat, true);

    // The tenant and the contact who reports and pays.
    const auto tenant = engine.create(admin, Patch<Tenant>()
                                                 .set(&Tenant::name, "Zhang Wei (张伟)")
                                                 .set(&Tenant::tenant_kind, TenantKind::person));
    const auto contact_id = engine.create(admin, Patch<Contact>()
                                                     .set(&Contact::tenant_id, tenant)
                                                     .set(&Contact::name, "Zhang Wei (张伟)")
                                                     .set(&Contact::phone, "13700000001"));
    const Actor tech = Actor::staff(tech_id);
    const Actor contact = Actor::contact(contact_id);

    auto step = [&](const Actor& who, OrderId order, const char* what) {
      std::cout << what << ": " << name_of(engine.get_order(who, order).status) << '\n';
    };

    // 3. The contact submits the order: a deposit is due, so it awaits the prepayment.
    OrderDraft draft;
    draft.subtype_id = leaking_pipe;
    draft.spec_id = fix_a_leak;
    draft.description = "The pipe under the kitchen sink is leaking (厨房水槽下水管漏水)";
    draft.address = "Building 3, Room 1502 (3栋1502)";
    draft.source_channel = SourceChannel::mini_program;
    const OrderId order = engine.submit(contact, draft);
    step(contact, order, "submitted");

    // 4. The contact pays exactly the deposit due. The library only records payments: the host
    //    talks to the provider, whose transaction id makes a repeated report harmless.
    engine.pay_prepayment(contact, order,
                          {.channel = Channel::wechat,
                           .amount = engine.get_order(contact, order).prepay_due,
                           .provider_txn_id = "wx-0001"});
    step(contact, order, "deposit paid");

    // 5. The admin (also a dispatcher) assigns the technician, who accepts.
    engine.assign(admin, order, tech_id);
    step(admin, order, "assigned");
    engine.accept(tech, order);
    step(tech, order, "accepted");

    // 6. 1.5 hours of labor: quantities are thousandths.
    engine.add_line(tech, order, {.line_kind = LineKind::labor, .item_id = labor.value, .qty = Qty{1500}});
    step(tech, order, "labor added");

    // 7. Finishing fixes the bill; the tenant still owes the balance.
    engine.finish(tech, order);
    step(tech, order, "finished");

    // 8. The contact pays the balance, then rates the work.
    engine.pay(contact, order,
               {.channel = Channel::wechat,
                .amount = engine.get_bill(contact, order).balance,
                .provider_txn_id = "wx-0002"});
    step(contact, order, "balance paid");
    engine.rate(contact, order, 5, "很快");
    step(contact, order, "rated");

    // 9. The bill as the tenant sees it, read in one transaction: the spec's price, the
    //    charge lines, what was paid.
    const OrderDetail detail = engine.order_detail(contact, order);
    std::cout << "bill:\n";
    bill_row("spec", engine.get<ServiceSpec>(contact, *detail.order.spec_id).name, "", detail.order.spec_price);
    for (const ChargeLine& line : detail.lines)
      if (!line.removed) bill_row(name_of(line.line_kind), line.name, decimal(line.qty.milli, 1000, 3), line.amount);
    bill_row("total", "", "", detail.bill.total);
    bill_row("paid", "", "", detail.order.paid);
    bill_row("balance", "", "", detail.bill.balance);
    std::cout << "status: " << name_of(detail.order.status) << '\n';
  } catch (const Error& e) {
    // Every failed call throws wo::Error and changes nothing; the message names the field and value.
    std::cerr << "repair: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
