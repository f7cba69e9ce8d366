// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code stock_movement.movement_kind}. The C enum {@code wo_movement_kind}; {@link #code()} is
 * the value that crosses the C ABI.
 */
public enum MovementKind implements CodedEnum {
  REQUISITION(0),
  ADJUSTMENT(1),
  RESERVE(2),
  RELEASE(3),
  CONSUME(4);

  private final int code;

  MovementKind(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static MovementKind of(int code) {
    return CodedEnum.of(MovementKind.class, code);
  }
}
