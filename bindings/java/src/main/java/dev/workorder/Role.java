// SPDX-License-Identifier: MIT
package dev.workorder;

import java.util.Collection;
import java.util.EnumSet;

/**
 * Staff roles ({@code staff.roles}): bits of a mask, a staff member may have several; see {@link
 * #mask} and {@link #setOf}. The C enum {@code wo_role}; {@link #code()} is the value that
 * crosses the C ABI.
 */
public enum Role implements CodedEnum {
  ADMIN(1),
  DISPATCHER(2),
  TECHNICIAN(4);

  private final int code;

  Role(int code) {
    this.code = code;
  }

  @Override
  public int code() {
    return code;
  }

  /** The constant whose C value is {@code code}; IllegalArgumentException for an unknown one. */
  public static Role of(int code) {
    return CodedEnum.of(Role.class, code);
  }

  /** The bit mask of {@code roles} (0 for none), as staff.roles holds it. */
  public static int mask(Collection<Role> roles) {
    int mask = 0;
    for (Role r : roles) mask |= r.code;
    return mask;
  }

  /**
   * The roles of a staff.roles bit mask. A bit no role has (a role a newer library added) is
   * left out rather than refused, so a staff record written by a newer library still reads;
   * the raw mask stays readable with {@code Record.getLong("roles")}.
   */
  public static EnumSet<Role> setOf(long mask) {
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (Role r : values()) {
      if ((mask & r.code) != 0) roles.add(r);
    }
    return roles;
  }
}
