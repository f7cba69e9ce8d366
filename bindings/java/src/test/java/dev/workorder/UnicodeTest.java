// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Fixture.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Text crosses the C ABI as UTF-8 both ways. Surefire runs these tests in a JVM whose default
 * charset and jna.encoding are ISO-8859-1 (see pom.xml), so they pass only because the binding
 * encodes explicitly.
 */
class UnicodeTest extends FixtureTest {
  @Test
  void chineseTextRoundTrips() {
    assertEquals(Fixture.ORG_NAME, f.db.orgGet(f.admin, f.orgId).getString("name"));
    assertEquals("管理员", f.get("staff", f.adminId).getString("name"));
    String[] names = {"工程部", "客服中心（南区）", "水電維修", "Ремонт", "🔧 维修 🚿", "é·ü·ß", "한국어", "مرحبا"};
    for (String name : names) {
      long id = f.department(name);
      Record r = f.get("department", id);
      assertEquals(name, r.getString("name"));
      assertEquals(name, r.fields().get("name"));
    }
    assertEquals(List.of(names), f.list("department").stream().map(r -> r.getString("name")).collect(Collectors.toList()));
  }

  @Test
  void chineseTextFiltersAndUpdates() {
    long m = f.create("material", map("sku", "灯泡-九瓦", "name", "节能灯", "unit", "只", "unit_price", 1200));
    f.create("material", map("sku", "灯泡-五瓦", "name", "节能灯", "unit", "只", "unit_price", 900));
    List<Record> found = f.list("material", map("sku", "灯泡-九瓦"));
    assertEquals(1, found.size());
    assertEquals(m, found.get(0).id());
    f.update("material", m, map("name", "节能灯（暖光）", "unit", "盏"));
    assertEquals("节能灯（暖光）", f.get("material", m).getString("name"));
    assertEquals("盏", f.get("material", m).getString("unit"));
  }

  @Test
  void lengthIsCountedInCharactersNotBytes() {
    String longest = "修".repeat(200); // 600 bytes of UTF-8, 200 characters: allowed
    assertEquals(longest, f.get("department", f.department(longest)).getString("name"));
    String emoji = "🔧".repeat(200); // surrogate pairs in Java, 4 bytes each in UTF-8
    assertEquals(emoji, f.get("position", f.position(emoji)).getString("name"));
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> f.department("修".repeat(201)));
    assertTrue(e.getMessage().contains("201 characters"), e.getMessage());
  }

  @Test
  void errorMessagesCarryChineseValues() {
    f.department("财务部");
    ConflictException e = assertThrows(ConflictException.class, () -> f.department("财务部"));
    assertTrue(e.getMessage().contains("财务部"), e.getMessage());
    InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
        () -> f.create("contact", map("tenant_id", f.create("tenant", map("name", "甲")), "name", "乙", "phone", "一三九")));
    assertTrue(bad.getMessage().contains("'一三九'"), bad.getMessage());
  }

  @Test
  void textWithANulIsRefusedBeforeCSeesIt() {
    try (Input in = new Input()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.set("name", "工程\0部"));
      assertTrue(e.getMessage().contains("name"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> in.set("na\0me", 1));
    }
  }
}
