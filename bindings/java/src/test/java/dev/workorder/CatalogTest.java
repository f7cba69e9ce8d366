// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Create, get, list, update and (de)activate for every kind of the settings catalog. */
class CatalogTest extends FixtureTest {
  static final List<String> CATALOG_KINDS = List.of("department", "position", "staff", "tenant", "contact",
      "order_type", "subtype", "service_spec", "service_item", "labor_item", "labor_rate", "material");

  /** Fields to create a record of {@code kind} with (prerequisites made on the way) and to update it with. */
  private List<Map<String, Object>> sample(String kind) {
    switch (kind) {
      case "department": return List.of(map("name", "工程部"), map("name", "工程维修部"));
      case "position": return List.of(map("name", "水电工"), map("name", "高级水电工"));
      case "staff":
        return List.of(map("name", "张三", "phone", "13900000001", "department_id", f.department("客服部"),
                "position_id", f.position("客服"), "roles", Role.TECHNICIAN),
            map("name", "张三丰", "roles", EnumSet.of(Role.TECHNICIAN, Role.DISPATCHER), "position_id", null));
      case "tenant":
        return List.of(map("name", "李四", "tenant_kind", TenantKind.PERSON),
            map("name", "四海贸易有限公司", "tenant_kind", TenantKind.COMPANY));
      case "contact": {
        long tenant = f.create("tenant", map("name", "租户甲"));
        return List.of(map("tenant_id", tenant, "name", "王五", "phone", "13700000000"), map("name", "王五五", "phone", "13700000009"));
      }
      case "order_type":
        return List.of(map("name", "水电维修", "department_id", f.department("工程部"), "position_id", f.position("电工")),
            map("name", "水电"));
      case "subtype":
        return List.of(map("order_type_id", f.orderType("家电"), "name", "换灯泡", "charge_mode", ChargeMode.FREE),
            map("name", "换灯管", "consumables_enabled", 1, "charge_mode", ChargeMode.PREPAY_DEPOSIT, "deposit_bps", 3000));
      case "service_spec": {
        long subtype = f.subtype("疏通", ChargeMode.AFTER_COMPLETION);
        return List.of(map("subtype_id", subtype, "name", "标准疏通", "price", 5000), map("price", 6000));
      }
      case "service_item": {
        long subtype = f.subtype("清洗", ChargeMode.AFTER_COMPLETION);
        return List.of(map("subtype_id", subtype, "name", "上门费", "price", 2000), map("name", "上门服务费", "price", 2500));
      }
      case "labor_item": return List.of(map("name", "电工工时", "default_rate", 8000), map("default_rate", null));
      case "labor_rate": {
        long item = f.create("labor_item", map("name", "木工工时"));
        return List.of(map("labor_item_id", item, "department_id", f.department("木工部"), "rate", 10000), map("rate", 12000));
      }
      case "material":
        return List.of(map("sku", "LED-9W", "name", "LED灯泡", "unit", "个", "unit_price", 1500),
            map("name", "LED灯泡 9W", "unit_price", 1600));
      default: throw new AssertionError(kind);
    }
  }

  private static void assertFields(Map<String, Object> expected, Record r) {
    for (Map.Entry<String, Object> e : expected.entrySet()) {
      Object want = e.getValue();
      if (want instanceof Integer) want = Long.valueOf((Integer) want);
      if (want instanceof CodedEnum) want = (long) ((CodedEnum) want).code(); // Inputs store the code
      if (want instanceof Set) want = (long) Role.mask(((Set<?>) want).stream().map(Role.class::cast).toList());
      assertEquals(want, r.get(e.getKey()), r.kind() + "." + e.getKey());
    }
  }

  @Test
  void theGenericCallsKnowEveryKind() {
    List<String> expected = new ArrayList<>(CATALOG_KINDS);
    expected.add("stock_movement");
    assertEquals(expected, List.copyOf(Database.kinds()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.get("building", 1));
    assertTrue(e.getMessage().contains("building"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"department", "position", "staff", "tenant", "contact", "order_type", "subtype",
      "service_spec", "service_item", "labor_item", "labor_rate", "material"})
  void createGetListUpdateSetActive(String kind) {
    List<Map<String, Object>> s = sample(kind);
    Map<String, Object> create = s.get(0);
    Map<String, Object> update = s.get(1);
    int before = f.list(kind).size();

    long id = f.create(kind, create);
    assertTrue(id > 0);
    Record r = f.get(kind, id);
    assertEquals(kind, r.kind());
    assertEquals(id, r.id());
    assertEquals(List.of("id", "org_id"), List.copyOf(r.fieldNames()).subList(0, 2));
    assertEquals(f.orgId, r.getLong("org_id"));
    assertEquals(1, r.getLong("active"));
    assertFields(create, r);

    List<Record> listed = f.list(kind);
    assertEquals(before + 1, listed.size());
    assertEquals(r, listed.get(listed.size() - 1), "lists are in id order, the new record last");

    f.update(kind, id, update);
    Record updated = f.get(kind, id);
    assertFields(update, updated);
    for (String field : r.fieldNames())
      if (!update.containsKey(field)) assertEquals(r.get(field), updated.get(field), "unchanged " + kind + "." + field);

    f.db.setActive(kind, f.admin, id, false);
    assertEquals(0, f.get(kind, id).getLong("active"));
    List<Record> inactive = f.list(kind, map("active", 0));
    assertEquals(List.of(id), inactive.stream().map(Record::id).collect(Collectors.toList()));
    assertFalse(f.list(kind, map("active", 1)).stream().anyMatch(x -> x.id() == id));

    f.db.setActive(kind, f.admin, id, true);
    assertEquals(1, f.get(kind, id).getLong("active"));
    assertTrue(f.list(kind, map("active", 0)).isEmpty());
  }

  @Test
  void listsFilterOnTheirFilterFields() {
    long t1 = f.create("tenant", map("name", "甲"));
    long t2 = f.create("tenant", map("name", "乙", "tenant_kind", TenantKind.COMPANY));
    long c1 = f.create("contact", map("tenant_id", t1, "name", "甲一", "phone", "13000000001"));
    long c2 = f.create("contact", map("tenant_id", t1, "name", "甲二", "phone", "13000000002"));
    long c3 = f.create("contact", map("tenant_id", t2, "name", "乙一", "phone", "13000000001"));
    assertEquals(List.of(c1, c2), ids(f.list("contact", map("tenant_id", t1))));
    assertEquals(List.of(c1, c3), ids(f.list("contact", map("phone", "13000000001"))));
    assertEquals(List.of(c3), ids(f.list("contact", map("tenant_id", t2, "phone", "13000000001"))));
    assertEquals(List.of(t2), ids(f.list("tenant", map("tenant_kind", TenantKind.COMPANY))));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> f.list("contact", map("name", "甲一")));
    assertTrue(e.getMessage().contains("name is not a filter of contact"), e.getMessage());
  }

  @Test
  void cursorsPageThroughLongListsInIdOrder() {
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 450; i++) created.add(f.department("部门" + i));
    try (RecordCursor cursor = f.db.list("department", f.admin)) {
      List<Long> seen = new ArrayList<>();
      while (cursor.hasNext()) seen.add(cursor.next().id());
      assertEquals(created, seen);
      assertFalse(cursor.hasNext(), "an exhausted cursor stays exhausted");
      assertThrows(java.util.NoSuchElementException.class, cursor::next);
    }
    try (var stream = f.db.list("department", f.admin).stream()) {
      assertEquals(450, stream.map(Record::id).collect(Collectors.toCollection(LinkedHashSet::new)).size());
    }
  }

  @Test
  void staffPhonesAreNormalised() {
    long id = f.create("staff", map("name", "赵六", "phone", "139-0000 (0002)", "roles", Role.DISPATCHER));
    assertEquals("13900000002", f.get("staff", id).getString("phone"));
    assertEquals(List.of(id), ids(f.list("staff", map("phone", "13900000002"))));
  }

  @Test
  void nullClearsAnOptionalField() {
    long item = f.create("labor_item", map("name", "保洁工时", "default_rate", 3000));
    assertEquals(3000, f.get("labor_item", item).getLong("default_rate"));
    try (Input in = new Input().setNull("default_rate")) {
      f.db.update("labor_item", f.admin, item, in);
    }
    Record r = f.get("labor_item", item);
    assertTrue(r.isNull("default_rate"));
    assertThrows(java.util.NoSuchElementException.class, () -> r.getLong("default_rate"));
    LinkedHashMap<String, Object> fields = r.fields();
    assertTrue(fields.containsKey("default_rate") && fields.get("default_rate") == null);
    fields.put("name", "changed");
    assertEquals("保洁工时", r.getString("name"), "fields() is a copy");
  }

  @Test
  void stockMovesOnlyThroughRecordedMovements() {
    long material = f.create("material", map("sku", "PIPE-20", "name", "水管", "unit", "米", "unit_price", 800));
    assertEquals(0, f.get("material", material).getLong("stock"));
    long m1;
    try (Input in = Input.from(map("material_id", material, "movement_kind", MovementKind.REQUISITION,
        "qty", 12_500, "note", "月度领料"))) {
      m1 = f.db.stockMovementCreate(f.admin, in);
    }
    long m2;
    try (Input in = Input.from(map("material_id", material, "movement_kind", MovementKind.ADJUSTMENT, "qty", -2_500))) {
      m2 = f.db.stockMovementCreate(f.admin, in);
    }
    assertEquals(10_000, f.get("material", material).getLong("stock"));
    Record r = f.db.stockMovementGet(f.admin, m1);
    assertEquals("stock_movement", r.kind());
    assertEquals(material, r.getLong("material_id"));
    assertEquals(12_500, r.getLong("qty"));
    assertEquals("月度领料", r.getString("note"));
    assertEquals(f.adminId, r.getLong("staff_id"));
    assertTrue(r.isNull("order_id"));
    try (Input filter = new Input().set("movement_kind", MovementKind.ADJUSTMENT)) {
      assertEquals(List.of(m2), ids(f.db.stockMovementList(f.admin, filter).toList()));
    }
    assertEquals(List.of(m1, m2), ids(f.db.stockMovementList(f.admin, null).toList()));
    assertThrows(IllegalArgumentException.class, () -> f.db.setActive("stock_movement", f.admin, m1, false));
    try (Input in = new Input().set("qty", 1)) {
      assertThrows(IllegalArgumentException.class, () -> f.db.update("stock_movement", f.admin, m1, in));
    }
  }

  @Test
  void laborRatesResolveFromTheMostSpecificRule() {
    long dep = f.department("维修部");
    long pos = f.position("电工");
    long item = f.create("labor_item", map("name", "电工工时", "default_rate", 5000));
    long staff = f.create("staff", map("name", "钱七", "phone", "13600000000", "department_id", dep, "position_id", pos,
        "roles", Role.TECHNICIAN));
    assertEquals(5000, f.db.laborRateResolve(f.admin, item, staff), "the default rate");
    f.create("labor_rate", map("labor_item_id", item, "department_id", dep, "rate", 7000));
    assertEquals(7000, f.db.laborRateResolve(f.admin, item, staff), "the department's rule");
    long exact = f.create("labor_rate", map("labor_item_id", item, "department_id", dep, "position_id", pos, "rate", 9000));
    assertEquals(9000, f.db.laborRateResolve(f.admin, item, staff), "the department and position rule");
    f.db.setActive("labor_rate", f.admin, exact, false);
    assertEquals(7000, f.db.laborRateResolve(f.admin, item, staff), "an inactive rule does not apply");

    long bare = f.create("labor_item", map("name", "无价工时"));
    NotFoundException e = assertThrows(NotFoundException.class, () -> f.db.laborRateResolve(f.admin, bare, staff));
    assertTrue(e.getMessage().contains("no rate"), e.getMessage());
  }

  @Test
  void aContactSeesOnlyWhatTenantsMaySee() {
    long tenant = f.create("tenant", map("name", "租户乙"));
    long other = f.create("tenant", map("name", "租户丙"));
    long contact = f.create("contact", map("tenant_id", tenant, "name", "孙八", "phone", "13500000000"));
    f.create("contact", map("tenant_id", other, "name", "周九", "phone", "13500000001"));
    long ot = f.orderType("空调");
    long dep = f.department("财务部");
    try (Actor c = Actor.contact(contact)) {
      assertEquals("租户乙", f.db.get("tenant", c, tenant).getString("name"));
      assertEquals(List.of(tenant), ids(f.db.list("tenant", c).toList()));
      assertEquals(List.of(contact), ids(f.db.list("contact", c).toList()));
      assertEquals("空调", f.db.get("order_type", c, ot).getString("name"));
      assertThrows(NotFoundException.class, () -> f.db.get("tenant", c, other));
      assertThrows(NotFoundException.class, () -> f.db.get("department", c, dep));
      assertThrows(ForbiddenException.class, () -> f.db.list("department", c));
    }
  }

  private static List<Long> ids(List<Record> records) {
    return records.stream().map(Record::id).collect(Collectors.toList());
  }
}
