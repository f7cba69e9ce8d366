// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Records copied whole (wo_record_values), their shared field names, and typed enum reads. */
class RecordsTest extends FixtureTest {
  /** The C record of staff {@code id}; the caller frees it. */
  private Pointer staffRecord(long id) {
    PointerByReference out = new PointerByReference();
    assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_staff_get(out, db.pointer(), f.admin.pointer(), id));
    return out.getValue();
  }

  /** The old way, one lookup per field by name: what a copied Record must equal. */
  static LinkedHashMap<String, Object> byName(Pointer rec) {
    LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
    IntByReference type = new IntByReference();
    LongByReference number = new LongByReference();
    PointerByReference text = new PointerByReference();
    for (int i = 0; i < WorkOrderNative.wo_record_field_count(rec); i++) {
      String name = WorkOrderNative.wo_record_field_name(rec, i);
      assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_record_field_type(type, rec, name));
      if (type.getValue() == WorkOrderNative.WO_TYPE_INT) {
        assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_record_get_int(number, rec, name));
        fields.put(name, number.getValue());
      } else if (type.getValue() == WorkOrderNative.WO_TYPE_TEXT) {
        assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_record_get_text(text, rec, name));
        fields.put(name, text.getValue().getString(0, WorkOrderNative.ENCODING));
      } else {
        fields.put(name, null);
      }
    }
    return fields;
  }

  @Test
  void aRecordCopiedInOnePassHoldsWhatTheGettersRead() {
    long dep = f.department("工程部 Engineering");
    long tech = f.create("staff", map("name", "李师傅", "phone", "13900000001", "department_id", dep,
        "roles", EnumSet.of(Role.TECHNICIAN, Role.DISPATCHER)));
    Pointer rec = staffRecord(tech);
    try {
      Record r = Record.copy(rec);
      assertEquals("staff", r.kind());
      assertEquals(byName(rec), r.fields());
      assertEquals("李师傅", r.getString("name"));
      assertEquals(dep, r.getLong("department_id"));
      assertTrue(r.isNull("position_id"));
    } finally {
      WorkOrderNative.wo_record_free(rec);
    }
  }

  @Test
  void recordsOfAKindShareTheirFieldNames() {
    f.department("甲");
    f.department("乙");
    List<Record> deps = f.list("department");
    assertSame(deps.get(0).fieldNames(), deps.get(1).fieldNames(), "one name lookup per kind");
    assertSame(deps.get(0).fieldNames(), f.get("department", deps.get(0).id()).fieldNames());
    assertEquals(List.of("id", "org_id", "name", "active"), List.copyOf(deps.get(0).fieldNames()));
  }

  @Test
  void recordsAreReadOnAnyThreadAtOnce() throws Exception {
    for (int i = 0; i < 20; i++) f.department("部门" + i);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    List<Record> expected = f.list("department");
    for (int t = 0; t < 4; t++) {
      threads.add(new Thread(() -> {
        try (Actor admin = Actor.staff(f.adminId)) {
          for (int round = 0; round < 20; round++) assertEquals(expected, db.list("department", admin).toList());
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    for (Thread t : threads) t.start();
    for (Thread t : threads) t.join();
    assertEquals(List.of(), failures);
  }

  @Test
  void aNullFieldReadsAsNullAndTheRawGettersSayWoENull() {
    Record staff = f.get("staff", f.adminId);
    assertTrue(staff.isNull("department_id"));
    assertThrows(NoSuchElementException.class, () -> staff.getLong("department_id"));
    int index = List.copyOf(staff.fieldNames()).indexOf("department_id");
    Pointer rec = staffRecord(f.adminId);
    try {
      LongByReference number = new LongByReference();
      assertEquals(WorkOrderNative.WO_ENULL, WorkOrderNative.wo_record_get_int(number, rec, "department_id"));
      assertEquals(WorkOrderNative.WO_ENULL, WorkOrderNative.wo_record_get_int_at(number, rec, index));
      assertEquals(WorkOrderNative.WO_ENULL,
          WorkOrderNative.wo_record_get_text_at(new PointerByReference(), rec, List.copyOf(staff.fieldNames()).indexOf("position_id")));
      IntByReference type = new IntByReference();
      assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_record_field_type_at(type, rec, index));
      assertEquals(WorkOrderNative.WO_TYPE_NULL, type.getValue());
      assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_record_get_int_at(number, rec, 0));
      assertEquals(f.adminId, number.getValue());
      // More entries than the record has: refused, nothing written.
      int count = WorkOrderNative.wo_record_field_count(rec);
      assertEquals(WorkOrderNative.WO_EINVALID, WorkOrderNative.wo_record_values(new int[count + 1],
          new long[count + 1], new Memory(8L * (count + 1)), rec, count + 1));
    } finally {
      WorkOrderNative.wo_record_free(rec);
    }
    assertSame(NullFieldException.class, WorkOrderException.of(WorkOrderNative.WO_ENULL, "x").getClass());
  }

  @Test
  void enumFieldsReadAsJavaEnums() {
    long tenant = f.create("tenant", map("name", "四海贸易", "tenant_kind", TenantKind.COMPANY));
    Record r = f.get("tenant", tenant);
    assertSame(TenantKind.COMPANY, r.getEnum("tenant_kind", TenantKind.class));
    assertEquals(TenantKind.COMPANY.code(), r.getLong("tenant_kind"));
    // A value the enum does not have, a text field, a null field.
    Record org = db.orgGet(f.admin, f.orgId);
    long createdAt = org.getLong("created_at");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> org.getEnum("created_at", Payer.class));
    assertTrue(e.getMessage().contains("Payer") && e.getMessage().contains(Long.toString(createdAt)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.getEnum("name", TenantKind.class));
    Record staff = f.get("staff", f.adminId);
    assertThrows(NoSuchElementException.class, () -> staff.getEnum("department_id", TenantKind.class));
    assertEquals(EnumSet.of(Role.ADMIN), staff.getRoles("roles"));
  }
}
