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
 *
 * <p>Threads: calls on one cursor are serialised (each record is handed out once). Closing the
 * cursor, or its Database, while another thread is reading a page waits for that read; after
 * the close, a record already read ahead by {@link #hasNext()} is still handed out, and the
 * cursor then ends ({@code false}) if it had reached the end, else throws
 * {@link IllegalStateException}.
 */
public class RecordCursor extends Handle implements Iterator<Record> {
  /**
   * The C iterator, which also leaves its database's set of open cursors when freed. It is
   * also the cursor's lock: every native call on the iterator (hasNext, next, OrderCursor's
   * cursor()) and its free hold it, so a close on another thread (of the cursor or of its
   * Database) waits for a running wo_iter_next instead of freeing the iterator under it, and
   * two threads never advance one C iterator at once.
   */
  static class CursorResource extends Resource {
    private final Set<Resource> open;
    // The C pointer for calls made under the lock: free() also takes it, so it is valid until
    // `freed` (the Handle's own pointer is cleared before the lock is taken).
    final Pointer iter;
    // Guarded by this. The C iterator is one record ahead of what next() handed out.
    boolean ahead;
    // Guarded by this. The C iterator was freed.
    boolean freed;

    CursorResource(Pointer iter, Set<Resource> open) {
      super(iter, WorkOrderNative::wo_iter_free);
      this.iter = iter;
      this.open = open;
    }

    @Override
    final void release(Pointer iter) {
      try {
        synchronized (this) { // waits for a wo_iter_next running on another thread
          try {
            beforeFree(iter);
          } finally {
            freed = true;
            super.release(iter);
          }
        }
      } finally {
        open.remove(this);
      }
    }

    /** Runs under the lock right before the C iterator is freed; must not throw. */
    void beforeFree(Pointer iter) {}

    /** Under the lock: next() handed out the record read ahead. */
    void handedOut() {
      ahead = false;
    }
  }

  // Only held: an open cursor keeps its Database reachable, so not cleaned under it.
  private final Database db;
  private final CursorResource state;
  // The fields below are guarded by `state`.
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

  /**
   * Whether a record follows, reading it ahead if needed. Thread-safe; once the cursor (or its
   * Database) is closed it throws IllegalStateException, unless a record was already read
   * ahead (then next() still hands that one out) or the end was already reached.
   */
  @Override
  public boolean hasNext() {
    synchronized (state) {
      if (pending != null) return true;
      if (done) return false;
      Pointer iter = pointer(); // IllegalStateException once closed
      try {
        beforeFetch(iter);
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
  }

  @Override
  public Record next() {
    synchronized (state) { // hasNext and the hand-out as one step for concurrent callers
      if (!hasNext()) throw new NoSuchElementException("no more records");
      Record r = pending;
      pending = null;
      state.handedOut();
      return r;
    }
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

  /** Called under the lock right before the C iterator is advanced (subclasses note where it stood). */
  void beforeFetch(Pointer iter) {}
}
