// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ESLOTHORIZON (17): The appointment slot is beyond the schedule's booking horizon. */
public class SlotBeyondHorizonException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public SlotBeyondHorizonException(String message) {
    super(WorkOrderNative.WO_ESLOTHORIZON, message);
  }
}
