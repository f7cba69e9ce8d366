// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ESLOTFULL (6): The appointment slot is full. */
public class SlotFullException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public SlotFullException(String message) {
    super(WorkOrderNative.WO_ESLOTFULL, message);
  }
}
