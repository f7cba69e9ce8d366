// SPDX-License-Identifier: MIT
// The C++ facade. Every public member is one use case and one transaction: it resolves the
// actor, checks access and input, writes, and commits — or throws wo::Error and changes
// nothing. An Engine may be shared by threads (calls are serialised); several processes may
// open engines on the same database file.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"
#include "workorder/fields.hpp"
#include "workorder/order.hpp"
#include "workorder/schedule.hpp"
#include "workorder/store.hpp"
#include "workorder/time.hpp"
#include "workorder/views.hpp"

namespace wo {

// Equality filters for lists: (field name, value); field names must be filterable fields.
using Filter = std::vector<std::pair<std::string, Value>>;

// The largest page a list returns.
constexpr int max_page_size = 200;

struct NewOrg {
  OrgId org;
  StaffId admin;
};

class Engine {
 public:
  explicit Engine(std::unique_ptr<Store> store, Clock clock = system_clock());
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void set_clock(Clock clock);
  Timestamp now() const;
  // The schema version of the open database (see latest_schema_version).
  int schema_version();

  // --- organisations (system actor creates; staff of the org read; admins update) ---
  // Creates the org, its default work-order settings and channels, and its first admin
  // (who gets the admin role in addition to any roles given).
  NewOrg create_org(const Actor& actor, const Patch<Org>& org, const Patch<Staff>& first_admin);
  void update_org(const Actor& actor, OrgId id, const Patch<Org>& patch);
  Org get_org(const Actor& actor, OrgId id);
  std::vector<Org> list_orgs(const Actor& actor, OrgId after, int limit);

  // --- catalog records ---
  // T is one of Department, Position, Staff, Tenant, Contact, OrderType, Subtype, ServiceSpec,
  // ServiceItem, LaborItem, LaborRate, Material, StockMovement (create/get/list only).
  template <class T> decltype(T::id) create(const Actor& actor, const Patch<T>& fields);
  template <class T> void update(const Actor& actor, decltype(T::id) id, const Patch<T>& fields);
  template <class T> void set_active(const Actor& actor, decltype(T::id) id, bool active);
  template <class T> T get(const Actor& actor, decltype(T::id) id);
  // One page, ascending by id, of rows with id > after.value; limit in 1..max_page_size.
  template <class T>
  std::vector<T> list(const Actor& actor, const Filter& filter, decltype(T::id) after, int limit);

  // The hourly rate of a labor item for a staff member: department+position rule, then
  // department rule, then the item's default rate; none → Error{not_found}.
  Money resolve_labor_rate(const Actor& actor, LaborItemId item, StaffId staff);

  // --- work-order settings and payment channels ---
  OrderSettings get_settings(const Actor& actor);
  void update_settings(const Actor& actor, const Patch<OrderSettings>& patch);
  void set_channel_enabled(const Actor& actor, Channel channel, bool enabled);
  std::vector<PaymentChannel> list_channels(const Actor& actor);

  // --- work orders: the life cycle (docs/rules.md §3, §4, §6). Each call is one transition of the
  // table in src/domain/lifecycle.cpp and writes one history event. ---
  // Returns the new order, or the first order submitted with the same client_token.
  OrderId submit(const Actor& actor, const OrderDraft& draft);
  void pay_prepayment(const Actor& actor, OrderId order, const PaymentDraft& payment);
  void assign(const Actor& actor, OrderId order, StaffId staff, bool force = false);
  void grab(const Actor& actor, OrderId order);
  void accept(const Actor& actor, OrderId order);
  void reject(const Actor& actor, OrderId order, const std::string& reason);
  void transfer(const Actor& actor, OrderId order, StaffId staff, const std::string& reason, bool force = false);
  std::int64_t add_line(const Actor& actor, OrderId order, const LineDraft& line);
  void remove_line(const Actor& actor, OrderId order, std::int64_t line_id);
  void finish(const Actor& actor, OrderId order);
  void pay(const Actor& actor, OrderId order, const PaymentDraft& payment);
  void refund(const Actor& actor, OrderId order, const PaymentDraft& refund);
  void rate(const Actor& actor, OrderId order, int score, const std::optional<std::string>& comment);
  void reopen(const Actor& actor, OrderId order, const std::string& reason);
  void cancel(const Actor& actor, OrderId order, const std::string& reason);
  void message(const Actor& actor, OrderId order, const std::string& text);
  // Whom the order type's dispatch strategy would assign the pending_dispatch order to now,
  // without changing anything; nullopt when the type is dispatched by hand or no one
  // qualifies. Dispatchers and admins (rules §4).
  std::optional<StaffId> preview_dispatch(const Actor& actor, OrderId order);
  // Runs the three timers (prepayment, accept, rating) of every org as of `now`, then sends
  // the service-level alerts due (rules §11); returns how many orders changed or were alerted,
  // each counted once. System actor only.
  int tick(const Actor& actor, Timestamp now);

  // --- appointment slots (rules §5) ---
  // Creates or replaces a subtype's schedule (admin). On replace, unspecified fields keep
  // their values; existing bookings are never cancelled.
  void set_schedule(const Actor& actor, SubtypeId subtype, const Patch<SlotSchedule>& fields);
  std::optional<SlotSchedule> get_schedule(const Actor& actor, SubtypeId subtype);
  // Removes a subtype's schedule; its bookings stay with their orders.
  void clear_schedule(const Actor& actor, SubtypeId subtype);
  // Every slot whose local start date is in [first, last] (at most 62 days), in order.
  std::vector<Slot> availability(const Actor& actor, SubtypeId subtype, std::chrono::year_month_day first,
                                 std::chrono::year_month_day last);
  // Moves an order's booking to another slot before work starts, atomically.
  void reschedule(const Actor& actor, OrderId order, Timestamp slot_start);

  // --- reading an order (same visibility as acting on it) ---
  Order get_order(const Actor& actor, OrderId order);
  Bill get_bill(const Actor& actor, OrderId order);
  std::vector<std::string> attachments(const Actor& actor, OrderId order);
  std::vector<ChargeLine> lines(const Actor& actor, OrderId order);
  std::vector<Payment> payments(const Actor& actor, OrderId order);
  // History events of the order with id > after, oldest first, at most limit (1..200).
  std::vector<OrderEvent> timeline(const Actor& actor, OrderId order, std::int64_t after, int limit);

  // --- views, dashboard, records and the event feed (rules §8), scoped by rules §7 ---
  // One page of a view, newest first (created_at, then id), narrowed by the query; limit in
  // 1..max_page_size. `cursor` is "" for the first page, else a next_cursor of the same
  // direction; a malformed or tampered one is invalid_argument. Views an actor cannot use
  // (a contact's pool, the system actor's anything) are forbidden.
  Page<Order> list_orders(const Actor& actor, OrderView view, const OrderQuery& query, const std::string& cursor,
                          int limit);
  // The order with its bill, lines, payments, messages and history, in one transaction.
  OrderDetail order_detail(const Actor& actor, OrderId order);
  // The dashboard of orders created in [from, to) (admins and dispatchers).
  Dashboard dashboard(const Actor& actor, Timestamp from, Timestamp to);
  // Order records of the query as the actor sees them, oldest first; cursors as list_orders.
  Page<OrderRecord> order_records(const Actor& actor, const OrderQuery& query, const std::string& cursor, int limit);
  // Writes the query's order records as RFC 4180 CSV (UTF-8, header line, CRLF, org-local
  // ISO 8601 times, amounts in major units) to `sink` in chunks, oldest first, from one read
  // transaction; memory stays bounded whatever the range. An exception thrown by `sink`
  // stops the export and propagates.
  void export_csv(const Actor& actor, const OrderQuery& query, const std::function<void(std::string_view)>& sink);
  // History events with id > after, ascending, at most limit (1..max_page_size): every event
  // of the org for admins and dispatchers, of every org for the system actor, and the
  // events that concern them for technicians and contacts.
  std::vector<OrderEvent> events_after(const Actor& actor, std::int64_t after, int limit);

  struct Impl;  // opaque: defined in the library's sources

 private:
  std::unique_ptr<Impl> impl_;
};

// Stock movements have their own create: it moves the material's stock in the same transaction.
template <>
StockMovementId Engine::create<StockMovement>(const Actor& actor, const Patch<StockMovement>& fields);

}  // namespace wo
