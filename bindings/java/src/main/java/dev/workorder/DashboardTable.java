// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * The tables of a {@link Dashboard} ({@link Dashboard#rows}). The C enum {@code
 * wo_dashboard_table}; {@link #code()} is the value that crosses the C ABI.
 */
public enum DashboardTable implements CodedEnum {
  TYPES(0),
  SUBTYPES(1),
  DAYS(2),
  STAFF(3);

  private final int code;

  DashboardTable(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static DashboardTable of(int code) {
    return CodedEnum.of(DashboardTable.class, code);
  }
}
