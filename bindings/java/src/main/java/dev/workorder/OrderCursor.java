// SPDX-License-Identifier: MIT
package dev.workorder;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.ref.Reference;

/**
 * The cursor of {@link Database#orderList} and {@link Database#orderRecords}: a
 * {@link RecordCursor} that knows where it stands. {@link #cursor()} is the opaque position
 * right after the last record {@link #next()} handed out; pass it to a new orderList /
 * orderRecords call (same view and query) to resume exactly there, e.g. after showing a page
 * of 50.
 */
public final class OrderCursor extends RecordCursor {
  /** The iterator and where the list stands, kept when it is freed (by close or the Database). */
  private static final class State extends CursorResource {
    // After the last record handed out, while the C iterator is ahead of it; and once freed.
    volatile String position;

    State(Pointer iter, Database db, String start) {
      super(iter, db.openCursors());
      this.position = start;
    }

    @Override
    void release(Pointer iter) {
      try {
        if (!ahead) position = read(iter);
      } finally {
        super.release(iter);
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
   * left; "" given back starts over). Still readable after {@link #close()}.
   */
  public String cursor() {
    if (isClosed() || state.ahead) return state.position;
    String position = read(pointer());
    Reference.reachabilityFence(this);
    return position;
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
