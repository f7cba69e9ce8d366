// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code event.actor_kind}, {@code order.created_by_kind}. The C enum {@code wo_actor_kind};
 * {@link #code()} is the value that crosses the C ABI.
 */
public enum ActorKind implements CodedEnum {
  SYSTEM(0),
  STAFF(1),
  CONTACT(2);

  private final int code;

  ActorKind(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static ActorKind of(int code) {
    return CodedEnum.of(ActorKind.class, code);
  }
}
