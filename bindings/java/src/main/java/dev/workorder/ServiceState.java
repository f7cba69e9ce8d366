// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code order.response_state} and {@code order.resolution_state}: where a service-level clock
 * stands as of the read (docs/rules.md §11). The C enum {@code wo_service_state}; {@link
 * #code()} is the value that crosses the C ABI.
 */
public enum ServiceState implements CodedEnum {
  /** No target, or the order was cancelled within it: no verdict. */
  NONE(0),
  /** Running or paused, within its target. */
  OPEN(1),
  /** Stopped within its target. */
  MET(2),
  /** Stopped late, or running past its due instant. */
  BREACHED(3);

  private final int code;

  ServiceState(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static ServiceState of(int code) {
    return CodedEnum.of(ServiceState.class, code);
  }
}
