// SPDX-License-Identifier: MIT
package dev.workorder;

import java.util.Optional;

/**
 * A Java enum of one of the C ABI's enumerations ({@link OrderStatus}, {@link Channel}, …): each
 * constant carries its C value, {@link #code()}, which is what an {@link Input} stores and a
 * {@link Record} field holds. Every such enum also has a static {@code of(int)}.
 */
public interface CodedEnum {
  /** The constant's value in the C ABI. */
  int code();

  /**
   * The constant of {@code type} whose C value is {@code code}.
   *
   * @throws IllegalArgumentException no constant has that value (e.g. a value a newer library
   *     added), naming the type and the value
   */
  static <E extends Enum<E> & CodedEnum> E of(Class<E> type, long code) {
    return EnumCodes.of(type, code);
  }

  /**
   * The constant of {@code type} whose C value is {@code code}, or empty if it has none (e.g. a
   * value a newer library added): {@link #of} without the exception.
   */
  static <E extends Enum<E> & CodedEnum> Optional<E> find(Class<E> type, long code) {
    return Optional.ofNullable(EnumCodes.findOrNull(type, code));
  }
}
