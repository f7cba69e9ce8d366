// SPDX-License-Identifier: MIT
// Typed ids: an OrderId cannot be passed where a StaffId is expected. Each tag names the
// table its rows live in, which is how references are checked generically.
#pragma once
#include <compare>
#include <cstdint>

namespace wo {

template <class Tag>
struct Id {
  using tag = Tag;
  std::int64_t value = 0;
  constexpr explicit operator bool() const { return value != 0; }
  constexpr auto operator<=>(const Id&) const = default;
};

#define WO_ID_TAG(Name, table_name)                          \
  struct Name##Tag {                                         \
    static constexpr const char* table = table_name;         \
  };                                                         \
  using Name##Id = Id<Name##Tag>

WO_ID_TAG(Org, "org");
WO_ID_TAG(Department, "department");
WO_ID_TAG(Position, "position");
WO_ID_TAG(Staff, "staff");
WO_ID_TAG(Tenant, "tenant");
WO_ID_TAG(Contact, "contact");
WO_ID_TAG(OrderType, "order_type");
WO_ID_TAG(Subtype, "subtype");
WO_ID_TAG(ServiceSpec, "service_spec");
WO_ID_TAG(ServiceItem, "service_item");
WO_ID_TAG(LaborItem, "labor_item");
WO_ID_TAG(LaborRate, "labor_rate");
WO_ID_TAG(Material, "material");
WO_ID_TAG(StockMovement, "stock_movement");
WO_ID_TAG(PaymentChannel, "payment_channel");
WO_ID_TAG(Order, "work_order");

#undef WO_ID_TAG

}  // namespace wo
