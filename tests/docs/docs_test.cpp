// SPDX-License-Identifier: MIT
// The reference docs are generated from the code they describe: the life-cycle table and
// the record field lists. This test fails when docs/ drifts; WO_UPDATE_DOCS=1 rewrites them.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "domain/lifecycle.hpp"
#include "workorder/catalog.hpp"
#include "workorder/order.hpp"
#include "workorder/schedule.hpp"
#include "workorder/views.hpp"

namespace {

std::string parties(unsigned who) {
  std::string out;
  const std::pair<unsigned, const char*> names[] = {
      {wo::party_reporter, "reporter"},       {wo::party_assignee, "assignee"},
      {wo::party_dispatcher, "dispatcher"},   {wo::party_admin, "admin"},
      {wo::party_eligible_technician, "eligible technician"}, {wo::party_system, "system"},
      {wo::party_any_staff, "staff"},         {wo::party_any_contact, "tenant contact"}};
  for (auto [bit, name] : names)
    if (who & bit) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

const char* guard(wo::Guard g) {
  switch (g) {
    case wo::Guard::none: return "";
    case wo::Guard::prepayment_due: return "a prepayment is due";
    case wo::Guard::no_prepayment_due: return "no prepayment is due";
    case wo::Guard::balance_due: return "the tenant still owes a balance";
    case wo::Guard::settled_tenant_reporter: return "nothing owed; a tenant contact reported";
    case wo::Guard::settled_staff_reporter: return "nothing owed; staff reported for the org";
    case wo::Guard::within_reopen_window: return "completed at most reopen_window_days ago";
  }
  return "?";
}

std::string lifecycle_markdown() {
  std::ostringstream md;
  md << "# The work-order life cycle\n\n"
        "Generated from `src/domain/lifecycle.cpp` by `tests/docs/docs_test.cpp` "
        "(run it with `WO_UPDATE_DOCS=1` to rewrite). This table is the only way an order's status\n"
        "changes; any other (status, action) pair fails with `WO_ESTATE` and changes nothing. A row\n"
        "that exists for the status but not for the actor's part fails with `WO_EFORBIDDEN`; an order\n"
        "the actor may not see at all is `WO_ENOTFOUND`. Rows of one action are tried in order.\n\n"
        "| action | from | to | who | guard |\n|---|---|---|---|---|\n";
  for (const auto& r : wo::lifecycle_table())
    md << "| " << wo::name_of(r.action) << " | " << (r.from ? wo::name_of(*r.from) : "—") << " | "
       << (r.to ? wo::name_of(*r.to) : "(unchanged)") << " | " << parties(r.who) << " | " << guard(r.guard) << " |\n";
  return md.str();
}

template <class X> const char* type_of() {
  if constexpr (std::is_same_v<X, std::string>) return "text";
  else if constexpr (std::is_same_v<X, wo::Money>) return "money (minor units)";
  else if constexpr (std::is_same_v<X, wo::Qty>) return "quantity (thousandths)";
  else if constexpr (std::is_same_v<X, wo::Timestamp>) return "time (Unix ms, UTC)";
  else if constexpr (std::is_same_v<X, bool>) return "0 / 1";
  else if constexpr (std::is_enum_v<X>) return "enum";
  else if constexpr (wo::is_id<X>::value) return "id";
  else return "integer";
}

template <class T>
void record_section(std::ostringstream& md, const char* title) {
  md << "\n## " << T::kind << " — " << title << "\n\n| field | type | |\n|---|---|---|\n";
  T probe{};
  reflect(probe, [&](std::string_view name, auto& field, unsigned flags) {
    using F = std::decay_t<decltype(field)>;
    std::string type;
    std::string notes;
    if constexpr (wo::is_optional<F>::value) {
      type = type_of<typename F::value_type>();
      notes = "may be null";
      if constexpr (std::is_enum_v<typename F::value_type>) {
        for (auto n : wo::EnumRange<typename F::value_type>::names) type += std::string(type == "enum" ? ": " : ", ") + n;
      }
    } else {
      type = type_of<F>();
      if constexpr (std::is_enum_v<F>) {
        bool first = true;
        for (auto n : wo::EnumRange<F>::names) {
          type += std::string(first ? ": " : ", ") + n;
          first = false;
        }
      }
    }
    auto add = [&](const char* s) { notes += (notes.empty() ? "" : "; ") + std::string(s); };
    if (flags & wo::required) add("required");
    if (flags & wo::fixed) add("fixed after create");
    if (flags & wo::internal) add("set by the engine");
    if (flags & wo::filter) add("list filter");
    md << "| " << name << " | " << type << " | " << notes << " |\n";
  });
}

std::string records_markdown() {
  std::ostringstream md;
  md << "# Records and inputs\n\n"
        "Generated from the field lists in `include/workorder/*.hpp` by `tests/docs/docs_test.cpp`.\n"
        "Through the C ABI every record is a `wo_record` read by these field names, and every input a\n"
        "`wo_input` set by them. A record has its fields in the order listed, so every record of one\n"
        "kind has the same fields at the same indexes (`wo_record_values`); the order record adds its\n"
        "bill (total, owed, balance, refund_due) after them. Enumerations are integers numbered in the\n"
        "order listed (0 first), as the `WO_*` constants of `workorder.h`. Text is UTF-8: names up to\n"
        "200 characters, descriptions, reasons and messages up to 2000.\n";
  record_section<wo::Org>(md, "an organisation (机构)");
  record_section<wo::Department>(md, "部门");
  record_section<wo::Position>(md, "岗位");
  record_section<wo::Staff>(md, "a staff member; roles are bits: admin 1, dispatcher 2, technician 4");
  record_section<wo::Tenant>(md, "a renter, person or company (租客)");
  record_section<wo::Contact>(md, "one of a tenant's people; phones are normalised");
  record_section<wo::OrderType>(md, "工单类型, bound to the department and position of its eligible staff");
  record_section<wo::Subtype>(md, "工单子类 and its charging rules");
  record_section<wo::ServiceSpec>(md, "服务规格: a priced option of a subtype");
  record_section<wo::ServiceItem>(md, "服务项: a priced extra of a subtype");
  record_section<wo::LaborItem>(md, "工时, priced per hour");
  record_section<wo::LaborRate>(md, "an hourly rate rule; the most specific wins");
  record_section<wo::Material>(md, "耗材物料");
  record_section<wo::StockMovement>(md, "a recorded stock change; qty is the stock delta except consume, which records use");
  record_section<wo::OrderSettings>(md, "工单设置, one per org (id = org id)");
  record_section<wo::PaymentChannel>(md, "支付设置, one per org and channel");
  record_section<wo::SlotSchedule>(md, "预约时段: a subtype's appointment schedule (id = subtype id)");
  record_section<wo::Slot>(md, "one slot as wo_slot_availability reports it");
  record_section<wo::OrderDraft>(md, "input of wo_order_submit; attachments: up to 9 texts via wo_input_add_text");
  record_section<wo::Order>(md, "a work order; wo_order_get adds its bill: total, owed, balance, refund_due");
  record_section<wo::LineDraft>(md, "input of wo_order_add_line");
  record_section<wo::ChargeLine>(md, "a charge line with its price frozen");
  record_section<wo::PaymentDraft>(md, "input of wo_order_pay_prepayment, wo_order_pay and wo_order_refund");
  record_section<wo::Payment>(md, "a recorded prepayment, payment or refund");
  record_section<wo::OrderEvent>(md, "one history event; concerns names whom to notify (docs/views.md)");
  record_section<wo::OrderQuery>(md, "filters of order lists, records and the CSV export; status_mask has bit 1 << status per wanted status");
  record_section<wo::OrderRecord>(md, "one row of the order records (订单记录), as exported to CSV (docs/export.md)");
  return md.str();
}

void check_doc(const std::string& relative, const std::string& expected) {
  const std::string path = std::string(WO_SOURCE_DIR) + "/" + relative;
  if (std::getenv("WO_UPDATE_DOCS")) std::ofstream(path) << expected;
  std::ifstream in(path);
  std::stringstream actual;
  actual << in.rdbuf();
  INFO("regenerate with WO_UPDATE_DOCS=1 ctest -R docs_test: ", relative);
  CHECK(actual.str() == expected);
}

}  // namespace

TEST_CASE("docs/lifecycle.md renders the life-cycle table") { check_doc("docs/lifecycle.md", lifecycle_markdown()); }

TEST_CASE("docs/records.md lists every record's fields") { check_doc("docs/records.md", records_markdown()); }
