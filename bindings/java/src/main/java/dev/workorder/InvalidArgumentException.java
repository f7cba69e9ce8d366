// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * WO_EINVALID (2): A bad argument: missing, unknown, malformed or out-of-range field, bad UTF-8,
 * unknown enum value.
 */
public class InvalidArgumentException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message) {
    super(WorkOrderNative.WO_EINVALID, message);
  }
}
