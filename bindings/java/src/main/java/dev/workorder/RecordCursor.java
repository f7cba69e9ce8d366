// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
 * may be advanced again to retry.
 */
public class RecordCursor extends Handle implements Iterator<Record> {
  private final Database db;
  private final PointerByReference out = new PointerByReference();
  private Record pending;
  private boolean done;

  RecordCursor(Pointer iter, Database db) {
    super(iter, "record cursor");
    this.db = db;
  }

  @Override
  public boolean hasNext() {
    if (pending != null) return true;
    if (done) return false;
    beforeFetch(pointer());
    int status = WorkOrderNative.wo_iter_next(out, pointer());
    if (status == WorkOrderNative.WO_DONE) {
      done = true;
      return false;
    }
    WorkOrderException.check(status);
    pending = Record.take(out.getValue());
    return true;
  }

  @Override
  public Record next() {
    if (!hasNext()) throw new NoSuchElementException("no more records");
    Record r = pending;
    pending = null;
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

  /** Whether {@link #hasNext()} read a record that {@link #next()} has not handed out yet. */
  final boolean hasPending() {
    return pending != null;
  }

  @Override
  void free(Pointer p) {
    WorkOrderNative.wo_iter_free(p);
    db.forget(this);
  }
}
