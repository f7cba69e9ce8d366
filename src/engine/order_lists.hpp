// SPDX-License-Identifier: MIT
// The order listing every view, record page and export shares: the actor's sight and the
// query become a union of index-friendly filters whose pages are merged by (created_at, id).
#pragma once
#include <optional>
#include <span>
#include <vector>

#include "domain/who.hpp"
#include "workorder/store.hpp"
#include "workorder/views.hpp"

namespace wo {

// Checks the query (ids of the actor's org, range, text, status mask, due_before) and turns the
// view, the actor's sight and the service-level filters (breached as of `now`) into filters;
// forbidden when the actor cannot use the view.
std::vector<OrderFilter> view_filters(Transaction& tx, const Who& who, OrderView view, const OrderQuery& query,
                                      Timestamp now);

// The next orders of the union of `filters` strictly beyond `after`, at most `limit`.
std::vector<Order> merged_page(Transaction& tx, std::span<const OrderFilter> filters, const std::optional<OrderKey>& after,
                               bool newest_first, int limit);

OrderKey key_of(const Order& o);

// Checks a page size: 1..max_page_size.
void check_limit(int limit);

}  // namespace wo
