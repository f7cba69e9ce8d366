// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EABORTED (19): The host's callback stopped the operation (the CSV export's writer). */
public class AbortedException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public AbortedException(String message) {
    super(WorkOrderNative.WO_EABORTED, message);
  }
}
