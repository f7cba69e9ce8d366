// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EGRABLIMIT (8): The staff member holds the most orders allowed. */
public class GrabLimitException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public GrabLimitException(String message) {
    super(WorkOrderNative.WO_EGRABLIMIT, message);
  }
}
