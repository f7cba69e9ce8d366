// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The generic catalog calls ({@code db.create("department", …)}) resolved to the natives: one
 * row of method references per record kind. Every kind of the settings catalog has the same
 * five C calls; stock movements have create, get and list only (a movement is never edited).
 */
final class Catalog {
  private Catalog() {}

  @FunctionalInterface
  interface Create {
    int call(LongByReference idOut, Pointer db, Pointer actor, Pointer fields);
  }

  @FunctionalInterface
  interface Update {
    int call(Pointer db, Pointer actor, long id, Pointer fields);
  }

  @FunctionalInterface
  interface SetActive {
    int call(Pointer db, Pointer actor, long id, int active);
  }

  @FunctionalInterface
  interface Get {
    int call(PointerByReference out, Pointer db, Pointer actor, long id);
  }

  @FunctionalInterface
  interface ListAll {
    int call(PointerByReference out, Pointer db, Pointer actor, Pointer filter);
  }

  /** The natives of one record kind; update and setActive are null where the kind has none. */
  static final class Ops {
    final Create create;
    final Update update;
    final SetActive setActive;
    final Get get;
    final ListAll list;

    Ops(Create create, Update update, SetActive setActive, Get get, ListAll list) {
      this.create = create;
      this.update = update;
      this.setActive = setActive;
      this.get = get;
      this.list = list;
    }
  }

  private static final Map<String, Ops> OPS;

  static {
    Map<String, Ops> m = new LinkedHashMap<>();
    m.put("department", new Ops(WorkOrderNative::wo_department_create, WorkOrderNative::wo_department_update,
        WorkOrderNative::wo_department_set_active, WorkOrderNative::wo_department_get, WorkOrderNative::wo_department_list));
    m.put("position", new Ops(WorkOrderNative::wo_position_create, WorkOrderNative::wo_position_update,
        WorkOrderNative::wo_position_set_active, WorkOrderNative::wo_position_get, WorkOrderNative::wo_position_list));
    m.put("staff", new Ops(WorkOrderNative::wo_staff_create, WorkOrderNative::wo_staff_update,
        WorkOrderNative::wo_staff_set_active, WorkOrderNative::wo_staff_get, WorkOrderNative::wo_staff_list));
    m.put("tenant", new Ops(WorkOrderNative::wo_tenant_create, WorkOrderNative::wo_tenant_update,
        WorkOrderNative::wo_tenant_set_active, WorkOrderNative::wo_tenant_get, WorkOrderNative::wo_tenant_list));
    m.put("contact", new Ops(WorkOrderNative::wo_contact_create, WorkOrderNative::wo_contact_update,
        WorkOrderNative::wo_contact_set_active, WorkOrderNative::wo_contact_get, WorkOrderNative::wo_contact_list));
    m.put("order_type", new Ops(WorkOrderNative::wo_order_type_create, WorkOrderNative::wo_order_type_update,
        WorkOrderNative::wo_order_type_set_active, WorkOrderNative::wo_order_type_get, WorkOrderNative::wo_order_type_list));
    m.put("subtype", new Ops(WorkOrderNative::wo_subtype_create, WorkOrderNative::wo_subtype_update,
        WorkOrderNative::wo_subtype_set_active, WorkOrderNative::wo_subtype_get, WorkOrderNative::wo_subtype_list));
    m.put("service_spec", new Ops(WorkOrderNative::wo_service_spec_create, WorkOrderNative::wo_service_spec_update,
        WorkOrderNative::wo_service_spec_set_active, WorkOrderNative::wo_service_spec_get, WorkOrderNative::wo_service_spec_list));
    m.put("service_item", new Ops(WorkOrderNative::wo_service_item_create, WorkOrderNative::wo_service_item_update,
        WorkOrderNative::wo_service_item_set_active, WorkOrderNative::wo_service_item_get, WorkOrderNative::wo_service_item_list));
    m.put("labor_item", new Ops(WorkOrderNative::wo_labor_item_create, WorkOrderNative::wo_labor_item_update,
        WorkOrderNative::wo_labor_item_set_active, WorkOrderNative::wo_labor_item_get, WorkOrderNative::wo_labor_item_list));
    m.put("labor_rate", new Ops(WorkOrderNative::wo_labor_rate_create, WorkOrderNative::wo_labor_rate_update,
        WorkOrderNative::wo_labor_rate_set_active, WorkOrderNative::wo_labor_rate_get, WorkOrderNative::wo_labor_rate_list));
    m.put("material", new Ops(WorkOrderNative::wo_material_create, WorkOrderNative::wo_material_update,
        WorkOrderNative::wo_material_set_active, WorkOrderNative::wo_material_get, WorkOrderNative::wo_material_list));
    m.put("stock_movement", new Ops(WorkOrderNative::wo_stock_movement_create, null, null,
        WorkOrderNative::wo_stock_movement_get, WorkOrderNative::wo_stock_movement_list));
    OPS = Collections.unmodifiableMap(m);
  }

  /** Every kind the generic calls accept, in header order. */
  static Set<String> kinds() {
    return OPS.keySet();
  }

  static Ops of(String kind) {
    Ops ops = kind == null ? null : OPS.get(kind);
    if (ops == null) throw new IllegalArgumentException("unknown record kind " + kind + "; known: " + OPS.keySet());
    return ops;
  }
}
