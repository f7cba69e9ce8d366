// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A pull iterator over records ({@code wo_iter}), read lazily in pages. Close it (or use
 * try-with-resources, or {@link #toList()}, or close the {@link #stream()}) before the
 * {@link Database}; closing the Database closes the cursors still open on it.
 *
 * <pre>{@code
 * try (RecordCursor c = db.list("department", admin)) {
 *   while (c.hasNext()) System.out.println(c.next().getString("name"));
 * }
 * }</pre>
 *
 * An error while reading a page is thrown from {@link #hasNext()} / {@link #next()}; the cursor
 * may be advanced again to retry. A cursor forgotten without closing is freed once it is
 * unreachable; while it is reachable it keeps its Database open.
 */
public class RecordCursor extends Handle implements Iterator<Record> {
  /** The C iterator, which also leaves its database's set of open cursors when freed. */
  static class CursorResource extends Resource {
    private final Set<Resource> open;
    // The C iterator is one record ahead of what next() handed out (OrderCursor's position).
    volatile boolean ahead;

    CursorResource(Pointer iter, Set<Resource> open) {
      super(iter, WorkOrderNative::wo_iter_free);
      this.open = open;
    }

    @Override
    void release(Pointer iter) {
      try {
        super.release(iter);
      } finally {
        open.remove(this);
      }
    }
  }

  // Only held: an open cursor keeps its Database reachable, so not cleaned under it.
  private final Database db;
  private final CursorResource state;
  private final PointerByReference out = new PointerByReference();
  private final Record.Reader reader = new Record.Reader();
  private Record pending;
  private boolean done;

  RecordCursor(Pointer iter, Database db) {
    this(new CursorResource(iter, db.openCursors()), db);
  }

  RecordCursor(CursorResource state, Database db) {
    super(state, "record cursor");
    this.db = db;
    this.state = state;
    db.openCursors().add(state);
  }

  @Override
  public boolean hasNext() {
    if (pending != null) return true;
    if (done) return false;
    Pointer iter = pointer();
    beforeFetch(iter);
    try {
      int status = WorkOrderNative.wo_iter_next(out, iter);
      if (status == WorkOrderNative.WO_DONE) {
        done = true;
        return false;
      }
      WorkOrderException.check(status);
      pending = reader.take(out.getValue());
      state.ahead = true;
      return true;
    } finally {
      Reference.reachabilityFence(this); // not cleaned while C reads the iterator
    }
  }

  @Override
  public Record next() {
    if (!hasNext()) throw new NoSuchElementException("no more records");
    Record r = pending;
    pending = null;
    state.ahead = false;
    return r;
  }

  /** The remaining records as a sequential stream; closing the stream closes this cursor. */
  public Stream<Record> stream() {
    Spliterator<Record> split = Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL);
    return StreamSupport.stream(split, false).onClose(this::close);
  }

  /** Reads every remaining record into a list and closes this cursor. */
  public List<Record> toList() {
    try {
      List<Record> all = new ArrayList<>();
      while (hasNext()) all.add(next());
      return all;
    } finally {
      close();
    }
  }

  /** Called right before the C iterator is advanced (subclasses note where it stood). */
  void beforeFetch(Pointer iter) {}
}
