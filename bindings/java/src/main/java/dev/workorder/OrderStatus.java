// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code order.status} (docs/lifecycle.md); an order query's status_mask is built with {@link
 * #bit()} or {@link #mask}. The C enum {@code wo_order_status}; {@link #code()} is the value that
 * crosses the C ABI.
 */
public enum OrderStatus implements CodedEnum {
  AWAITING_PREPAYMENT(0),
  PENDING_DISPATCH(1),
  PENDING_ACCEPT(2),
  IN_PROGRESS(3),
  AWAITING_PAYMENT(4),
  AWAITING_RATING(5),
  COMPLETED(6),
  CANCELLED(7);

  private final int code;

  OrderStatus(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static OrderStatus of(int code) {
    return CodedEnum.of(OrderStatus.class, code);
  }

  /** This status's bit of an order query's status_mask ({@code WO_STATUS_BIT}). */
  public int bit() {
    return 1 << code;
  }

  /** An order query's status_mask for {@code statuses} (0, no statuses, means every status). */
  public static int mask(OrderStatus... statuses) {
    int mask = 0;
    for (OrderStatus s : statuses) mask |= s.bit();
    return mask;
  }
}
