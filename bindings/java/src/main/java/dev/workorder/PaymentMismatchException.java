// SPDX-License-Identifier: MIT
package dev.workorder;

/** WO_EPAYMENT (10): The payment amount does not match. */
public class PaymentMismatchException extends WorkOrderException {
  private static final long serialVersionUID = 1L;

  public PaymentMismatchException(String message) {
    super(WorkOrderNative.WO_EPAYMENT, message);
  }
}
