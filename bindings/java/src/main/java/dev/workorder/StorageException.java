// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_ESTORAGE (13): An I/O or database error. */
public class StorageException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(WorkOrderNative.WO_ESTORAGE, message);
  }
}
