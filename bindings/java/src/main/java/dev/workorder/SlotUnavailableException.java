// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ESLOTUNAVAILABLE (7): The appointment slot is not offered. */
public class SlotUnavailableException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public SlotUnavailableException(String message) {
    super(WorkOrderNative.WO_ESLOTUNAVAILABLE, message);
  }
}
