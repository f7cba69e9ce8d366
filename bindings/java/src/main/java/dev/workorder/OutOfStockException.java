// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EOUTOFSTOCK (9): Not enough stock: a requisition is needed. */
public class OutOfStockException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public OutOfStockException(String message) {
    super(WorkOrderNative.WO_EOUTOFSTOCK, message);
  }
}
