// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code event.action}: what a history event records. The C enum {@code wo_action}; {@link
 * #code()} is the value that crosses the C ABI.
 */
public enum Action implements CodedEnum {
  SUBMIT(0),
  PAY_PREPAYMENT(1),
  ASSIGN(2),
  GRAB(3),
  ACCEPT(4),
  REJECT(5),
  TRANSFER(6),
  ADD_LINE(7),
  REMOVE_LINE(8),
  FINISH(9),
  PAY(10),
  REFUND(11),
  RATE(12),
  REOPEN(13),
  CANCEL(14),
  MESSAGE(15),
  PREPAYMENT_TIMEOUT(16),
  ACCEPT_TIMEOUT(17),
  RATING_TIMEOUT(18),
  RESCHEDULE(19),
  /** The system assigned the order by its type's dispatch strategy. */
  AUTO_ASSIGN(20),
  /** The type's dispatch strategy found no one: the order waits in the pool. */
  DISPATCH_UNMATCHED(21),
  /**
   * A service-level clock used the org's warning share of its target; {@code details} is
   * "response" or "resolution", {@code amount} the target in minutes.
   */
  SLA_WARNING(22),
  /** A service-level clock passed its target; details and amount as for {@link #SLA_WARNING}. */
  SLA_BREACH(23);

  private final int code;

  Action(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static Action of(int code) {
    return CodedEnum.of(Action.class, code);
  }
}
