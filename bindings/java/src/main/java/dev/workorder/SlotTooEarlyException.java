// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ESLOTTOOEARLY (18): The appointment slot starts before now + the schedule's lead time. */
public class SlotTooEarlyException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public SlotTooEarlyException(String message) {
    super(WorkOrderNative.WO_ESLOTTOOEARLY, message);
  }
}
