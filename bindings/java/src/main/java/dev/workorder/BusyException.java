// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EBUSY (12): The database stayed locked past the busy timeout. */
public class BusyException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public BusyException(String message) {
    super(WorkOrderNative.WO_EBUSY, message);
  }
}
