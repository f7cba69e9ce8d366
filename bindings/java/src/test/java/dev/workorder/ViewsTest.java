// SPDX-License-Identifier: MIT
package dev.workorder;

import static dev.workorder.Shop.DAY;
import static dev.workorder.Shop.HOUR;
import static dev.workorder.Shop.MINUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.ptr.PointerByReference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md §8 through the binding: views and order lists with resumable cursors, order records, the
 * CSV export, the dashboard, an order's messages and the event feed.
 *
 * <p>The story: contact c1 reports four free repairs and contact c2 one, a minute apart. o[0] is
 * assigned to t1, accepted, finished and rated 5; o[1] is assigned to t1 (pending_accept) and
 * gets a message from each side; o[2] is cancelled by c1; o[3] and o[4] wait in the pool.
 */
class ViewsTest extends ShopTest {
  long start;
  final long[] o = new long[5];

  @BeforeEach
  void story() {
    start = s.now();
    for (int i = 0; i < o.length; i++) {
      s.advance(MINUTE);
      o[i] = s.submitFree(i < 4 ? s.ca : s.c2a);
    }
    s.advance(5 * MINUTE);
    db.orderAssign(s.dispA, o[0], s.t1, false);
    s.advance(10 * MINUTE);
    db.orderAccept(s.t1a, o[0]);
    s.advance(30 * MINUTE);
    db.orderFinish(s.t1a, o[0]);
    s.advance(MINUTE);
    db.orderRate(s.ca, o[0], 5, "很快");
    db.orderAssign(s.dispA, o[1], s.t1, false);
    s.advance(MINUTE);
    db.orderMessage(s.ca, o[1], "师傅什么时候到？");
    s.advance(MINUTE);
    db.orderMessage(s.t1a, o[1], "明早九点");
    db.orderCancel(s.ca, o[2], "不修了");
  }

  private static List<Long> ids(RecordCursor c) {
    List<Long> ids = new ArrayList<>();
    for (Record r : c.toList()) ids.add(r.id());
    return ids;
  }

  private List<Long> view(Actor actor, OrderView view, Input query) {
    return ids(db.orderList(actor, view, query, null, 200));
  }

  @Test
  void viewsAreNewestFirstWithinTheActorsSight() {
    assertEquals(List.of(o[4], o[3], o[2], o[1], o[0]), view(s.admin, OrderView.ALL, null));
    assertEquals(List.of(o[3], o[2], o[1], o[0]), view(s.ca, OrderView.ALL, null));
    assertEquals(List.of(o[4]), view(s.c2a, OrderView.SUBMITTED_BY_ME, null));
    assertEquals(List.of(), view(s.ca, OrderView.TENANT_TODO, null)); // o[0] is rated
    assertEquals(List.of(o[1]), view(s.t1a, OrderView.MY_TASKS, null));
    assertEquals(List.of(o[4], o[3]), view(s.t2a, OrderView.POOL, null));

    try (OrderCursor c = db.orderList(s.admin, OrderView.ALL)) {
      Record first = c.next();
      assertEquals("order", first.kind());
      assertEquals(s.order(o[4]), first); // with its bill, as orderGet gives it
    }
  }

  @Test
  void queriesNarrowAView() {
    int closed = OrderStatus.mask(OrderStatus.COMPLETED, OrderStatus.CANCELLED);
    assertEquals(OrderStatus.COMPLETED.bit() | OrderStatus.CANCELLED.bit(), closed);
    assertEquals(1 << 6 | 1 << 7, closed); // WO_STATUS_BIT
    try (Input q = new Input().set("status_mask", closed)) {
      assertEquals(List.of(o[2], o[0]), view(s.admin, OrderView.ALL, q));
    }
    try (Input q = new Input().set("text", s.order(o[3]).getString("number"))) {
      assertEquals(List.of(o[3]), view(s.admin, OrderView.ALL, q));
    }
    try (Input q = new Input().set("tenant_id", s.tenant2)) {
      assertEquals(List.of(o[4]), view(s.admin, OrderView.ALL, q));
      assertEquals(List.of(), view(s.ca, OrderView.ALL, q), "a filter never widens a contact's sight");
    }
  }

  @Test
  void badViewsQueriesAndPageSizesFailAtTheCall() {
    assertTrue(assertThrows(ForbiddenException.class, () -> db.orderList(s.ca, OrderView.POOL))
        .getMessage().contains("pool"));
    assertThrows(ForbiddenException.class, () -> db.orderList(s.f.system, OrderView.ALL));
    assertThrows(IllegalArgumentException.class, () -> db.orderList(s.admin, null));
    // A view no OrderView has can only come through the raw layer; C refuses it.
    PointerByReference it = new PointerByReference();
    assertEquals(WorkOrderNative.WO_EINVALID,
        WorkOrderNative.wo_order_list(it, db.pointer(), Handle.of(s.admin), 7, null, null, 10));
    assertTrue(WorkOrderNative.wo_errmsg().contains("view"), WorkOrderNative.wo_errmsg());
    assertTrue(assertThrows(InvalidArgumentException.class, () -> db.orderList(s.admin, OrderView.ALL, null, null, 201))
        .getMessage().contains("page_size"));
    try (Input q = new Input().set("bogus", 1)) {
      assertTrue(assertThrows(InvalidArgumentException.class, () -> db.orderList(s.admin, OrderView.ALL, q, null, 10))
          .getMessage().contains("bogus"));
    }
    try (Input q = new Input().set("assignee_id", 999_999)) {
      assertTrue(assertThrows(NotFoundException.class, () -> db.orderRecords(s.admin, q, null, 10))
          .getMessage().contains("assignee_id"));
    }
  }

  /** Stop after {@code n} records, keep the cursor, resume with a new call: the whole list again. */
  private void resumesExactly(boolean records) {
    List<Long> whole = ids(records ? db.orderRecords(s.admin) : db.orderList(s.admin, OrderView.ALL));
    assertEquals(5, whole.size());
    for (int page = 1; page <= 3; page++) {
      for (int n = 0; n <= whole.size(); n++) {
        List<Long> got = new ArrayList<>();
        String cursor;
        try (OrderCursor c = records ? db.orderRecords(s.admin, null, null, page)
            : db.orderList(s.admin, OrderView.ALL, null, null, page)) {
          for (int i = 0; i < n; i++) got.add(c.next().id());
          c.hasNext(); // reads ahead: the cursor still follows what next() handed out
          cursor = c.cursor();
        }
        if (n == whole.size()) {
          assertEquals("", cursor, "everything handed out: nothing left");
          continue;
        }
        assertEquals(n > 0, !cursor.isEmpty());
        try (OrderCursor rest = records ? db.orderRecords(s.admin, null, cursor, 4 - page)
            : db.orderList(s.admin, OrderView.ALL, null, cursor, 4 - page)) {
          assertEquals(cursor, rest.cursor(), "before the first record: where it started");
          got.addAll(ids(rest));
          assertEquals("", rest.cursor(), "still readable after the list was read and closed");
        }
        assertEquals(whole, got, "page " + page + ", stopped after " + n);
      }
    }
  }

  @Test
  void aCursorResumesAnOrderListWhereTheHostStopped() {
    resumesExactly(false);
  }

  @Test
  void aCursorResumesOrderRecordsWhereTheHostStopped() {
    resumesExactly(true);
  }

  @Test
  void aRecordReadAheadAndHandedOutAfterTheCloseMovesTheCursorOn() {
    List<Long> whole = ids(db.orderList(s.admin, OrderView.ALL));
    for (boolean closeTheDatabase : new boolean[] {false, true}) {
      Database other = Database.open(s.f.location);
      List<Long> got = new ArrayList<>();
      String cursor;
      OrderCursor c = other.orderList(s.admin, OrderView.ALL, null, null, 2);
      try {
        got.add(c.next().id());
        assertTrue(c.hasNext()); // the second record read ahead
        if (closeTheDatabase) other.close();
        else c.close();
        got.add(c.next().id()); // still handed out after the close
        cursor = c.cursor();
        assertThrows(IllegalStateException.class, c::hasNext);
      } finally {
        c.close();
        other.close();
      }
      got.addAll(ids(db.orderList(s.admin, OrderView.ALL, null, cursor, 2)));
      assertEquals(whole, got, "resumed after the record handed out, closing the database: " + closeTheDatabase);
    }
  }

  @Test
  void closingTheDatabaseFreesEveryCursorEvenIfOneCannotReadItsPosition() {
    Database other = Database.open(s.f.location);
    List<RecordCursor> cursors = new ArrayList<>();
    for (int i = 0; i < 3; i++) cursors.add(other.orderList(s.admin, OrderView.ALL));
    // An OrderCursor over an iterator without cursors: wo_iter_cursor fails when it is freed.
    PointerByReference it = new PointerByReference();
    assertEquals(WorkOrderNative.WO_OK, WorkOrderNative.wo_department_list(it, Handle.of(other), Handle.of(s.admin), null));
    OrderCursor broken = new OrderCursor(it.getValue(), other, "");
    for (int i = 0; i < 3; i++) cursors.add(other.list("department", s.admin));
    cursors.add(broken);
    other.close(); // completes
    for (RecordCursor c : cursors) assertTrue(c.resource().isReleased(), "every cursor freed");
    assertTrue(other.openCursors().isEmpty());
    IllegalStateException e = assertThrows(IllegalStateException.class, broken::cursor);
    assertInstanceOf(InvalidArgumentException.class, e.getCause(), "the position's read failure, kept");
  }

  @Test
  void cursorsAreChecked() {
    String newestFirst;
    String oldestFirst;
    try (OrderCursor c = db.orderList(s.admin, OrderView.ALL, null, null, 2)) {
      c.next();
      newestFirst = c.cursor();
    }
    try (OrderCursor c = db.orderRecords(s.admin, null, null, 2)) {
      c.next();
      oldestFirst = c.cursor();
    }
    assertThrows(InvalidArgumentException.class, () -> db.orderList(s.admin, OrderView.ALL, null, oldestFirst, 2));
    assertThrows(InvalidArgumentException.class, () -> db.orderRecords(s.admin, null, newestFirst, 2));
    String tampered = newestFirst.substring(0, 5) + (newestFirst.charAt(5) == '0' ? '1' : '0') + newestFirst.substring(6);
    InvalidArgumentException e =
        assertThrows(InvalidArgumentException.class, () -> db.orderList(s.admin, OrderView.ALL, null, tampered, 2));
    assertTrue(e.getMessage().contains("cursor"), e.getMessage());
  }

  @Test
  void orderRecordsAreOldestFirstWithNames() {
    List<Record> records = db.orderRecords(s.admin).toList();
    assertEquals(List.of(o[0], o[1], o[2], o[3], o[4]), records.stream().map(Record::id).toList());
    Record first = records.get(0);
    assertEquals("order_record", first.kind());
    assertEquals(s.order(o[0]).getString("number"), first.getString("number"));
    assertEquals("公共报修", first.getString("order_type"));
    assertEquals("楼道照明", first.getString("subtype"));
    assertEquals("张三", first.getString("reporter"));
    assertEquals("技术员甲", first.getString("responsible"));
    assertEquals(OrderStatus.COMPLETED, first.getEnum("status", OrderStatus.class));
    assertEquals(start + MINUTE, first.getLong("created_at"));
    assertTrue(records.get(2).isNull("responsible"));
    assertEquals(List.of(o[4]), ids(db.orderRecords(s.c2a)));
  }

  @Test
  void exportCsvStreamsToAnOutputStream() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long written = db.exportCsv(s.admin, null, out);
    assertEquals(out.size(), written);
    String csv = out.toString(StandardCharsets.UTF_8);
    String[] lines = csv.split("\r\n", -1);
    assertTrue(lines[0].startsWith("number,"), lines[0]);
    assertEquals(7, lines.length, "header, 5 orders, the empty tail after the last CRLF");
    assertTrue(lines[1].startsWith(s.order(o[0]).getString("number") + ",公共报修,楼道照明,"), lines[1]);
    assertTrue(lines[1].contains("2024-06-03T09:01:00+08:00"), "org-local ISO 8601: " + lines[1]);

    List<byte[]> chunks = new ArrayList<>();
    try (Input q = new Input().set("status_mask", OrderStatus.CANCELLED.bit())) {
      db.exportCsv(s.admin, q, chunk -> chunks.add(chunk));
    }
    String cancelled = new String(chunks.get(0), StandardCharsets.UTF_8);
    assertEquals(2, cancelled.split("\r\n").length);
    assertTrue(cancelled.contains("不修了") || cancelled.contains("cancelled"), cancelled);
  }

  @Test
  void exportCsvStopsWhenTheSinkSaysSo() {
    AbortedException e = assertThrows(AbortedException.class, () -> db.exportCsv(s.admin, null, chunk -> false));
    assertEquals(WorkOrderNative.WO_EABORTED, e.code());
    assertTrue(e.getMessage().contains("returned 1"), e.getMessage());

    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> db.exportCsv(s.admin, null, chunk -> { throw new IllegalStateException("disk full"); }));
    assertEquals("disk full", thrown.getMessage());
    assertInstanceOf(AbortedException.class, thrown.getSuppressed()[0]);

    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("pipe closed");
      }
    };
    IOException io = assertThrows(IOException.class, () -> db.exportCsv(s.admin, null, broken));
    assertEquals("pipe closed", io.getMessage());
    assertEquals(5, db.orderList(s.admin, OrderView.ALL).toList().size(), "the database is fine afterwards");
  }

  @Test
  void dashboard() {
    Dashboard d = db.dashboard(s.admin, start, start + DAY);
    Record sum = d.summary();
    assertEquals("dashboard", sum.kind());
    assertEquals(start, sum.getLong("from"));
    assertEquals(5, sum.getLong("orders"));
    assertEquals(1, sum.getLong("status_completed"));
    assertEquals(1, sum.getLong("status_pending_accept"));
    assertEquals(1, sum.getLong("status_cancelled"));
    assertEquals(2, sum.getLong("status_pending_dispatch"));
    assertEquals(500, sum.getLong("rating_mean_x100"));
    assertEquals(1, sum.getLong("rating_5"));
    assertEquals(1, sum.getLong("accept_to_finish_count"));
    assertEquals(30 * MINUTE, sum.getLong("accept_to_finish_mean_ms"));
    assertEquals(List.of(s.publicType), d.types().stream().map(Record::id).toList());
    assertEquals(5, d.subtypes().get(0).getLong("orders"));
    assertEquals("2024-06-03", d.days().get(0).getString("date"));
    assertEquals(5, d.days().get(0).getLong("created"));
    Record t1 = d.staff().stream().filter(r -> r.getLong("staff_id") == s.t1).findFirst().orElseThrow();
    assertEquals("dashboard_staff", t1.kind());
    assertEquals(1, t1.getLong("finished"));
    assertEquals(30 * MINUTE, t1.getLong("handling_mean_ms"));
    assertEquals(1, t1.getLong("held_now"));
    assertThrows(UnsupportedOperationException.class, () -> d.days().clear());

    assertEquals(5, db.dashboard(s.dispA, start, start + HOUR).summary().getLong("orders"), "dispatchers may read it");
    assertThrows(ForbiddenException.class, () -> db.dashboard(s.t1a, start, start + DAY));
    assertThrows(InvalidArgumentException.class, () -> db.dashboard(s.admin, start, start));
  }

  @Test
  void orderMessagesAndTheEventFeed() {
    List<Record> messages = db.orderMessages(s.t1a, o[1]).toList();
    assertEquals(List.of("师傅什么时候到？", "明早九点"), messages.stream().map(m -> m.getString("details")).toList());
    assertEquals(Audience.STAFF, messages.get(0).getEnum("concerns", Audience.class));
    assertEquals(s.t1, messages.get(0).getLong("concerns_id"));
    assertEquals(Audience.CONTACT, messages.get(1).getEnum("concerns", Audience.class));
    assertThrows(NotFoundException.class, () -> db.orderMessages(s.c2a, o[1]));

    List<Record> timeline = new ArrayList<>();
    for (long id : o) timeline.addAll(s.timeline(id));
    timeline.sort(Comparator.comparingLong(Record::id));
    List<Record> feed = db.eventsAfter(s.admin, 0).toList();
    assertEquals(timeline, feed);
    assertEquals(feed.subList(3, feed.size()), db.eventsAfter(s.admin, feed.get(2).id()).toList());
    assertEquals(List.of(), db.eventsAfter(s.admin, feed.get(feed.size() - 1).id()).toList());

    List<Record> mine = db.eventsAfter(s.ca, 0).toList();
    assertFalse(mine.isEmpty());
    assertEquals(feed.stream().filter(e -> e.getEnum("concerns", Audience.class) == Audience.CONTACT
        && !e.isNull("concerns_id") && e.getLong("concerns_id") == s.contact).toList(), mine);
    List<Record> t1 = db.eventsAfter(s.t1a, 0).toList();
    assertEquals(feed.stream().filter(e -> e.getEnum("concerns", Audience.class) == Audience.STAFF
        && !e.isNull("concerns_id") && e.getLong("concerns_id") == s.t1).toList(), t1);
    assertThrows(InvalidArgumentException.class, () -> db.eventsAfter(s.admin, -1));
  }
}
