// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ESTATE (3): The record's state does not allow this action. */
public class InvalidStateException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public InvalidStateException(String message) {
    super(WorkOrderNative.WO_ESTATE, message);
  }
}
