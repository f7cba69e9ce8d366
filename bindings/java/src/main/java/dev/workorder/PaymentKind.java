// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code payment.payment_kind}. The C enum {@code wo_payment_kind}; {@link #code()} is the value
 * that crosses the C ABI.
 */
public enum PaymentKind implements CodedEnum {
  PREPAYMENT(0),
  PAYMENT(1),
  REFUND(2);

  private final int code;

  PaymentKind(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static PaymentKind of(int code) {
    return CodedEnum.of(PaymentKind.class, code);
  }
}
