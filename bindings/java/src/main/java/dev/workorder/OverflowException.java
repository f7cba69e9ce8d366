// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EOVERFLOW (15): An amount or quantity does not fit 64 bits. */
public class OverflowException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public OverflowException(String message) {
    super(WorkOrderNative.WO_EOVERFLOW, message);
  }
}
