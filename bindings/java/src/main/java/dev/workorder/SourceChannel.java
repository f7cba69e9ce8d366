// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code order.source_channel}: where an order was reported. The C enum {@code
 * wo_source_channel}; {@link #code()} is the value that crosses the C ABI.
 */
public enum SourceChannel implements CodedEnum {
  TENANT_APP(0),
  MINI_PROGRAM(1),
  H5(2),
  STAFF_MOBILE(3),
  STAFF_PC(4),
  API(5);

  private final int code;

  SourceChannel(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static SourceChannel of(int code) {
    return CodedEnum.of(SourceChannel.class, code);
  }
}
