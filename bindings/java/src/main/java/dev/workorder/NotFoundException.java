// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ENOTFOUND (1): No such record, or the actor may not see it. */
public class NotFoundException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(WorkOrderNative.WO_ENOTFOUND, message);
  }
}
