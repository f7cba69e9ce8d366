// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * WO_EINELIGIBLE (20): The staff member may not take the order (an assign or transfer target
 * that is inactive, or lacks the order type's department and position).
 */
public class IneligibleException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public IneligibleException(String message) {
    super(WorkOrderNative.WO_EINELIGIBLE, message);
  }
}
