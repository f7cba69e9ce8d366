// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * A payment channel ({@code payment_channel.channel}, {@code payment.channel}). The C enum {@code
 * wo_channel}; {@link #code()} is the value that crosses the C ABI.
 */
public enum Channel implements CodedEnum {
  WECHAT(0),
  ALIPAY(1),
  CORPORATE(2),
  CASH(3),
  BANK_TRANSFER(4),
  OTHER(5);

  private final int code;

  Channel(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static Channel of(int code) {
    return CodedEnum.of(Channel.class, code);
  }
}
