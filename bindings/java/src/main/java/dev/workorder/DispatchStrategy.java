// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code order_type.dispatch_strategy}: how the type's orders find an assignee on reaching
 * pending_dispatch. The C enum {@code wo_dispatch_strategy}; {@link #code()} is the value that
 * crosses the C ABI.
 */
public enum DispatchStrategy implements CodedEnum {
  /** A dispatcher assigns, or a technician grabs (the default). */
  MANUAL(0),
  /** The system assigns the next eligible technician in turn after the type's last. */
  ROUND_ROBIN(1),
  /** The system assigns whoever holds fewest orders, then whoever has been idle longest. */
  LEAST_LOADED(2);

  private final int code;

  DispatchStrategy(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static DispatchStrategy of(int code) {
    return CodedEnum.of(DispatchStrategy.class, code);
  }
}
