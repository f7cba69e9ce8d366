// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ECONFLICT (5): Clashes with existing data (a duplicate name, phone, sku, …). */
public class ConflictException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(WorkOrderNative.WO_ECONFLICT, message);
  }
}
