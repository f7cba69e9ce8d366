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
  private String position; // after the last record handed out, when the C iterator is ahead of it

  OrderCursor(Pointer iter, Database db, String start) {
    super(iter, db);
    this.position = start;
  }

  /**
   * Where the list continues after the last record handed out: before the first record it is
   * the cursor the list started from; once the last record has been handed out it is "" (nothing
   * left; "" given back starts over). Still readable after {@link #close()}.
   */
  public String cursor() {
    if (isClosed() || hasPending()) return position;
    return read(pointer());
  }

  @Override
  void beforeFetch(Pointer iter) {
    position = read(iter); // hasNext() may read ahead of what next() handed out
  }

  @Override
  void free(Pointer p) {
    if (!hasPending()) position = read(p);
    super.free(p);
  }

  private static String read(Pointer iter) {
    PointerByReference out = new PointerByReference();
    WorkOrderException.check(WorkOrderNative.wo_iter_cursor(out, iter));
    return out.getValue().getString(0, WorkOrderNative.ENCODING);
  }
}
