// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EFORBIDDEN (4): The actor may see the record but not do this. */
public class ForbiddenException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(String message) {
    super(WorkOrderNative.WO_EFORBIDDEN, message);
  }
}
