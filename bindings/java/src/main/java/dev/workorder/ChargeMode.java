// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code subtype.charge_mode}: how an order of the subtype is paid. The C enum {@code
 * wo_charge_mode}; {@link #code()} is the value that crosses the C ABI.
 */
public enum ChargeMode implements CodedEnum {
  FREE(0),
  AFTER_COMPLETION(1),
  PREPAY_DEPOSIT(2),
  PREPAY_FULL(3);

  private final int code;

  ChargeMode(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static ChargeMode of(int code) {
    return CodedEnum.of(ChargeMode.class, code);
  }
}
