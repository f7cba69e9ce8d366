// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * The views of {@link Database#orderList}: which orders a list starts from, before the query
 * narrows it. The C enum {@code wo_view}; {@link #code()} is the value that crosses the C ABI.
 */
public enum OrderView implements CodedEnum {
  ALL(0),
  TENANT_TODO(1),
  SUBMITTED_BY_ME(2),
  MY_TASKS(3),
  POOL(4);

  private final int code;

  OrderView(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static OrderView of(int code) {
    return CodedEnum.of(OrderView.class, code);
  }
}
