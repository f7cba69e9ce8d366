// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code charge_line.line_kind}. The C enum {@code wo_line_kind}; {@link #code()} is the value
 * that crosses the C ABI.
 */
public enum LineKind implements CodedEnum {
  LABOR(0),
  MATERIAL(1),
  SERVICE_ITEM(2);

  private final int code;

  LineKind(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static LineKind of(int code) {
    return CodedEnum.of(LineKind.class, code);
  }
}
