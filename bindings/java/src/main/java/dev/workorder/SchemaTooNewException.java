// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ESCHEMA (14): The database was written by a newer library; it was left untouched. */
public class SchemaTooNewException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public SchemaTooNewException(String message) {
    super(WorkOrderNative.WO_ESCHEMA, message);
  }
}
