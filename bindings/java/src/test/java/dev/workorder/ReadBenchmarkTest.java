// SPDX-License-Identifier: MIT
package dev.workorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast "order" records come out of an order list: {@code N} orders on a SQLite file (opened
 * with synchronous=NORMAL), read through {@link Database#orderList} 200 per page. Prints
 * <pre>{"bench":"java_read_orders","orders":N,"fields":F,"seconds":S,"us_per_record":U}</pre>
 * (the median of 3 timed passes after a warm-up pass) and, for comparison, the same read with one
 * name lookup per field (the binding's way before wo_record_values) as "java_read_orders_by_name".
 * It runs only when asked, with no timing assertions:
 * <pre>mvn -f bindings/java/pom.xml test -Dtest=ReadBenchmarkTest -Dworkorder.bench=10000</pre>
 * The smoke test checks the same code on a few orders in every run.
 */
class ReadBenchmarkTest extends FixtureTest {
  static final int PAGE = 200;

  /** Submits {@code n} free orders as the admin (each one transaction; they wait in pending_dispatch). */
  private static void submit(Fixture f, int n) {
    long sub = f.subtype("楼道照明", ChargeMode.FREE);
    try (Input draft = new Input().set("subtype_id", sub).set("description", "楼道灯不亮 The corridor light is out")
        .set("address", "3栋 2单元").set("source_channel", SourceChannel.STAFF_PC)) {
      for (int i = 0; i < n; i++) f.db.orderSubmit(f.admin, draft);
    }
  }

  /** Reads the whole list once through the binding; returns how many records, checking the field count. */
  private static int readAll(Fixture f, int fields) {
    int n = 0;
    try (OrderCursor c = f.db.orderList(f.admin, OrderView.ALL, null, null, PAGE)) {
      while (c.hasNext()) {
        Record r = c.next();
        if (r.fieldNames().size() != fields) throw new AssertionError("fields " + r.fieldNames().size());
        n++;
      }
    }
    return n;
  }

  /** Reads the whole list once with a name lookup per field through the raw layer. */
  private static int readAllByName(Fixture f) {
    PointerByReference it = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_order_list(it, f.db.pointer(), f.admin.pointer(),
        OrderView.ALL.code(), null, null, PAGE));
    PointerByReference out = new PointerByReference();
    int n = 0;
    try {
      for (int st; (st = WorkOrderNative.wo_iter_next(out, it.getValue())) != WorkOrderNative.WO_DONE; n++) {
        WorkOrderException.check(st);
        Pointer rec = out.getValue();
        try {
          RecordsTest.byName(rec);
        } finally {
          WorkOrderNative.wo_record_free(rec);
        }
      }
    } finally {
      WorkOrderNative.wo_iter_free(it.getValue());
    }
    return n;
  }

  /** The median seconds of 3 passes of {@code pass}, after one untimed warm-up pass. */
  private static double median(int orders, IntSupplier pass) {
    assertEquals(orders, pass.getAsInt());
    double[] seconds = new double[3];
    for (int i = 0; i < seconds.length; i++) {
      long t0 = System.nanoTime();
      assertEquals(orders, pass.getAsInt());
      seconds[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(seconds);
    return seconds[1];
  }

  private static String line(String name, int orders, int fields, double seconds) {
    return String.format(Locale.ROOT, "{\"bench\":\"%s\",\"orders\":%d,\"fields\":%d,\"seconds\":%.4f,\"us_per_record\":%.2f}",
        name, orders, fields, seconds, seconds * 1e6 / orders);
  }

  /** Creates the orders and times the reads; returns the JSON lines. */
  static String[] run(Fixture f, int orders) {
    submit(f, orders);
    int fields = f.db.orderList(f.admin, OrderView.ALL).toList().get(0).fieldNames().size();
    double fast = median(orders, () -> readAll(f, fields));
    double byName = median(orders, () -> readAllByName(f));
    return new String[] {line("java_read_orders", orders, fields, fast), line("java_read_orders_by_name", orders, fields, byName)};
  }

  @Test
  void smoke() {
    String[] lines = run(f, 25);
    assertTrue(lines[0].matches("\\{\"bench\":\"java_read_orders\",\"orders\":25,\"fields\":\\d+,\"seconds\":[0-9.]+,\"us_per_record\":[0-9.]+\\}"),
        lines[0]);
  }

  @Test
  @EnabledIfSystemProperty(named = "workorder.bench", matches = "[1-9][0-9]*")
  void benchmark(@TempDir Path benchDir) {
    int orders = Integer.parseInt(System.getProperty("workorder.bench"));
    try (Fixture sqlite = Fixture.create(TestDb.sqlite(benchDir), true)) {
      for (String l : run(sqlite, orders)) System.out.println(l);
    }
  }
}
