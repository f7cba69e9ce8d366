// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code event.concerns}: whom a history event concerns ({@code event.concerns_id} names them).
 * The C enum {@code wo_audience}; {@link #code()} is the value that crosses the C ABI.
 */
public enum Audience implements CodedEnum {
  NOBODY(0),
  STAFF(1),
  CONTACT(2),
  DISPATCHERS(3);

  private final int code;

  Audience(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static Audience of(int code) {
    return CodedEnum.of(Audience.class, code);
  }
}
