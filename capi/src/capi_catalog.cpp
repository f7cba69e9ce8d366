// SPDX-License-Identifier: MIT
// The C ABI of orgs and the settings catalog. Every record kind has the same five shims,
// stamped out by WO_CATALOG_SHIMS over the engine's generic calls.
#include "handles.hpp"

using namespace wo;
using namespace wo::capi;

namespace {

Filter to_filter(const wo_input* filter) {
  Filter f;
  if (filter)
    for (const auto& e : filter->fields) f.emplace_back(e.name, e.value);
  return f;
}

template <class T>
int create_shim(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields) {
  if (id_out) *id_out = 0;
  return guarded([&] {
    need(id_out, "id_out");
    need_db(db, actor);
    *id_out = db->engine->create<T>(actor->actor, to_patch<T>(fields)).value;
  });
}

template <class T>
int update_shim(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields) {
  return guarded([&] {
    need_db(db, actor);
    db->engine->update<T>(actor->actor, decltype(T::id){id}, to_patch<T>(fields));
  });
}

template <class T>
int set_active_shim(wo_db* db, const wo_actor* actor, int64_t id, int32_t active) {
  return guarded([&] {
    need_db(db, actor);
    if (active != 0 && active != 1) fail(Code::invalid_argument, "active must be 0 or 1, got {}", active);
    db->engine->set_active<T>(actor->actor, decltype(T::id){id}, active == 1);
  });
}

template <class T>
int get_shim(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    *out = to_record(db->engine->get<T>(actor->actor, decltype(T::id){id})).release();
  });
}

template <class T>
int list_shim(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    std::shared_ptr<Engine> engine = db->engine;
    const Actor who = actor->actor;
    const Filter f = to_filter(filter);
    // Check the actor and the filter now, so errors surface at the list call.
    engine->list<T>(who, f, decltype(T::id){0}, 1);
    *out = make_iter<T>([engine, who, f](std::int64_t after) {
      return engine->list<T>(who, f, decltype(T::id){after}, max_page_size);
    });
  });
}

}  // namespace

#define WO_CATALOG_SHIMS(name, T)                                                                  \
  int wo_##name##_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields) { \
    return create_shim<T>(id_out, db, actor, fields);                                              \
  }                                                                                                \
  int wo_##name##_update(wo_db* db, const wo_actor* actor, int64_t id, const wo_input* fields) {   \
    return update_shim<T>(db, actor, id, fields);                                                  \
  }                                                                                                \
  int wo_##name##_set_active(wo_db* db, const wo_actor* actor, int64_t id, int32_t active) {       \
    return set_active_shim<T>(db, actor, id, active);                                              \
  }                                                                                                \
  int wo_##name##_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id) {             \
    return get_shim<T>(out, db, actor, id);                                                        \
  }                                                                                                \
  int wo_##name##_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter) {  \
    return list_shim<T>(out, db, actor, filter);                                                   \
  }

extern "C" {

WO_CATALOG_SHIMS(department, Department)
WO_CATALOG_SHIMS(position, Position)
WO_CATALOG_SHIMS(staff, Staff)
WO_CATALOG_SHIMS(tenant, Tenant)
WO_CATALOG_SHIMS(contact, Contact)
WO_CATALOG_SHIMS(order_type, OrderType)
WO_CATALOG_SHIMS(subtype, Subtype)
WO_CATALOG_SHIMS(service_spec, ServiceSpec)
WO_CATALOG_SHIMS(service_item, ServiceItem)
WO_CATALOG_SHIMS(labor_item, LaborItem)
WO_CATALOG_SHIMS(labor_rate, LaborRate)
WO_CATALOG_SHIMS(material, Material)

int wo_stock_movement_create(int64_t* id_out, wo_db* db, const wo_actor* actor, const wo_input* fields) {
  return create_shim<StockMovement>(id_out, db, actor, fields);
}

int wo_stock_movement_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t id) {
  return get_shim<StockMovement>(out, db, actor, id);
}

int wo_stock_movement_list(wo_iter** out, wo_db* db, const wo_actor* actor, const wo_input* filter) {
  return list_shim<StockMovement>(out, db, actor, filter);
}

int wo_org_create(int64_t* org_out, int64_t* admin_out, wo_db* db, const wo_actor* actor, const wo_input* org,
                  const wo_input* admin) {
  if (org_out) *org_out = 0;
  if (admin_out) *admin_out = 0;
  return guarded([&] {
    need(org_out, "org_out");
    need(admin_out, "admin_out");
    need_db(db, actor);
    // The org's fields are checked first, whatever order a compiler evaluates arguments in.
    const Patch<Org> org_fields = to_patch<Org>(org, "org");
    const NewOrg created = db->engine->create_org(actor->actor, org_fields, to_patch<Staff>(admin, "admin"));
    *org_out = created.org.value;
    *admin_out = created.admin.value;
  });
}

int wo_org_update(wo_db* db, const wo_actor* actor, int64_t org_id, const wo_input* fields) {
  return guarded([&] {
    need_db(db, actor);
    db->engine->update_org(actor->actor, OrgId{org_id}, to_patch<Org>(fields));
  });
}

int wo_org_get(wo_record** out, wo_db* db, const wo_actor* actor, int64_t org_id) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    *out = to_record(db->engine->get_org(actor->actor, OrgId{org_id})).release();
  });
}

int wo_org_list(wo_iter** out, wo_db* db, const wo_actor* actor) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    std::shared_ptr<Engine> engine = db->engine;
    const Actor who = actor->actor;
    engine->list_orgs(who, OrgId{0}, 1);
    *out = make_iter<Org>([engine, who](std::int64_t after) { return engine->list_orgs(who, OrgId{after}, max_page_size); });
  });
}

int wo_labor_rate_resolve(int64_t* rate_out, wo_db* db, const wo_actor* actor, int64_t labor_item_id, int64_t staff_id) {
  if (rate_out) *rate_out = 0;
  return guarded([&] {
    need(rate_out, "rate_out");
    need_db(db, actor);
    *rate_out = db->engine->resolve_labor_rate(actor->actor, LaborItemId{labor_item_id}, StaffId{staff_id}).minor;
  });
}

int wo_settings_get(wo_record** out, wo_db* db, const wo_actor* actor) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    *out = to_record(db->engine->get_settings(actor->actor)).release();
  });
}

int wo_settings_update(wo_db* db, const wo_actor* actor, const wo_input* fields) {
  return guarded([&] {
    need_db(db, actor);
    db->engine->update_settings(actor->actor, to_patch<OrderSettings>(fields));
  });
}

int wo_channel_set_enabled(wo_db* db, const wo_actor* actor, wo_channel channel, int32_t enabled) {
  return guarded([&] {
    need_db(db, actor);
    if (enabled != 0 && enabled != 1) fail(Code::invalid_argument, "enabled must be 0 or 1, got {}", enabled);
    db->engine->set_channel_enabled(actor->actor, static_cast<Channel>(channel), enabled == 1);
  });
}

int wo_channel_list(wo_iter** out, wo_db* db, const wo_actor* actor) {
  if (out) *out = nullptr;
  return guarded([&] {
    need(out, "out");
    need_db(db, actor);
    auto channels = db->engine->list_channels(actor->actor);
    *out = make_iter<PaymentChannel>([channels](std::int64_t after) {
      std::vector<PaymentChannel> rest;
      for (const auto& c : channels)
        if (c.id.value > after) rest.push_back(c);
      return rest;
    });
  });
}

}  // extern "C"
