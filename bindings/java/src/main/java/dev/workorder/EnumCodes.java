// SPDX-License-Identifier: MIT
package dev.workorder;

/** Looks a {@link CodedEnum} constant up by its C value. */
final class EnumCodes {
  private EnumCodes() {}

  // The constants of each enum, read once: getEnumConstants() copies its array on every call,
  // and records are read by the thousand.
  private static final ClassValue<Object[]> CONSTANTS = new ClassValue<>() {
    @Override
    protected Object[] computeValue(Class<?> type) {
      return type.getEnumConstants();
    }
  };

  static <E extends Enum<E> & CodedEnum> E of(Class<E> type, long code) {
    E found = findOrNull(type, code);
    if (found == null) throw new IllegalArgumentException("unknown " + type.getSimpleName() + " value " + code);
    return found;
  }

  /** The constant of {@code type} with C value {@code code}, or null if it has none. */
  static <E extends Enum<E> & CodedEnum> E findOrNull(Class<E> type, long code) {
    if (type == null) throw new IllegalArgumentException("enum type is null");
    for (Object c : CONSTANTS.get(type)) {
      if (((CodedEnum) c).code() == code) return type.cast(c);
    }
    return null;
  }
}
