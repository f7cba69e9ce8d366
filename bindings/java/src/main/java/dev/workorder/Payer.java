// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code order.payer}. The C enum {@code wo_payer}; {@link #code()} is the value that crosses the
 * C ABI.
 */
public enum Payer implements CodedEnum {
  TENANT(0),
  ENTERPRISE(1);

  private final int code;

  Payer(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static Payer of(int code) {
    return CodedEnum.of(Payer.class, code);
  }
}
