// The C++ facade. Every public member is one use case and one transaction: it resolves the
// actor, checks access and input, writes, and commits — or throws wo::Error and changes
// nothing. An Engine may be shared by threads (calls are serialised); several processes may
// open engines on the same database file.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "workorder/actor.hpp"
#include "workorder/catalog.hpp"
#include "workorder/fields.hpp"
#include "workorder/store.hpp"
#include "workorder/time.hpp"

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
  Store& store();

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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Stock movements have their own create: it moves the material's stock in the same transaction.
template <>
StockMovementId Engine::create<StockMovement>(const Actor& actor, const Patch<StockMovement>& fields);

}  // namespace wo
