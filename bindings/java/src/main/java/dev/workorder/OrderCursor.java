// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The cursor of {@link Database#orderList} and {@link Database#orderRecords}: a
 * {@link RecordCursor} that knows where it stands. {@link #cursor()} is the opaque position
 * right after the last record {@link #next()} handed out; pass it to a new orderList /
 * orderRecords call (same view and query) to resume exactly there, e.g. after showing a page
 * of 50.
 */
public final class OrderCursor extends RecordCursor {
  /**
   * The iterator and where the list stands, kept when it is freed (by close or the Database).
   * Its fields are guarded by itself, the cursor's lock (see {@link CursorResource}).
   */
  private static final class State extends CursorResource {
    // After the last record handed out, while the C iterator is ahead of it; and once freed.
    String position;
    // Freed while ahead: where the list continues after the record read ahead, for next()
    // to take over when it hands that record out after the close.
    String afterPending;
    // Why the position (or afterPending) could not be read at the free; cursor() reports it.
    RuntimeException positionError;
    RuntimeException afterPendingError;

    State(Pointer iter, Database db, String start) {
      super(iter, db.openCursors());
      this.position = start;
    }

    @Override
    void beforeFree(Pointer iter) {
      // Never throws: the free and the Database's release of its other cursors must go on.
      String read = null;
      RuntimeException error = null;
      try {
        read = read(iter);
      } catch (RuntimeException e) {
        error = e;
      }
      if (ahead) {
        afterPending = read;
        afterPendingError = error;
      } else {
        position = read;
        positionError = error;
      }
    }

    @Override
    void handedOut() {
      super.handedOut();
      if (freed) { // the record read ahead handed out after the close: the list goes on after it
        position = afterPending;
        positionError = afterPendingError;
      }
    }
  }

  private final State state;

  OrderCursor(Pointer iter, Database db, String start) {
    this(new State(iter, db, start), db);
  }

  private OrderCursor(State state, Database db) {
    super(state, db);
    this.state = state;
  }

  /**
   * Where the list continues after the last record handed out: before the first record it is
   * the cursor the list started from; once the last record has been handed out it is "" (nothing
   * left; "" given back starts over). Still readable after {@link #close()}, also when a record
   * read ahead by {@link #hasNext()} is handed out after the close.
   *
   * @throws IllegalStateException the cursor was closed and where it stood could not be read
   *     then (the cause says why)
   */
  public String cursor() {
    synchronized (state) { // the iterator is not freed while this reads it
      if (state.freed && state.positionError != null)
        throw new IllegalStateException("where this closed order cursor stood could not be read: "
            + state.positionError.getMessage(), state.positionError);
      if (state.freed || state.ahead) return state.position;
      return read(state.iter);
    }
  }

  @Override
  void beforeFetch(Pointer iter) {
    state.position = read(iter); // hasNext() may read ahead of what next() handed out
  }

  private static String read(Pointer iter) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_iter_cursor(out, iter));
    return out.getValue().getString(0, WorkOrderNative.ENCODING);
  }
}
