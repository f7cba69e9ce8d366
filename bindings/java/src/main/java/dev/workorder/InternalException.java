// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EINTERNAL (16): A bug in the library, or out of memory. */
public class InternalException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public InternalException(String message) {
    super(WorkOrderNative.WO_EINTERNAL, message);
  }
}
