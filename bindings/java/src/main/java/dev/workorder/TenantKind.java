// SPDX-License-Identifier: MIT
package dev.workorder;

/**
 * {@code tenant.tenant_kind}. The C enum {@code wo_tenant_kind}; {@link #code()} is the value
 * that crosses the C ABI.
 */
public enum TenantKind implements CodedEnum {
  PERSON(0),
  COMPANY(1);

  private final int code;

  TenantKind(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static TenantKind of(int code) {
    return CodedEnum.of(TenantKind.class, code);
  }
}
