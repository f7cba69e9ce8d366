// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * Library-wide calls. The C ABI's enumerations are Java enums of their own ({@link OrderStatus},
 * {@link Channel}, {@link Role}, …; see {@link CodedEnum}).
 */
public final class WorkOrder {
  private WorkOrder() {}

  /** The library's version, "MAJOR.MINOR.PATCH" ({@code wo_version}). */
  public static String version() {
    return WorkOrderNative.wo_version();
  }

  /** The library's version as MAJOR * 1000000 + MINOR * 1000 + PATCH ({@code wo_libversion_number}). */
  public static int versionNumber() {
    return WorkOrderNative.wo_libversion_number();
  }

  /** Static English text for a status code ({@code wo_strerror}): "not found", …; never null. */
  public static String strerror(int code) {
    return WorkOrderNative.wo_strerror(code);
  }
}
